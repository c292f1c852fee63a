import { renderToStaticMarkup } from 'react-dom/server';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/ipc/contract';
import { ApplyOutcome } from '../../renderer/steps/section/apply-result';
import { connected, waitFor } from './helpers';
import { NOW, auditRun, baselineFindings, deferred, err, ok, planSteps } from './fake-bridge';

/**
 * After a reload (issue 12): an audit main still runs is followed (progress, then its result, no
 * second audit); the last apply's "What was applied" comes back from the change log; the plan
 * main keeps is shown again rather than planned anew.
 */

type Session = NonNullable<ResponseOf<'session:get'>['session']>;
const progress = { step: 'access-controls', completed: ['connect', 'level', 'authentication'], auditRunId: 'run-base', updatedAt: NOW.toISOString() };

function session(changes: Session['changes'] = []): Session {
  const base = auditRun('run-base', baselineFindings());
  const latest = { ...auditRun('run-late', baselineFindings(), 'run-base'), finishedAt: NOW.toISOString() };
  return {
    profileId: 'p1',
    level: 'L1',
    controls: null,
    baseline: base,
    latest: changes.length > 0 ? latest : base,
    changes,
    levelChanges: [],
    step: 'access-controls',
    completed: progress.completed,
    startedAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
}

const applied = (): Session['changes'][number] => {
  const steps = planSteps().slice(0, 2);
  return {
    kind: 'apply',
    id: 'apply-1',
    undoes: null,
    planId: 'plan-1',
    at: new Date(NOW.getTime() + 1000).toISOString(),
    level: 'L1',
    steps,
    results: steps.map((s) => ({ stepId: s.id, status: 'applied' as const, outcome: 'applied' as const, message: 'ok', observed: null, error: null })),
    undone: [],
  };
};

describe('a reload during an audit', () => {
  it('follows the audit main still runs: its progress from the events, then its result, without starting another', async () => {
    const answer = deferred<void>();
    const live = auditRun('run-live', baselineFindings(), 'run-base');
    const h = await connected({
      'session:get': () =>
        ok({ session: session(), problem: null, running: { runId: 'run-live', level: 'L1', baselineRunId: 'run-base', startedAt: NOW.toISOString(), completed: 2, total: 9 } }),
      'audit:get': async ({ runId }) => {
        if (runId === 'run-live') await answer.promise;
        return runId === 'run-live' ? ok(live) : err('not_found');
      },
    });
    h.s().nav.resume(progress);
    await waitFor(() => h.s().checks.run.status === 'running');
    const run = () => h.s().checks.run;
    expect(run()).toMatchObject({ status: 'running', progress: { runId: 'run-live', completed: 2, total: 9 } });
    h.bridge.emit('audit:progress', { runId: 'run-live', completed: 5, total: 9, control: '2.1' });
    expect(run()).toMatchObject({ status: 'running', progress: { completed: 5 } });
    answer.resolve();
    await waitFor(() => run().status === 'done');
    expect(h.s().checks.latest?.runId).toBe('run-live');
    expect(h.s().checks.baseline?.runId).toBe('run-base');
    expect(h.bridge.callsOf('audit:run')).toEqual([]);
    h.dispose();
  });
});

describe('what a section showed, after a reload', () => {
  it('shows the last apply\'s "What was applied" again from the change log, with its re-check', async () => {
    const h = await connected({ 'session:get': () => ok({ session: session([applied()]), problem: null }) });
    h.s().nav.resume(progress);
    await waitFor(() => h.s().session.restore.status === 'done');
    const slice = h.s().accessControls;
    expect(slice.apply.status).toBe('done');
    const markup = renderToStaticMarkup(createElement(ApplyOutcome, { slice }));
    expect(markup).toContain('What was applied');
    expect(markup).toContain('Team reassignment');
    expect(markup).toContain('Applied and verified');
    expect(markup).toContain('Re-checked after the changes');
    // Other sections had no change: nothing to show there.
    expect(h.s().dataSecurity.apply.status).toBe('idle');
    h.dispose();
  });

  it('an undo after it shows "What was undone" too, the apply\'s table staying as it was', async () => {
    const recheck = auditRun('run-after-apply', baselineFindings(), 'run-base');
    const withRecheck = { ...applied(), recheck, recheckError: null, fatal: null };
    const undo: Session['changes'][number] = { ...applied(), kind: 'undo', id: 'undo-1', undoes: 'apply-1', planId: null, steps: planSteps().slice(0, 1), results: applied().results.slice(0, 1) };
    const h = await connected({ 'session:get': () => ok({ session: session([withRecheck, undo]), problem: null }) });
    h.s().nav.resume(progress);
    await waitFor(() => h.s().session.restore.status === 'done');
    expect(h.s().accessControls.apply).toMatchObject({ status: 'done', value: { applyId: 'apply-1' } });
    // The apply's own re-check, kept with it in the change log, though it is no longer the last change.
    const markup = renderToStaticMarkup(createElement(ApplyOutcome, { slice: h.s().accessControls }));
    expect(markup).toMatch(/Re-checked after the changes: \d+ pass/);
    expect(h.s().accessControls.undo).toMatchObject({ status: 'done', value: { applyId: 'apply-1', undoId: 'undo-1' } });
    h.dispose();
  });

  it('shows the plan main keeps for the run on screen, with its choices, instead of planning again', async () => {
    const kept = { planId: 'plan-kept', runId: 'run-base', orgSlug: 'acme', level: 'L1' as const, createdAt: NOW.toISOString(), steps: planSteps(), notes: [] };
    const h = await connected({
      'session:get': () => ok({ session: session(), problem: null, plans: [{ planId: 'plan-kept', runId: 'run-base', controls: ['2.1', '2.2'], params: { 'addTeam.web': 'platform' } }] }),
      'fix:getPlan': ({ planId }) => (planId === 'plan-kept' ? ok(kept) : err('not_found')),
    });
    h.s().nav.resume(progress);
    await waitFor(() => h.s().accessControls.plan.status === 'done');
    expect(h.s().accessControls.plan).toMatchObject({ status: 'done', value: { planId: 'plan-kept' } });
    expect(h.s().accessControls.planFor).toBe('run-base');
    expect(h.s().accessControls.params).toEqual({ 'addTeam.web': 'platform' });
    expect(h.bridge.callsOf('fix:plan')).toEqual([]);
    // Another section's plan is not taken for this one.
    expect(h.s().dataSecurity.plan.status).toBe('idle');
    h.dispose();
  });

  it('a plan main no longer has (a restart) leaves the step to plan again', async () => {
    const h = await connected({
      'session:get': () => ok({ session: session(), problem: null, plans: [{ planId: 'plan-gone', runId: 'run-base', controls: ['2.1'], params: {} }] }),
      'fix:getPlan': () => err('not_found', 'No plan "plan-gone" in this session: plan the fixes again'),
    });
    h.s().nav.resume(progress);
    await waitFor(() => h.bridge.callsOf('fix:getPlan').length === 1);
    await waitFor(() => h.s().accessControls.plan.status === 'idle');
    expect(h.s().accessControls.planFor).toBeNull();
    h.dispose();
  });
});

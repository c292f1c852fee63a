import { describe, expect, it } from 'vitest';
import { undoableSteps } from '../../renderer/steps/section/section.slice';
import { canAdvance, scorecard } from '../../renderer/store/selectors';
import { changesKey } from '../../renderer/store/findings.slice';
import type { WizardState } from '../../renderer/store/wizard-state';
import { auditRun, deferred, err, findingsOfRun, ok, outcomeCounts, planSteps } from './fake-bridge';
import type { FakeHandler } from './fake-bridge';
import { audited } from './helpers';

/** What changed between the session's first and latest run, as the summary asks main (`audit:changes`). */
async function changedFindings(s: () => WizardState) {
  const runId = s().checks.latest!.runId;
  await s().findings.loadChanges(runId, 0, 50);
  const page = s().findings.changes[changesKey(runId, 0, 50)];
  if (page?.status !== 'done') throw new Error(`changes not loaded: ${page?.status}`);
  return page.value.rows;
}

describe('section slice', () => {
  it('plans for its own section, from the latest run, with the choices made', async () => {
    // The plan offers the choice; only choices it offered are sent.
    const team = { key: 'addTeam.web', kind: 'team' as const, label: 'Team that owns web', description: '', choices: ['platform'], multiple: true, min: null, max: null, pattern: null, options: [{ value: 'platform', label: 'Platform', detail: null }], suggested: null, maxWindow: null };
    const h = await audited({
      'fix:plan': ({ runId }) =>
        ok({ planId: 'plan-1', runId, orgSlug: 'acme', level: 'L1', createdAt: '2026-03-01T10:00:00.000Z', steps: planSteps(), notes: [{ fix: 'team-access', control: '2.2', check: null, resource: null, kind: 'needs_parameter', message: 'Choose.', param: team, items: [] }] }),
    });
    const slice = () => h.s().accessControls;
    await slice().loadPlan();
    const [request] = h.bridge.callsOf('fix:plan');
    expect(request?.runId).toBe(h.s().checks.latest?.runId);
    expect(request?.controls?.sort()).toEqual(['2.1', '2.2']);
    expect(request?.params).toBeUndefined();
    expect(slice().plan.status).toBe('done');

    slice().setParam('addTeam.web', ' platform ');
    slice().setParam('rateLimit', '');
    await slice().loadPlan();
    expect(h.bridge.callsOf('fix:plan')[1]?.params).toEqual({ 'addTeam.web': 'platform' });
    // Another section's slice was not touched.
    expect(h.s().authentication.plan.status).toBe('idle');
  });

  it('selecting a step brings its dependencies; deselecting drops its dependants', async () => {
    const h = await audited();
    const slice = () => h.s().accessControls;
    await slice().loadPlan();
    slice().toggleStep('s3', true);
    expect(slice().selected).toEqual(['s1', 's3']);
    slice().toggleStep('s1', false);
    expect(slice().selected).toEqual([]);
    slice().toggleStep('s2', true);
    expect(slice().selected).toEqual(['s2']);
  });

  it('applies the selection with the typed slug, shows progress, and adopts the re-check', async () => {
    const gate = deferred<void>();
    const h = await audited();
    const original = h.bridge;
    const apply: FakeHandler<'fix:apply'> = async ({ planId, stepIds = [] }) => {
      await gate.promise;
      return ok({
        planId,
        applyId: 'apply-7',
        results: stepIds.map((stepId) => ({ stepId, status: 'applied' as const, outcome: 'applied' as const, message: 'ok', observed: null, error: null })),
        counts: outcomeCounts(stepIds.length),
        fatal: null,
        recheck: auditRun(
          'run-recheck',
          findingsOfRun(h.s().checks.latest!.runId).map((f) => (f.control === '2.1' ? { ...f, status: 'pass' as const } : f)),
          h.s().checks.latest!.baselineRunId,
        ),
        recheckError: null,
      });
    };
    original.handle('fix:apply', apply);
    const baseline = h.s().checks.baseline;
    const slice = () => h.s().accessControls;
    await slice().loadPlan();
    slice().toggleStep('s1', true);
    slice().toggleStep('s2', true);
    const pending = slice().applySelected('acme');
    expect(slice().apply.status).toBe('running');
    expect(canAdvance(h.s(), 'access-controls')).toBe(false);

    h.bridge.emit('fix:progress', { planId: 'plan-1', stepId: 's1', status: 'applied', kind: 'apply', outcome: 'applied', index: 1, total: 2 });
    h.bridge.emit('fix:progress', { planId: 'other-plan', stepId: 's2', status: 'failed', kind: 'apply', outcome: 'failed', index: 2, total: 2 });
    const running = slice().apply;
    expect(running.status === 'running' && running.progress.steps).toEqual({ s1: 'applied' });

    gate.resolve();
    await pending;
    expect(h.bridge.callsOf('fix:apply')).toEqual([{ profileId: h.s().connect.profile?.id, planId: 'plan-1', stepIds: ['s1', 's2'], confirm: true, confirmOrg: 'acme' }]);
    expect(slice().apply.status).toBe('done');
    expect(slice().selected).toEqual([]);
    expect(slice().plan.status).toBe('idle');
    expect(slice().applied).toHaveLength(1);
    expect(h.s().checks.latest?.runId).toBe('run-recheck');
    expect(h.s().checks.baseline).toBe(baseline);
    expect((await changedFindings(h.s)).map((c) => [c.finding.control, c.before, c.after])).toEqual([['2.1', 'fail', 'pass']]);
    const access = scorecard(h.s()).find((c) => c.step.id === 'access-controls');
    expect(access?.before.fail).toBe(2);
    expect(access?.after.fail).toBe(1);
  });

  it('cancel sends fix:cancel for the running apply; the answer lists the rest as not attempted', async () => {
    const gate = deferred<void>();
    const h = await audited({
      'fix:apply': async ({ planId, stepIds = [] }) => {
        await gate.promise;
        const cancelled = h.bridge.callsOf('fix:cancel').length > 0;
        return ok({
          planId,
          applyId: 'apply-9',
          results: stepIds.map((stepId, i) =>
            i === 0 || !cancelled
              ? { stepId, status: 'applied' as const, outcome: 'applied' as const, message: 'ok', observed: null, error: null }
              : { stepId, status: 'skipped' as const, outcome: 'not_attempted' as const, message: 'Not attempted: the person cancelled the run before this change.', observed: null, error: null },
          ),
          counts: outcomeCounts(1),
          fatal: cancelled ? 'Cancelled by the person applying the changes; the remaining changes were not sent.' : null,
          recheck: null,
          recheckError: null,
        });
      },
    });
    const slice = () => h.s().accessControls;
    // Nothing runs: nothing to cancel.
    await slice().cancelChanges();
    expect(h.bridge.callsOf('fix:cancel')).toEqual([]);

    await slice().loadPlan();
    slice().toggleStep('s1', true);
    slice().toggleStep('s2', true);
    slice().toggleStep('s3', true);
    const pending = slice().applySelected('acme');
    expect(slice().apply.status).toBe('running');
    await slice().cancelChanges();
    expect(h.bridge.callsOf('fix:cancel')).toEqual([{ planId: 'plan-1' }]);
    expect(slice().cancel).toEqual({ status: 'done', value: true });
    expect(slice().apply.status).toBe('running');

    gate.resolve();
    await pending;
    const apply = slice().apply;
    expect(apply.status === 'done' && apply.value.results.map((r) => r.outcome)).toEqual(['applied', 'not_attempted', 'not_attempted']);
    expect(apply.status === 'done' && apply.value.fatal).toMatch(/Cancelled/);
    // Only the applied step can be undone.
    expect(undoableSteps(slice().applied[0]!).map((s) => s.id)).toEqual(['s1']);
  });

  it('a cancel main refuses is shown where it happened, and the apply goes on', async () => {
    const gate = deferred<void>();
    const h = await audited({ 'fix:cancel': () => err('internal', 'fake refusal') });
    const original = h.bridge;
    const apply: FakeHandler<'fix:apply'> = async ({ planId, stepIds = [] }) => {
      await gate.promise;
      return ok({
        planId,
        applyId: 'apply-2',
        results: stepIds.map((stepId) => ({ stepId, status: 'applied' as const, outcome: 'applied' as const, message: 'ok', observed: null, error: null })),
        counts: outcomeCounts(stepIds.length),
        fatal: null,
        recheck: null,
        recheckError: null,
      });
    };
    original.handle('fix:apply', apply);
    const slice = () => h.s().accessControls;
    await slice().loadPlan();
    slice().toggleStep('s1', true);
    const pending = slice().applySelected();
    await slice().cancelChanges();
    const cancel = slice().cancel;
    expect(cancel.status === 'failed' && cancel.error.code).toBe('internal');
    gate.resolve();
    await pending;
    expect(slice().apply.status).toBe('done');
  });

  it('what changed includes findings that the latest run no longer reports', async () => {
    const h = await audited();
    const latest = h.s().checks.latest!;
    h.s().checks.adopt(auditRun('run-2', findingsOfRun(latest.runId).filter((f) => f.control !== '3.2'), latest.runId));
    expect((await changedFindings(h.s)).map((c) => [c.finding.control, c.before, c.after])).toEqual([['3.2', 'fail', null]]);
  });

  it('an apply refused by main is a failed status with its code; nothing is recorded as applied', async () => {
    const h = await audited({ 'fix:apply': () => err('invalid_input', 'confirmOrg does not match the organization') });
    const slice = () => h.s().accessControls;
    await slice().loadPlan();
    slice().toggleStep('s2', true);
    await slice().applySelected('wrong');
    const apply = slice().apply;
    expect(apply.status === 'failed' && apply.error.code).toBe('invalid_input');
    expect(slice().applied).toHaveLength(0);
    expect(slice().selected).toEqual(['s2']);
  });

  it('undo: loads the inverse, runs it with confirmation, marks the step undone and adopts the re-check', async () => {
    const h = await audited();
    const slice = () => h.s().accessControls;
    await slice().loadPlan();
    slice().toggleStep('s1', true);
    await slice().applySelected();
    expect(h.bridge.callsOf('fix:apply')[0]?.confirmOrg).toBeUndefined();
    const batch = slice().applied[0]!;
    expect(undoableSteps(batch).map((s) => s.id)).toEqual(['s1']);

    await slice().prepareUndo({ applyId: batch.applyId, stepIds: ['s1'] });
    expect(slice().undoPlan.status).toBe('done');
    await slice().undoPrepared();
    expect(h.bridge.callsOf('fix:undo')).toEqual([{ profileId: h.s().connect.profile?.id, applyId: 'apply-1', stepIds: ['s1'], confirm: true }]);
    expect(slice().undo.status).toBe('done');
    expect(slice().undoTarget).toBeNull();
    expect(slice().applied[0]?.undone).toEqual(['s1']);
    expect(undoableSteps(slice().applied[0]!)).toEqual([]);
    expect(h.s().checks.latest?.runId).toBe('run-after-undo');
  });

  it('a failed undo closes the confirmation and shows the code', async () => {
    const h = await audited({ 'fix:undo': () => err('unreachable', 'PUT /api/0/projects/acme/web/: connection refused') });
    const slice = () => h.s().accessControls;
    await slice().loadPlan();
    slice().toggleStep('s1', true);
    await slice().applySelected();
    await slice().prepareUndo({ applyId: 'apply-1', stepIds: ['s1'] });
    await slice().undoPrepared();
    const undo = slice().undo;
    expect(undo.status === 'failed' && undo.error.code).toBe('unreachable');
    expect(slice().undoTarget).toBeNull();
    expect(slice().applied[0]?.undone).toEqual([]);
  });

  it('loads the evidence of a finding once, by run and hash', async () => {
    const h = await audited();
    const runId = h.s().checks.latest!.runId;
    const sha = findingsOfRun(runId)[0]!.evidence[0]!.sha256;
    await Promise.all([h.s().authentication.showEvidence(runId, sha), h.s().authentication.showEvidence(runId, sha)]);
    expect(h.bridge.callsOf('audit:evidence')).toEqual([{ runId, sha256: sha }]);
    const ev = h.s().authentication.evidence[`${runId}:${sha}`];
    expect(ev?.status === 'done' && ev.value.firstPage?.body).toBe('{"slug":"acme"}');
  });

  it('a plan that fails shows its error code and can be retried', async () => {
    let first = true;
    const h = await audited({
      'fix:plan': ({ runId }) => {
        if (first) {
          first = false;
          return err('missing_scope', 'GET /api/0/projects/acme/web/keys/ needs project:read');
        }
        return ok({ planId: 'plan-2', runId, orgSlug: 'acme', level: 'L1', createdAt: '2026-03-01T10:00:00.000Z', steps: planSteps(), notes: [] });
      },
    });
    await h.s().dataSecurity.loadPlan();
    const plan = h.s().dataSecurity.plan;
    expect(plan.status === 'failed' && plan.error.code).toBe('missing_scope');
    await h.s().dataSecurity.loadPlan();
    expect(h.s().dataSecurity.plan.status).toBe('done');
  });
});

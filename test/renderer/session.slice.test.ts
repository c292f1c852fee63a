import { describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/ipc/contract';
import { audited, connected, harness, waitFor } from './helpers';
import { NOW, auditRun, baselineFindings, ok, planSteps } from './fake-bridge';

/** The durable session in the window: restored exactly after a reload, and a level change that asks first. */

type Session = NonNullable<ResponseOf<'session:get'>['session']>;

function savedSession(): Session {
  const steps = planSteps();
  const base = { ...auditRun('run-base', baselineFindings()), level: 'L3' as const };
  const latest = { ...auditRun('run-late', baselineFindings(), 'run-base'), level: 'L3' as const };
  return {
    profileId: 'p1',
    level: 'L3',
    controls: null,
    baseline: base,
    latest,
    changes: [
      {
        kind: 'apply',
        id: 'apply-1',
        undoes: null,
        planId: 'plan-1',
        at: NOW.toISOString(),
        level: 'L3',
        steps: steps.slice(0, 2),
        results: steps.slice(0, 2).map((s) => ({ stepId: s.id, status: 'applied' as const, outcome: 'applied' as const, message: 'ok', observed: null, error: null })),
        undone: [steps[0]?.id ?? ''],
      },
    ],
    levelChanges: [{ from: 'L1', to: 'L3', at: NOW.toISOString() }],
    step: 'data-security',
    completed: ['connect', 'level', 'authentication', 'access-controls'],
    startedAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
}

const progress = { step: 'data-security', completed: ['connect', 'level', 'authentication', 'access-controls'], auditRunId: 'run-late', updatedAt: NOW.toISOString() };

describe('restoring a saved session', () => {
  it('brings back the level, the before and latest audit, each section change log and the step', async () => {
    const h = await connected({ 'session:get': () => ok({ session: savedSession(), problem: null }), 'wizard:load': () => ok({ progress }) });
    h.s().nav.resume(progress);
    await waitFor(() => h.s().session.restore.status === 'done');
    expect(h.s().level.level).toBe('L3');
    expect(h.s().nav.current).toBe('data-security');
    expect(h.s().checks.baseline?.runId).toBe('run-base');
    expect(h.s().checks.latest?.runId).toBe('run-late');
    // Nothing ran again: the session is restored, not restarted.
    expect(h.bridge.callsOf('audit:run')).toHaveLength(0);
    expect(h.bridge.callsOf('audit:get')).toHaveLength(0);
    const all = ['authentication', 'accessControls', 'dataSecurity', 'monitoring', 'integrations'] as const;
    const batches = all.flatMap((k) => h.s()[k].applied);
    expect(batches.map((b) => b.applyId)).toEqual(['apply-1']);
    expect(batches[0]?.undone).toEqual([planSteps()[0]?.id]);
    // "Re-check now" runs at the session's level, within the session.
    await h.s().checks.start();
    expect(h.bridge.callsOf('audit:run').at(-1)).toMatchObject({ level: 'L3', baselineRunId: 'run-base' });
  });

  it('says why a saved session could not be read, and falls back to the profile level', async () => {
    const h = await connected({ 'session:get': () => ok({ session: null, problem: 'The saved session could not be read: it is not readable JSON.' }) });
    h.s().nav.resume({ ...progress, step: 'level' });
    await waitFor(() => h.s().session.restore.status === 'done');
    expect(h.s().session.problem).toMatch(/could not be read/);
    expect(h.s().nav.current).toBe('level');
  });

  it('reopens the last profile and its step when the window loads (a reload)', async () => {
    const h = harness({
      'settings:get': () => ok({ settings: { audit: {}, lastProfileId: 'p1' } }),
      'wizard:load': () => ok({ progress }),
      'session:get': () => ok({ session: savedSession(), problem: null }),
    });
    await h.s().connect.init();
    // The saved connection with its token (as a previous window left it).
    await h.bridge.invoke['profile:save']({ profile: { id: 'p1', label: 'Acme', baseUrl: 'https://sentry.io', orgSlug: 'acme', level: 'L3' } });
    await h.bridge.invoke['auth:setToken']({ profileId: 'p1', token: 'sntryu_fake_token_value_1234567890abcdef' });
    await h.s().session.restoreLast();
    await waitFor(() => h.s().session.restore.status === 'done');
    expect(h.s().connect.profile?.id).toBe('p1');
    expect(h.s().nav.current).toBe('data-security');
    expect(h.s().level.level).toBe('L3');
    expect(h.s().checks.latest?.runId).toBe('run-late');
  });
});

describe('changing the level mid-session', () => {
  it('asks first; re-checking in the session keeps the before audit', async () => {
    const h = await audited();
    const before = h.s().checks.baseline;
    h.bridge.handle('audit:run', ({ runId, baselineRunId, level }) => ok({ ...auditRun(runId ?? 'x', baselineFindings(), baselineRunId ?? runId), level: level ?? 'L1' }));
    const runs = h.bridge.callsOf('audit:run').length;
    h.s().session.chooseLevel('L3');
    expect(h.s().session.pendingLevel).toBe('L3');
    expect(h.s().level.level).toBe('L1');
    expect(h.bridge.callsOf('audit:run')).toHaveLength(runs);
    await h.s().session.answerLevel('same-session');
    expect(h.s().level.level).toBe('L3');
    expect(h.bridge.callsOf('audit:run').at(-1)).toMatchObject({ level: 'L3', baselineRunId: before?.runId });
    expect(h.s().checks.baseline?.runId).toBe(before?.runId);
    expect(h.s().checks.latest?.level).toBe('L3');
  });

  it('a new session drops the before audit and the change log; keeping the level changes nothing', async () => {
    const h = await audited();
    h.s().session.chooseLevel('L2');
    await h.s().session.answerLevel('keep');
    expect(h.s().level.level).toBe('L1');
    expect(h.s().session.pendingLevel).toBeNull();
    h.s().session.chooseLevel('L2');
    await h.s().session.answerLevel('new-session');
    const request = h.bridge.callsOf('audit:run').at(-1);
    expect(request?.level).toBe('L2');
    expect(request?.baselineRunId).toBeUndefined();
    expect(h.s().checks.baseline?.runId).toBe(request?.runId);
  });

  it('before any audit, the level changes without asking', async () => {
    const h = await connected();
    h.s().session.chooseLevel('L2');
    expect(h.s().session.pendingLevel).toBeNull();
    await waitFor(() => h.s().level.save.status === 'done');
    expect(h.s().level.level).toBe('L2');
  });
});

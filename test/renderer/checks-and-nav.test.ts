import { describe, expect, it } from 'vitest';
import { advanceBlocker, canAdvance, canOpenStep, furthestReachable } from '../../renderer/store/selectors';
import { auditRun, baselineFindings, deferred, err, ok } from './fake-bridge';
import type { FakeHandler } from './fake-bridge';
import { connected, harness, waitFor } from './helpers';

describe('navigation', () => {
  it('cannot leave Connect before a token and an organization, nor jump ahead', async () => {
    const h = harness();
    expect(h.s().nav.next()).toBe(false);
    expect(h.s().nav.goTo('summary')).toBe(false);
    expect(h.s().nav.current).toBe('connect');
    expect(furthestReachable(h.s())).toBe('connect');
    expect(canOpenStep(h.s(), 'level')).toBe(false);
  });

  it('leaving the level step starts the checks; section steps wait for them', async () => {
    const gate = deferred<void>();
    const run: FakeHandler<'audit:run'> = async ({ runId }) => {
      await gate.promise;
      return ok(auditRun(runId ?? 'x', baselineFindings()));
    };
    const h = await connected({ 'audit:run': run });
    expect(h.s().nav.next()).toBe(true);
    expect(h.s().nav.current).toBe('level');
    expect(h.bridge.callsOf('audit:run')).toHaveLength(0);
    expect(h.s().nav.next()).toBe(true);
    expect(h.s().nav.current).toBe('authentication');
    expect(h.s().nav.completed).toEqual(['connect', 'level']);
    expect(h.bridge.callsOf('audit:run')).toHaveLength(1);
    expect(h.s().checks.run.status).toBe('running');
    expect(canAdvance(h.s())).toBe(false);
    expect(advanceBlocker(h.s(), 'authentication')).toMatch(/checks/);
    gate.resolve();
    await waitFor(() => h.s().checks.run.status === 'done');
    expect(canAdvance(h.s())).toBe(true);
    expect(furthestReachable(h.s())).toBe('summary');
    expect(h.s().nav.goTo('summary')).toBe(true);
    h.s().nav.back();
    expect(h.s().nav.current).toBe('integrations');
  });

  it('saves the wizard progress of the connection', async () => {
    const h = await connected();
    h.s().nav.next();
    await waitFor(() => h.s().nav.persist.status === 'done');
    const saved = h.bridge.callsOf('wizard:save').at(-1);
    expect(saved?.progress).toMatchObject({ step: 'level', completed: ['connect'] });
  });
});

describe('level slice', () => {
  it('saves the chosen level into the connection and audits at that level', async () => {
    const h = await connected();
    h.s().nav.next();
    await h.s().level.choose('L2');
    expect(h.s().level.level).toBe('L2');
    expect(h.s().level.save.status).toBe('done');
    expect(h.bridge.callsOf('profile:save').at(-1)?.profile).toMatchObject({ level: 'L2', orgSlug: 'acme' });
    h.s().nav.next();
    expect(h.bridge.callsOf('audit:run')[0]).toMatchObject({ level: 'L2' });
  });

  it('a refused save is a failed status with its code', async () => {
    const h = await connected();
    h.bridge.handle('profile:save', () => err('invalid_input', 'level: bad'));
    await h.s().level.choose('L3');
    const save = h.s().level.save;
    expect(save.status === 'failed' && save.error.code).toBe('invalid_input');
  });
});

describe('checks slice', () => {
  it('runs with a run id chosen by the window, shows progress and keeps the first run as the baseline', async () => {
    const gate = deferred<void>();
    const run: FakeHandler<'audit:run'> = async ({ runId, baselineRunId }) => {
      await gate.promise;
      return ok(auditRun(runId ?? 'x', baselineFindings(), baselineRunId));
    };
    const h = await connected({ 'audit:run': run });
    const started = h.s().checks.start();
    const state = h.s().checks.run;
    expect(state.status).toBe('running');
    const runId = state.status === 'running' ? state.progress.runId : '';
    expect(runId).toMatch(/^[A-Za-z0-9_-]{6,64}$/);

    h.bridge.emit('audit:progress', { runId, completed: 3, total: 17, control: '2.1' });
    h.bridge.emit('audit:progress', { runId: 'someone-else', completed: 9, total: 9, control: null });
    h.bridge.emit('audit:progress', { runId, completed: 2, total: 17, control: '1.1' });
    const progress = h.s().checks.run;
    expect(progress.status === 'running' && progress.progress).toEqual({ runId, completed: 3, total: 17, control: '2.1' });

    gate.resolve();
    await started;
    expect(h.s().checks.baseline?.runId).toBe(runId);
    expect(h.s().checks.latest?.runId).toBe(runId);

    await h.s().checks.start();
    const second = h.bridge.callsOf('audit:run')[1];
    expect(second?.baselineRunId).toBe(runId);
    expect(h.s().checks.baseline?.runId).toBe(runId);
    expect(h.s().checks.latest?.runId).toBe(second?.runId);
  });

  it('cancel sends audit:cancel for the running run before its answer arrives', async () => {
    const gate = deferred<void>();
    const run: FakeHandler<'audit:run'> = async () => {
      await gate.promise;
      return err('cancelled', 'The audit was cancelled');
    };
    const h = await connected({ 'audit:run': run });
    const started = h.s().checks.start();
    const runId = h.s().checks.run.status === 'running' ? (h.s().checks.run as { progress: { runId: string } }).progress.runId : '';
    await h.s().checks.cancelRun();
    expect(h.bridge.callsOf('audit:cancel')).toEqual([{ runId }]);
    expect(h.s().checks.cancel.status).toBe('done');
    gate.resolve();
    await started;
    const state = h.s().checks.run;
    expect(state.status === 'failed' && state.error.code).toBe('cancelled');
    expect(h.s().checks.latest).toBeNull();
  });

  it('a failed audit keeps its error code and offers no results', async () => {
    const h = await connected({ 'audit:run': () => err('rate_limited', 'Sentry answered 429') });
    await h.s().checks.start();
    const state = h.s().checks.run;
    expect(state.status === 'failed' && state.error).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(canAdvance(h.s(), 'authentication')).toBe(false);
  });

  it('disposing the store drops its event subscriptions', async () => {
    const h = harness();
    expect(h.bridge.listenerCount('audit:progress')).toBe(1);
    expect(h.bridge.listenerCount('fix:progress')).toBe(5);
    h.dispose();
    expect(h.bridge.listenerCount('audit:progress')).toBe(0);
    expect(h.bridge.listenerCount('fix:progress')).toBe(0);
  });
});

describe('resuming a saved session', () => {
  const progress = {
    step: 'data-security',
    completed: ['connect', 'level', 'authentication', 'access-controls', 'not-a-step'],
    auditRunId: 'run-old',
    updatedAt: '2026-02-28T09:00:00.000Z',
  };

  it('offers the saved step, and resumes there with the run main still holds', async () => {
    const h = await connected({
      'wizard:load': () => ok({ progress }),
      'audit:get': ({ runId }) => ok(auditRun(runId, baselineFindings(), runId === 'run-old' ? 'run-base' : runId)),
    });
    const resume = h.s().connect.resume;
    expect(resume.status === 'done' && resume.value?.step).toBe('data-security');
    h.s().nav.resume(progress);
    expect(h.s().nav.current).toBe('data-security');
    expect(h.s().nav.completed).toEqual(['connect', 'level', 'authentication', 'access-controls']);
    await waitFor(() => h.s().checks.run.status === 'done');
    expect(h.s().checks.latest?.runId).toBe('run-old');
    expect(h.s().checks.baseline?.runId).toBe('run-base');
    expect(h.bridge.callsOf('audit:run')).toHaveLength(0);
  });

  it('runs the checks again when main no longer holds the run (after a restart)', async () => {
    const h = await connected({ 'wizard:load': () => ok({ progress }), 'audit:get': () => err('not_found', 'no run "run-old"') });
    h.s().nav.resume(progress);
    await waitFor(() => h.s().checks.run.status === 'done');
    expect(h.bridge.callsOf('audit:run')).toHaveLength(1);
    expect(h.s().checks.latest?.runId).toBe(h.bridge.callsOf('audit:run')[0]?.runId);
  });

  it('is refused before the connection is ready', async () => {
    const h = harness();
    h.s().nav.resume(progress);
    expect(h.s().nav.current).toBe('connect');
  });
});

describe('demo reset', () => {
  it('asks main to reset the demo organization', async () => {
    const h = harness();
    expect(await h.s().connect.resetDemo()).toBe(true);
    expect(h.bridge.callsOf('demo:reset')).toEqual([{}]);
    expect(h.s().connect.demoReset.status).toBe('done');
  });
});

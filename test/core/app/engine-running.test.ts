import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../core/app/engine';
import type { ProfileSession } from '../../../core/app/handlers';
import type { HandlerContext } from '../../../core/app/router';
import { emptyRegisters } from '../../../core/store/index';
import { channels } from '../../../shared/ipc/contract';
import { sectionOfControl } from '../../../shared/sections';
import { createDemoState, DEMO_ORG_SLUG, DEMO_TOKENS, startSimulator, type RunningSimulator } from '../../../simulator/index';

/**
 * A reload during an audit (issue 12): main keeps the run under way; `session:get` names it with
 * its progress and `audit:get` answers when it ends. Plans main keeps are named too, so the
 * window shows the one it had.
 */

let sim: RunningSimulator;
const dirs: string[] = [];
const ctx: HandlerContext = { sender: { webContentsId: 1, frameUrl: 'app://sentry-harden/', isMainFrame: true }, emit: () => undefined };

beforeAll(async () => {
  sim = await startSimulator({ state: createDemoState() });
});
afterAll(async () => {
  await sim.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function engine() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-running-'));
  dirs.push(dir);
  return createEngine({
    journalDir: path.join(dir, 'journal'),
    sessionDir: path.join(dir, 'sessions'),
    registers: () => emptyRegisters(),
    auditSettings: () => ({}),
    reportDestination: { choose: async () => null },
    writePackage: async () => {
      throw new Error('no package here');
    },
  });
}

const session: ProfileSession = {
  profile: { id: 'p1', label: 'Demo', baseUrl: '', orgSlug: DEMO_ORG_SLUG, level: 'L1', createdAt: '2025-01-01T00:00:00.000Z' },
  getToken: () => DEMO_TOKENS.admin,
};

describe('an audit under way, found again', () => {
  it('session:get names the running audit with its progress; audit:get answers with it when it ends', async () => {
    const e = engine();
    const s = { ...session, profile: { ...session.profile, baseUrl: sim.url } };
    const first = await e.runAudit(s, { level: 'L1' }, ctx);
    expect((await e.getSession('p1')).running).toBeNull();

    // A slow answer keeps the re-check running long enough to look at it.
    const slow = sim.faults.add({ path: /\/members\//, kind: 'latency', latencyMs: 800, times: 1 });
    const recheck = e.runAudit(s, { level: 'L1', runId: 'run-recheck-1', baselineRunId: first.runId }, ctx);
    await new Promise((r) => setTimeout(r, 200));
    const got = await e.getSession('p1');
    expect(channels['session:get'].response.safeParse(got).success).toBe(true);
    expect(got.running).toMatchObject({ runId: 'run-recheck-1', level: 'L1', baselineRunId: first.runId });
    expect(got.running!.total).toBeGreaterThan(0);
    expect(got.session?.latest?.runId).toBe(first.runId);

    const waited = await e.getRun('run-recheck-1');
    expect(waited).toEqual(await recheck);
    expect((await e.getSession('p1')).running).toBeNull();
    sim.faults.remove(slow.id);
  }, 60_000);

  it('a cancelled audit answers audit:get with the cancellation', async () => {
    const e = engine();
    const s = { ...session, profile: { ...session.profile, baseUrl: sim.url } };
    const slow = sim.faults.add({ path: /\/members\//, kind: 'latency', latencyMs: 800, times: 1 });
    const run = e.runAudit(s, { level: 'L1', runId: 'run-cancel-1' }, ctx).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 100));
    const waiting = e.getRun('run-cancel-1').catch((err: unknown) => err);
    expect(await e.cancelAudit('run-cancel-1')).toBe(true);
    expect(await waiting).toMatchObject({ code: 'cancelled' });
    expect(await run).toMatchObject({ code: 'cancelled' });
    sim.faults.remove(slow.id);
  }, 60_000);

  it('names the plans it keeps, newest first, with the choices they were made with', async () => {
    const e = engine();
    const s = { ...session, profile: { ...session.profile, baseUrl: sim.url } };
    const run = await e.runAudit(s, { level: 'L1' }, ctx);
    const controls = run.controls.map((c) => c.id).filter((id) => sectionOfControl(id) === '3');
    const plan = await e.planFixes(s, { profileId: 'p1', runId: run.runId, controls, params: { 'rateLimit.x': '100/60' } });
    const { plans } = await e.getSession('p1');
    expect(plans?.[0]).toEqual({ planId: plan.planId, runId: run.runId, controls, params: { 'rateLimit.x': '100/60' } });
    expect(await e.getPlan({ profileId: 'p1', planId: plan.planId })).toEqual(plan);
    await expect(e.getPlan({ profileId: 'p2', planId: plan.planId })).rejects.toMatchObject({ code: 'not_found' });
  }, 60_000);
});

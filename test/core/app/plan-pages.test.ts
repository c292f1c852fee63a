import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../core/app/engine';
import type { ProfileSession } from '../../../core/app/handlers';
import { chosenChanges } from '../../../core/app/plan-pages';
import type { HandlerContext } from '../../../core/app/router';
import { emptyRegisters } from '../../../core/store/index';
import { channels, PLAN_NOTES_PAGE, PLAN_PAGE_LIMIT, PLAN_STEPS_PAGE, planNoteGroup } from '../../../shared/ipc/contract';
import type { Change } from '../../../shared/plan';
import { sectionOfControl } from '../../../shared/sections';
import { startGeneratedDemoBackend } from '../../../simulator/index';

/**
 * Fix plans paged from main (issue 12): on a generated organization, the Data security plan's
 * first answer carries the index of every step and one page of each part; the pages together are
 * the whole plan; "all but these" applies exactly the steps chosen, of the plan shown.
 */

let started: Awaited<ReturnType<typeof startGeneratedDemoBackend>>;
const dirs: string[] = [];
const ctx: HandlerContext = { sender: { webContentsId: 1, frameUrl: 'app://sentry-harden/', isMainFrame: true }, emit: () => undefined };

beforeAll(async () => {
  started = await startGeneratedDemoBackend({ projects: 120, keysPerProject: 2, members: 600, teams: 24, integrations: 5, seed: 11 });
});
afterAll(async () => {
  await started.simulator.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function engineAndSession() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-pages-'));
  dirs.push(dir);
  const engine = createEngine({
    journalDir: dir,
    registers: () => emptyRegisters(),
    auditSettings: () => ({}),
    reportDestination: { choose: async () => null },
    writePackage: async () => {
      throw new Error('no package in this test');
    },
    timeoutMs: 60_000,
  });
  const { backend } = started;
  const session: ProfileSession = {
    profile: { id: 'p1', label: 'Generated', baseUrl: backend.url, orgSlug: backend.orgSlug, level: 'L1', createdAt: '2025-01-01T00:00:00.000Z' },
    getToken: () => backend.token,
  };
  return { engine, session };
}

describe('a fix plan paged from main', () => {
  it('answers with the index of every step and the first page of each part; the pages are the whole plan, each step once', async () => {
    const { engine, session } = engineAndSession();
    const run = await engine.runAudit(session, { level: 'L1' }, ctx);
    const controls = run.controls.map((c) => c.id).filter((id) => sectionOfControl(id) === '3');
    const answer = await engine.planFixes(session, { profileId: 'p1', runId: run.runId, controls });
    // The answer passes the contract (main checks it too before it leaves).
    expect(channels['fix:plan'].response.safeParse(answer).success).toBe(true);
    const count = answer.stepCount ?? 0;
    expect(count).toBeGreaterThan(PLAN_STEPS_PAGE * 2);
    expect(answer.steps).toHaveLength(PLAN_STEPS_PAGE);
    expect(answer.stepIndex).toHaveLength(count);
    expect(answer.steps.map((s) => s.id)).toEqual(answer.stepIndex!.slice(0, PLAN_STEPS_PAGE).map((s) => s.id));
    for (const group of ['roles', 'needs', 'optional', 'other'] as const) {
      const first = answer.notes.filter((n) => planNoteGroup(n) === group);
      expect(first.length).toBe(Math.min(PLAN_NOTES_PAGE, answer.noteCounts![group]));
    }

    const ids: string[] = [];
    for (let offset = 0; offset < count; offset += PLAN_PAGE_LIMIT) {
      const page = await engine.planPage({ profileId: 'p1', planId: answer.planId, part: 'steps', offset, limit: PLAN_PAGE_LIMIT });
      expect(page.total).toBe(count);
      ids.push(...page.steps.map((s) => s.id));
    }
    expect(ids).toEqual(answer.stepIndex!.map((s) => s.id));
    const needs = answer.noteCounts!.needs;
    if (needs > PLAN_NOTES_PAGE) {
      const second = await engine.planPage({ profileId: 'p1', planId: answer.planId, part: 'needs', offset: PLAN_NOTES_PAGE, limit: PLAN_NOTES_PAGE });
      expect(second.notes.length).toBe(Math.min(PLAN_NOTES_PAGE, needs - PLAN_NOTES_PAGE));
      expect(second.notes.every((n) => planNoteGroup(n) === 'needs')).toBe(true);
    }
    // Another profile cannot read the plan.
    await expect(engine.planPage({ profileId: 'p2', planId: answer.planId, part: 'steps', offset: 0, limit: 10 })).rejects.toMatchObject({ code: 'not_found' });
    // The same plan again, for a reloaded window.
    expect(await engine.getPlan({ profileId: 'p1', planId: answer.planId })).toEqual(answer);
  }, 60_000);

  it('"all but these" applies exactly the chosen steps of the plan shown, and refuses a count that is not the plan\'s', async () => {
    const { engine, session } = engineAndSession();
    const run = await engine.runAudit(session, { level: 'L1' }, ctx);
    const controls = run.controls.map((c) => c.id).filter((id) => sectionOfControl(id) === '3');
    const answer = await engine.planFixes(session, { profileId: 'p1', runId: run.runId, controls });
    const index = answer.stepIndex!;
    // Steps nothing depends on, so leaving them out leaves the rest whole.
    const needed = new Set(index.flatMap((s) => s.dependsOn));
    const except = index.filter((s) => !needed.has(s.id) && s.dependsOn.length === 0).slice(0, 3).map((s) => s.id);
    expect(except).toHaveLength(3);
    const count = index.length;
    await expect(
      engine.applyFixes(session, { profileId: 'p1', planId: answer.planId, allSteps: { count: count + 1, except }, confirm: true, confirmOrg: started.backend.orgSlug }, ctx),
    ).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/plan again and review it/) });
    expect(channels['fix:apply'].request.safeParse({ profileId: 'p1', planId: 'x', confirm: true }).success).toBe(false);
    expect(channels['fix:apply'].request.safeParse({ profileId: 'p1', planId: 'x', stepIds: ['a'], allSteps: { count: 1, except: [] }, confirm: true }).success).toBe(false);

    const applied = await engine.applyFixes(session, { profileId: 'p1', planId: answer.planId, allSteps: { count, except }, confirm: true, confirmOrg: started.backend.orgSlug }, ctx);
    const sent = new Set(applied.results.map((r) => r.stepId));
    expect(sent.size).toBe(count - except.length);
    for (const id of except) expect(sent.has(id)).toBe(false);
    expect(applied.results.filter((r) => r.status === 'applied').length).toBe(count - except.length);
  }, 120_000);
});

describe('the changes a confirmed apply sends', () => {
  const change = (id: string): Change => ({ id }) as unknown as Change;
  const changes = ['c1', 'c2', 'c3', 'c4'].map(change);

  it('by id, or every step but some, never a step the plan does not have', () => {
    expect(chosenChanges(changes, { stepIds: ['c3', 'c1'] }).map((c) => c.id)).toEqual(['c1', 'c3']);
    expect(chosenChanges(changes, { allSteps: { count: 4, except: ['c2'] } }).map((c) => c.id)).toEqual(['c1', 'c3', 'c4']);
    expect(() => chosenChanges(changes, { stepIds: ['c9'] })).toThrow(/no step c9/);
    expect(() => chosenChanges(changes, { allSteps: { count: 4, except: ['c9'] } })).toThrow(/no step c9/);
    expect(() => chosenChanges(changes, { allSteps: { count: 3, except: [] } })).toThrow(/has 4 changes, not 3/);
    expect(() => chosenChanges(changes, { allSteps: { count: 4, except: ['c1', 'c2', 'c3', 'c4'] } })).toThrow(/No change is selected/);
  });
});

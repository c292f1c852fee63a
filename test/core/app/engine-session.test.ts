import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../core/app/engine';
import type { ProfileSession } from '../../../core/app/handlers';
import type { ReportSession } from '../../../core/app/report-output';
import type { HandlerContext } from '../../../core/app/router';
import { emptyRegisters } from '../../../core/store/index';
import { createDemoState, DEMO_ORG_SLUG, DEMO_TOKENS, startSimulator, type RunningSimulator } from '../../../simulator/index';

/**
 * A session survives a restart: a second engine over the same data folder (a restart of the app
 * or of `sentry-harden ui`) finds the before audit, the latest run, every apply and undo, and
 * saves a package with all of them. Against the simulator, no mocks.
 */

let sim: RunningSimulator;
const dirs: string[] = [];
beforeAll(async () => {
  sim = await startSimulator({ state: createDemoState() });
});
afterAll(async () => {
  await sim.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const ctx: HandlerContext = { sender: { webContentsId: 1, frameUrl: 'app://sentry-harden/', isMainFrame: true }, emit: () => undefined };
const session: ProfileSession = {
  profile: { id: 'p1', label: 'Demo', baseUrl: '', orgSlug: DEMO_ORG_SLUG, level: 'L3', createdAt: '2025-01-01T00:00:00.000Z' },
  getToken: () => DEMO_TOKENS.admin,
};

function engineOver(data: string, packages: ReportSession[]) {
  return createEngine({
    journalDir: path.join(data, 'journal'),
    sessionDir: path.join(data, 'sessions'),
    registers: () => emptyRegisters(),
    auditSettings: () => ({}),
    reportDestination: { choose: async ({ suggestedName }) => path.join(data, 'out', suggestedName) },
    writePackage: async (s, outDir) => {
      packages.push(s);
      return { dir: outDir, zip: null, fingerprint: null };
    },
    timeoutMs: 5000,
  });
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, String(f))).filter((f) => fs.statSync(f).isFile());
}

describe('engine: the session on disk', () => {
  it('restores the before audit, every change and the step after a restart; the package has them all', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-session-'));
    dirs.push(data);
    const s: ProfileSession = { ...session, profile: { ...session.profile, baseUrl: sim.url } };
    const packages: ReportSession[] = [];

    // First life: an L1 audit, then the level moves to L3 within the session, two applies, one undo.
    const a = engineOver(data, packages);
    const before = await a.runAudit(s, { level: 'L1' }, ctx);
    const l3 = await a.runAudit(s, { level: 'L3', baselineRunId: before.runId }, ctx);
    expect(l3.baselineRunId).toBe(before.runId);
    const plan = await a.planFixes(s, { profileId: 'p1', runId: l3.runId, controls: ['2.1', '3.2'] });
    const [first, second] = plan.steps.filter((x) => !x.confirmSlug && x.reversible);
    expect(first && second).toBeTruthy();
    const one = await a.applyFixes(s, { profileId: 'p1', planId: plan.planId, stepIds: [first?.id ?? ''], confirm: true }, ctx);
    const plan2 = await a.planFixes(s, { profileId: 'p1', runId: one.recheck?.runId ?? '', controls: ['2.1', '3.2'] });
    const again = plan2.steps.find((x) => x.fix === second?.fix && x.resource.id === second?.resource.id) ?? plan2.steps.find((x) => !x.confirmSlug && x.reversible);
    const two = await a.applyFixes(s, { profileId: 'p1', planId: plan2.planId, stepIds: [again?.id ?? ''], confirm: true }, ctx);
    const undone = await a.undoFixes(s, { profileId: 'p1', applyId: one.applyId, confirm: true }, ctx);
    a.saveProgress('p1', { step: 'data-security', completed: ['connect', 'level', 'authentication', 'access-controls'] });
    const latest = undone.recheck;
    expect(latest?.baselineRunId).toBe(before.runId);

    // On disk: the before audit, the first at L3 (the package's "before" at L3) and the latest; not every re-check.
    const runFiles = () => fs.readdirSync(path.join(data, 'sessions', 'p1', 'runs')).sort();
    expect(runFiles()).toEqual([before.runId, l3.runId, latest?.runId].map((id) => `${id}.json`).sort());

    // Second life: nothing in memory.
    const b = engineOver(data, packages);
    const { session: restored, problem } = await b.getSession('p1');
    expect(problem).toBeNull();
    expect(restored).toMatchObject({
      level: 'L3',
      step: 'data-security',
      completed: ['connect', 'level', 'authentication', 'access-controls'],
      levelChanges: [{ from: 'L1', to: 'L3' }],
    });
    expect(restored?.baseline).toEqual(before);
    expect(restored?.latest).toEqual(latest);
    expect(restored?.changes.map((c) => [c.kind, c.id, c.undoes])).toEqual([
      ['apply', one.applyId, null],
      ['apply', two.applyId, null],
      ['undo', undone.undoId, one.applyId],
    ]);
    expect(restored?.changes[0]).toMatchObject({ undone: [first?.id], steps: [expect.objectContaining({ id: first?.id, title: first?.title })], results: one.results });
    expect(await b.getRun(before.runId)).toEqual(before);
    // The evidence behind a finding of the restored run, from its saved responses.
    const rows = latest ? (await b.findings({ runId: latest.runId, offset: 0, limit: 100 })).groups.flatMap((g) => g.rows) : [];
    const ref = rows.find((f) => f.evidence.length > 0)?.evidence[0];
    const evidenceOf = { runId: latest?.runId ?? '', sha256: ref?.sha256 ?? '' };
    const shown = await b.evidence(evidenceOf);
    expect(shown.firstPage).not.toBeNull();
    expect(shown).toEqual(await a.evidence(evidenceOf));
    // The second apply can still be undone; the first is not undone twice.
    expect((await b.undoPlan(s, { profileId: 'p1', applyId: two.applyId })).steps).toHaveLength(1);
    expect((await b.undoPlan(s, { profileId: 'p1', applyId: one.applyId })).steps).toHaveLength(0);

    // The package after the restart: a before audit and all three journals. A package compares
    // audits of one level, so its "before" is the session's first audit at L3 (taken before any change).
    await b.saveReport({ runId: latest?.runId ?? '', format: 'evidence' }, ctx);
    const pkg = packages.at(-1);
    expect(pkg?.before?.report.level).toBe('L3');
    expect(pkg?.before?.report.startedAt).toBe(l3.startedAt);
    expect(pkg?.after.report.finishedAt).toBe(latest?.finishedAt);
    expect(pkg?.journals).toHaveLength(3);
    for (const j of pkg?.journals ?? []) expect(fs.existsSync(j)).toBe(true);

    // A re-check after the restart stays in the session (the before audit is kept).
    const recheck = await b.runAudit(s, { level: 'L3', baselineRunId: before.runId }, ctx);
    expect(recheck.baselineRunId).toBe(before.runId);
    expect((await b.getSession('p1')).session?.changes).toHaveLength(3);

    // No file of the session holds the token.
    for (const f of filesUnder(path.join(data, 'sessions'))) expect(fs.readFileSync(f, 'utf8'), f).not.toContain(DEMO_TOKENS.admin);

    // A new session (no baseline) starts a new record; forgetting the profile deletes it.
    const fresh = await b.runAudit(s, { level: 'L2' }, ctx);
    const l2 = await b.runAudit(s, { level: 'L2', baselineRunId: fresh.runId }, ctx);
    await b.saveReport({ runId: l2.runId, format: 'evidence' }, ctx);
    expect(packages.at(-1)?.before?.report.startedAt).toBe(fresh.startedAt);
    expect(packages.at(-1)?.journals).toEqual([]);
    const next = (await b.getSession('p1')).session;
    expect(next).toMatchObject({ level: 'L2', changes: [], levelChanges: [], step: 'data-security' });
    expect(next?.baseline?.runId).toBe(fresh.runId);
    b.forgetProfile('p1');
    expect(await b.getSession('p1')).toEqual({ session: null, problem: null, running: null, plans: [] });
  }, 60_000);
});

// Issue 10, item 2: the whole session on a generated organization of 1,000 projects and 5,000
// members (the 10,000-project audit is in the benchmark: npm run bench:audit-scale -- --projects 10000).
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPrivateKeyPem, generateSigningKey } from '../../core/evidence/keys';
import { listJournals, readJournal } from '../../core/engine/journal';
import { findingReadDigests } from '../../shared/finding';
import type { Plan } from '../../shared/plan';
import { generateOrg, startSimulator, type RunningSimulator } from '../../simulator/index';
import { tempDir } from '../core/fixes/helpers';
import { runCli } from '../helpers/cli';
import { parseReportText } from '../helpers/report-file';

const generated = generateOrg({ projects: 1000, keysPerProject: 2, members: 5000, teams: 200, integrations: 30, seed: 11 });
const ORG = generated.org.slug;
const env = { SENTRY_AUTH_TOKEN: generated.tokens.admin };

/** The organization as a comparable value, minus its audit log (undo adds entries, as Sentry does). */
function comparableState(): unknown {
  const org = sim.state.organizations.find((o) => o.slug === ORG);
  if (!org) throw new Error(`no organization ${ORG}`);
  const { auditLog: _auditLog, ...rest } = org;
  return JSON.parse(JSON.stringify({ org: rest, users: sim.state.users }));
}

let sim: RunningSimulator;
let work: { dir: string; cleanup: () => void };
let keyFile: string;
beforeAll(async () => {
  sim = await startSimulator({ state: generated.state, asyncTaskDelayMs: 10 });
  work = tempDir();
  keyFile = path.join(work.dir, 'ci-key.pem');
  writeFileSync(keyFile, exportPrivateKeyPem(generateSigningKey().privateKey), { mode: 0o600 });
});
afterAll(async () => {
  await sim.close();
  work.cleanup();
});

describe('a large organization (1,000 projects, 5,000 members)', () => {
  it('audits into a package that grows with the organization, not with findings x reads, and verifies', { timeout: 240_000 }, async () => {
    const out = path.join(work.dir, 'audit-pkg');
    const audit = await runCli(['audit', '--org', ORG, '--url', sim.url, '--out', out, '--sign-key', keyFile], { env, cwd: work.dir });
    expect(audit.code, audit.stderr).toBe(1);
    const text = readFileSync(path.join(out, 'report.json'), 'utf8');
    const report = parseReportText(text);
    // In the file (layout 3) a finding cites its groups by id alone; readers expand them.
    const inFile = (JSON.parse(text) as { findings: { evidenceGroups?: unknown[] }[] }).findings.flatMap((f) => f.evidenceGroups ?? []);
    expect(inFile.length).toBeGreaterThan(1000);
    expect(inFile.every((g) => typeof g === 'string' && /^[0-9a-f]{64}$/.test(g))).toBe(true);
    const teamless = report.findings.filter((f) => f.check === '2.1.members-without-team' && f.status === 'fail');
    expect(teamless.length).toBeGreaterThan(500);
    // Each "no team" finding rests on the member list, the team list and all 200 rosters, cited
    // through two shared groups (the lists, the rosters) rather than 202 references each.
    const groups = new Map((report.evidenceGroups ?? []).map((g) => [g.id, g]));
    const listed = new Set(report.reads.map((r) => r.sha256));
    for (const f of teamless) {
      expect(f.evidence).toEqual([]);
      expect(f.evidenceGroups?.map((g) => [g.label, g.size])).toEqual([
        ['shared reads: members/, teams/', 2],
        ['every team roster', 200],
      ]);
      const digests = findingReadDigests(f, groups);
      expect(new Set(digests).size).toBe(202);
      expect(digests.every((d) => listed.has(d))).toBe(true);
    }
    expect(new Set(teamless.map((f) => f.evidenceGroups![1]!.id)).size).toBe(1);
    // Quadratic before (95 MB at this size); linear now: well under 1 KB a finding.
    expect(statSync(path.join(out, 'report.json')).size).toBeLessThan(report.findings.length * 1000);

    const verify = await runCli(['verify', out], { env: {}, cwd: work.dir });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('plans every fix of the organization without an internal error (notes summarise long lists)', { timeout: 120_000 }, async () => {
    const planFile = path.join(work.dir, 'plan-all.json');
    const plan = await runCli(['plan', '--org', ORG, '--url', sim.url, '--sign-key', keyFile, '--out', planFile], { env, cwd: work.dir });
    expect(plan.code, plan.stderr.slice(-2000)).toBe(0);
    const planned = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
    expect(planned.changes.length).toBeGreaterThan(1000);
    expect(plan.stderr).not.toMatch(/internal error|too_big/);
  });

  it('plans, applies, undoes and verifies the organization back to where it was', { timeout: 300_000 }, async () => {
    const before = comparableState();
    const planFile = path.join(work.dir, 'plan.json');
    const plan = await runCli(['plan', '--org', ORG, '--url', sim.url, '--sign-key', keyFile, '--out', planFile, '--only', '2.1,3.2'], { env, cwd: work.dir });
    expect(plan.code, plan.stderr).toBe(0);
    const planned = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
    expect(planned.changes.length).toBeGreaterThan(100);

    const journal = path.join(work.dir, 'journal');
    const apply = await runCli(['apply', planFile, '--sign-key', keyFile, '--url', sim.url, '--yes', '--confirm-org', ORG, '--journal-dir', journal], { env, cwd: work.dir });
    expect(apply.code, apply.stdout.slice(-2000) + apply.stderr.slice(-2000)).toBe(0);
    expect(comparableState()).not.toEqual(before);

    const [run] = listJournals(journal).filter((j) => readJournal(j).records.some((r) => r.phase === 'run' && r.kind === 'apply'));
    const undo = await runCli(['undo', run as string, '--url', sim.url, '--yes', '--confirm-org', ORG, '--journal-dir', journal], { env, cwd: work.dir });
    expect(undo.code, undo.stdout.slice(-2000) + undo.stderr.slice(-2000)).toBe(0);
    expect(comparableState()).toEqual(before);

    const out = path.join(work.dir, 'after-undo-pkg');
    const audit = await runCli(['audit', '--org', ORG, '--url', sim.url, '--out', out, '--sign-key', keyFile], { env, cwd: work.dir });
    expect(audit.code, audit.stderr).toBe(1);
    const verify = await runCli(['verify', out], { env: {}, cwd: work.dir });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });
});

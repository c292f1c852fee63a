import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { exportPrivateKeyPem, generateSigningKey } from '../../core/evidence/keys';
import { listJournals, readJournal } from '../../core/engine/journal';

import type { Plan } from '../../shared/plan';
import { DEMO_ORG_SLUG, DEMO_TOKENS, type RunningSimulator } from '../../simulator/index';
import { comparableState } from '../core/fixes/helpers';
import { runCli } from '../helpers/cli';
import { writeSigningKeyFile } from '../helpers/plan-key';
import { tempDirs } from '../helpers/evidence';
import { MEMBER_CHECKS, describeEachProfile, startProfileSim } from '../helpers/profiles';
import { parseReportText } from '../helpers/report-file';

// The main CLI flows on every server profile: audit at L1/L2/L3 (L3 with a signed package that
// verify accepts), plan, apply, re-audit, undo. A new profile in simulator/profiles.ts joins here.
const TOKEN = DEMO_TOKENS.admin;
const KEY = generateSigningKey();
const dirs = tempDirs();
let keyFile: string;
let pubFile: string;
let sim: RunningSimulator | undefined;
const NO_KEYCHAIN = { SENTRY_HARDEN_KEYCHAIN_SERVICE: 'not a valid service!' };

beforeAll(() => {
  const keys = dirs.make('cli-profiles-key-');
  keyFile = path.join(keys, 'signer.pem');
  pubFile = path.join(keys, 'signer.pub.pem');
  writeFileSync(keyFile, exportPrivateKeyPem(KEY.privateKey));
  writeFileSync(pubFile, KEY.publicKeyPem);
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});
afterAll(() => dirs.cleanup());

describeEachProfile('CLI', (profile) => {
  it('audits at L1, L2 and L3 with no check in error; the L3 package verifies', async () => {
    sim = await startProfileSim(profile);
    const env = { SENTRY_AUTH_TOKEN: TOKEN, ...NO_KEYCHAIN };
    const dir = dirs.make('cli-profiles-');
    for (const level of ['L1', 'L2'] as const) {
      const r = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--level', level], { env, cwd: dir });
      // 1: checks failed (the demo org is meant to fail some); 3 would mean a check could not be evaluated.
      expect(r.code, `${level}: ${r.stdout}${r.stderr}`).toBe(1);
    }
    const pkg = path.join(dir, 'l3');
    const l3 = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--level', 'L3', '--out', pkg, '--sign-key', keyFile], { env, cwd: dir });
    expect(l3.code, l3.stdout + l3.stderr).toBe(1);
    const report = parseReportText(readFileSync(path.join(pkg, 'report.json'), 'utf8'));
    const findings = report.findings;
    expect(findings.filter((f) => f.status === 'error')).toEqual([]);
    for (const check of MEMBER_CHECKS) expect(findings.some((f) => f.check === check), check).toBe(true);
    // verify recomputes every verdict from raw/, so the profile's response shapes replay too.
    const verified = await runCli(['verify', pkg, '--key', pubFile], { env, cwd: dir });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });

  it('plans, applies with --yes, re-audits and undoes back to the starting state', async () => {
    sim = await startProfileSim(profile);
    const env = { SENTRY_AUTH_TOKEN: TOKEN, ...NO_KEYCHAIN };
    const dir = dirs.make('cli-profiles-');
    const before = comparableState(sim.state);
    const planFile = path.join(dir, 'plan.json');
    // Plans are signed with the evidence key and bound to their target (--url).
    const { file: keyFile } = writeSigningKeyFile(dir);
    const planned = await runCli(['plan', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--only', '2.1,2.3', '--set', 'role.3006=member', '--set', 'keepInvites=3014', '--out', planFile, '--sign-key', keyFile], { env, cwd: dir });
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
    expect(plan.changes.map((c) => c.fix)).toEqual(expect.arrayContaining(['org-settings', 'member-role']));
    // The expired invite is kept: revoking it cannot be undone, and this flow ends with an undo.
    expect(plan.changes.every((c) => c.reversible)).toBe(true);
    const journalDir = path.join(dir, 'journal');
    const applied = await runCli(['apply', planFile, '--yes', '--confirm-org', DEMO_ORG_SLUG, '--journal-dir', journalDir, '--sign-key', keyFile, '--url', sim.url], { env, cwd: dir });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(sim.state.organizations[0]?.settings.openMembership).toBe(false);
    expect(sim.state.organizations[0]?.members.find((m) => m.id === '3006')?.orgRole).toBe('member');
    const after = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', sim.url], { env, cwd: dir });
    expect(after.stdout).not.toMatch(/FAIL\s+2\.1\.open-membership/);
    expect(after.code, after.stdout).toBe(1);
    const [journal] = listJournals(journalDir).filter((j) => readJournal(j).records.some((r) => r.phase === 'run' && r.kind === 'apply'));
    const undone = await runCli(['undo', journal as string, '--yes', '--confirm-org', DEMO_ORG_SLUG, '--journal-dir', journalDir, '--url', sim.url], { env, cwd: dir });
    expect(undone.code, undone.stdout + undone.stderr).toBe(0);
    expect(comparableState(sim.state)).toEqual(before);
    for (const text of [planned.stdout, planned.stderr, applied.stdout, applied.stderr, undone.stdout]) expect(text).not.toContain(TOKEN);
  });
});

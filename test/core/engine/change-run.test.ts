import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../../core/app/engine';
import type { ProfileSession } from '../../../core/app/handlers';
import { createAppPackageWriter } from '../../../core/app/package-writer';
import type { HandlerContext } from '../../../core/app/router';
import { listJournals, readJournal, runRecordOf } from '../../../core/engine/journal';
import { changeRecordsFromJournal } from '../../../core/evidence/changes';
import { exportPrivateKeyPem, generateSigningKey } from '../../../core/evidence/keys';
import { createKeychain } from '../../../core/secrets/keychain';
import { emptyRegisters } from '../../../core/store/index';
import type { EvidenceReport } from '../../../shared/evidence';
import { DEMO_ORG_SLUG, DEMO_TOKENS, type RunningSimulator } from '../../../simulator/index';
import { startDemoSim } from '../fixes/helpers';
import { runCli } from '../../helpers/cli';
import { tempDirs } from '../../helpers/evidence';
import { parseReportText } from '../../helpers/report-file';

/**
 * Both fronts run the one change sequence of core/engine/change-run.ts: the same session (plan,
 * apply, package, undo) through the CLI and through the app's engine gateway, each against a
 * fresh demo simulator, must leave the same journals and the same package.
 */

const TOKEN = DEMO_TOKENS.admin;
const LEVEL = 'L2';
const ONLY = ['2.1'];
const dirs = tempDirs();
const sims: RunningSimulator[] = [];

afterEach(async () => {
  for (const s of sims.splice(0)) await s.close();
});
afterAll(() => dirs.cleanup());

/** A journal's outcomes per change, without ids of runs or times. */
function journalOutcomes(journalDir: string): { kind: string; changes: unknown[] }[] {
  return listJournals(journalDir)
    .map((file) => readJournal(file))
    .map((j) => ({
      kind: runRecordOf(j).kind,
      changes: changeRecordsFromJournal(j).map((c) => ({ id: c.id, fix: c.fix, check: c.check, resource: c.resource.name, field: c.field, before: c.before, after: c.after, recheck: c.recheck, outcome: c.outcome, message: c.message })),
    }))
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'apply' ? -1 : 1));
}

function readPackage(dir: string): EvidenceReport {
  return parseReportText(readFileSync(path.join(dir, 'report.json'), 'utf8'));
}

/** What a package says: the findings before and after, and the changes. */
function packageSummary(report: EvidenceReport): unknown {
  const findings = (list: EvidenceReport['findings'] | undefined) =>
    (list ?? []).map((f) => `${f.check} ${f.resource.type}:${f.resource.name} ${f.status}`).sort();
  return {
    level: report.level,
    before: findings(report.before?.findings),
    after: findings(report.findings),
    changes: report.changes.map((c) => ({ id: c.id, fix: c.fix, resource: c.resource.name, field: c.field, before: c.before, after: c.after, outcome: c.outcome, kind: c.kind ?? 'apply' })),
  };
}

async function throughCli(): Promise<{ journals: ReturnType<typeof journalOutcomes>; pkg: EvidenceReport; state: unknown }> {
  const sim = await startDemoSim();
  sims.push(sim);
  const dir = dirs.make('change-run-cli-');
  const keyFile = path.join(dir, 'key.pem');
  writeFileSync(keyFile, exportPrivateKeyPem(generateSigningKey().privateKey));
  const env = { SENTRY_AUTH_TOKEN: TOKEN, SENTRY_HARDEN_KEYCHAIN_SERVICE: 'not a valid service!' };
  const planFile = path.join(dir, 'plan.json');
  const journalDir = path.join(dir, 'journal');
  const plan = await runCli(['plan', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--level', LEVEL, '--only', ONLY.join(','), '--out', planFile, '--sign-key', keyFile], { env, cwd: dir });
  expect(plan.code, plan.stderr).toBe(0);
  const pkgDir = path.join(dir, 'evidence');
  const apply = await runCli(['apply', planFile, '--yes', '--confirm-org', DEMO_ORG_SLUG, '--journal-dir', journalDir, '--out', pkgDir, '--sign-key', keyFile, '--url', sim.url], { env, cwd: dir });
  expect(apply.code, apply.stdout + apply.stderr).toBe(0);
  const journal = /Journal: (.+)/.exec(apply.stdout)?.[1]?.trim() ?? '';
  const undo = await runCli(['undo', journal, '--yes', '--confirm-org', DEMO_ORG_SLUG, '--journal-dir', journalDir, '--url', sim.url], { env, cwd: dir });
  expect(undo.code, undo.stdout + undo.stderr).toBe(0);
  return { journals: journalOutcomes(journalDir), pkg: readPackage(pkgDir), state: sim.state.organizations[0]?.settings };
}

async function throughApp(): Promise<{ journals: ReturnType<typeof journalOutcomes>; pkg: EvidenceReport; state: unknown }> {
  const sim = await startDemoSim();
  sims.push(sim);
  const dir = dirs.make('change-run-app-');
  const journalDir = path.join(dir, 'journal');
  const engine = createEngine({
    journalDir,
    registers: () => emptyRegisters(),
    auditSettings: () => ({}),
    reportDestination: { choose: async ({ suggestedName }) => path.join(dir, suggestedName) },
    // A keychain service of its own: without D-Bus the demo's throwaway key signs.
    writePackage: createAppPackageWriter({ keychain: createKeychain({ service: `sentry-harden-test-${randomBytes(4).toString('hex')}` }), throwawayKeyWithoutKeychain: true }),
    secretOf: async () => TOKEN,
    timeoutMs: 5000,
  });
  const session: ProfileSession = {
    profile: { id: 'p1', label: 'Demo', baseUrl: sim.url, orgSlug: DEMO_ORG_SLUG, level: LEVEL, createdAt: '2025-01-01T00:00:00.000Z' },
    getToken: () => TOKEN,
  };
  const ctx: HandlerContext = { sender: { webContentsId: 1, frameUrl: 'app://sentry-harden/', isMainFrame: true }, emit: () => undefined };
  const run = await engine.runAudit(session, { level: LEVEL }, ctx);
  const plan = await engine.planFixes(session, { profileId: 'p1', runId: run.runId, controls: ONLY });
  const applied = await engine.applyFixes(session, { profileId: 'p1', planId: plan.planId, stepIds: plan.steps.map((s) => s.id), confirm: true, confirmOrg: DEMO_ORG_SLUG }, ctx);
  expect(applied.recheckError).toBeNull();
  const saved = await engine.saveReport({ runId: applied.recheck?.runId ?? '', format: 'evidence' }, ctx);
  expect(saved.saved).toBe(true);
  const undone = await engine.undoFixes(session, { profileId: 'p1', applyId: applied.applyId, confirm: true, confirmOrg: DEMO_ORG_SLUG }, ctx);
  expect(undone.fatal).toBeNull();
  return { journals: journalOutcomes(journalDir), pkg: readPackage(saved.path ?? ''), state: sim.state.organizations[0]?.settings };
}

describe('one change run for the CLI and the app', () => {
  it('plan, apply, package, undo: the same journals and the same package through both fronts', async () => {
    const cli = await throughCli();
    const app = await throughApp();
    expect(cli.journals.map((j) => j.kind)).toEqual(['apply', 'undo']);
    expect(cli.journals[0]?.changes.length).toBeGreaterThan(0);
    expect(app.journals).toEqual(cli.journals);
    const cliPkg = packageSummary(cli.pkg);
    expect(packageSummary(app.pkg)).toEqual(cliPkg);
    expect(cli.pkg.changes.every((c) => c.outcome === 'applied')).toBe(true);
    expect(cli.pkg.before?.findings.find((f) => f.check === '2.1.open-membership')?.status).toBe('fail');
    expect(cli.pkg.findings.find((f) => f.check === '2.1.open-membership')?.status).toBe('pass');
    // The undo put both organizations back where they started.
    expect(app.state).toEqual(cli.state);
  });
});

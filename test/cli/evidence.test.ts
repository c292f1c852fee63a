import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exportPrivateKeyPem, generateSigningKey } from '../../core/evidence/keys';
import { signPackage } from '../../core/evidence/package';
import { SIGNING_KEY_ACCOUNT } from '../../core/evidence/signing-key';
import { createKeychain } from '../../core/secrets/keychain';
import { createAppStore } from '../../core/store/index';
import type { EvidenceReport } from '../../shared/evidence';
import type { Plan } from '../../shared/plan';
import { DEMO_ORG_SLUG, DEMO_TOKENS, type RunningSimulator } from '../../simulator/index';
import { startDemoSim } from '../core/fixes/helpers';
import { runCli } from '../helpers/cli';
import { filesHoldingSecrets, filesOf, simulatorSecrets, tempDirs } from '../helpers/evidence';
import { parseReportText } from '../helpers/report-file';

const TOKEN = DEMO_TOKENS.admin;
const KEY = generateSigningKey();
const OTHER = generateSigningKey();
const dirs = tempDirs();
let work: string;
let keyFile: string;
let pubFile: string;
let sim: RunningSimulator | undefined;

beforeAll(() => {
  work = dirs.make('cli-evidence-');
  keyFile = path.join(work, 'consultant.pem');
  pubFile = path.join(work, 'consultant.pub.pem');
  writeFileSync(keyFile, exportPrivateKeyPem(KEY.privateKey));
  writeFileSync(pubFile, KEY.publicKeyPem);
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});
afterAll(() => dirs.cleanup());

function readReport(dir: string): EvidenceReport {
  return parseReportText(readFileSync(path.join(dir, 'report.json'), 'utf8'));
}

/** An env where the OS keychain cannot be used (an invalid service name): proves it is not touched. */
const NO_KEYCHAIN = { SENTRY_HARDEN_KEYCHAIN_SERVICE: 'not a valid service!' };

describe('the full session on the demo organization', () => {
  it('audit, plan, apply with --out, re-audit: a before/after package that verify accepts, with no secret in it', async () => {
    sim = await startDemoSim();
    const env = { SENTRY_AUTH_TOKEN: TOKEN, ...NO_KEYCHAIN };
    const dir = dirs.make('session-');
    const planFile = path.join(dir, 'plan.json');
    const rotate = sim.state.organizations[0]?.projects.find((p) => p.slug === 'ios-app')?.keys[0]?.id ?? '';
    const plan = await runCli(['plan', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--level', 'L2', '--only', '2.1,3.2', '--set', `rotateKeys=${rotate}`, '--out', planFile, '--sign-key', keyFile], { env, cwd: dir });
    expect(plan.code, plan.stderr).toBe(0);
    const planned = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
    expect(planned.changes.some((c) => c.fix === 'key-rotate')).toBe(true);

    const pkg = path.join(dir, 'evidence');
    const apply = await runCli(['apply', planFile, '--yes', '--confirm-org', DEMO_ORG_SLUG, '--journal-dir', path.join(dir, 'journal'), '--out', pkg, '--sign-key', keyFile, '--url', sim.url], { env, cwd: dir });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stderr).toContain('Auditing acme-demo before the changes (level L2)');
    expect(apply.stderr).toContain('Auditing again after the changes');
    expect(apply.stdout).toMatch(/Before: \d+ pass, \d+ fail/);
    expect(apply.stdout).toContain(`Evidence package: ${pkg}`);

    const report = readReport(pkg);
    expect(report.level).toBe('L2');
    const status = (findings: EvidenceReport['findings'] | undefined, check: string) => findings?.find((f) => f.check === check)?.status;
    expect(status(report.before?.findings, '2.1.open-membership')).toBe('fail');
    expect(status(report.findings, '2.1.open-membership')).toBe('pass');
    expect((report.before?.counts.fail ?? 0) > (report.summary.counts.fail ?? 0)).toBe(true);
    expect(Date.parse(report.session?.startedAt ?? '')).toBe(Date.parse(report.before?.startedAt ?? ''));
    // Every change, with the exact request, Sentry's answer and the re-check.
    expect(report.changes.map((c) => c.id)).toEqual(planned.changes.map((c) => c.id));
    for (const c of report.changes) {
      expect(c.outcome).toBe('applied');
      expect(c.request).toEqual(planned.changes.find((p) => p.id === c.id)?.request);
      expect(c.response?.status).toBeGreaterThanOrEqual(200);
      expect(c.recheck).toEqual(c.after);
      expect(c.message).toBe('Applied and verified.');
    }
    const created = report.changes.find((c) => c.fix === 'key-rotate' && c.request.method === 'POST');
    expect(created?.response?.fields).toHaveProperty('dsn.public');

    // Redaction: no API token and no client key secret (the rotated key's new one included) in any file.
    const secrets = simulatorSecrets(sim.state);
    expect(filesHoldingSecrets(pkg, secrets)).toEqual([]);
    for (const out of [apply.stdout, apply.stderr]) for (const s of secrets) expect(out).not.toContain(s);

    const verify = await runCli(['verify', pkg, '--key', pubFile], { cwd: dir });
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toContain(`Signature: valid, checked with the expected key: ${KEY.fingerprint}`);
    expect(verify.stdout).toMatch(/Verdicts recomputed offline from raw\/: before audit: \d+ findings agree; after audit: \d+ findings agree/);
    expect(verify.stdout).toContain('It does not prove that the data Sentry returned was true.');
    expect(verify.stdout).toMatch(/Result: VALID\n$/);
  });
});

describe('sentry-harden verify', () => {
  let pkg: string;
  beforeAll(async () => {
    pkg = path.join(dirs.make('verify-'), 'pkg');
    const r = await runCli(['audit', '--demo', '--out', pkg, '--sign-key', keyFile], { env: NO_KEYCHAIN });
    expect(r.code, r.stderr).toBe(1);
  });

  it('exits 0 on a valid package, 1 naming the file on a changed one, 1 when re-signed by another key', async () => {
    expect((await runCli(['verify', pkg, '--key', pubFile])).code).toBe(0);
    const self = await runCli(['verify', pkg]);
    expect(self.code).toBe(0);
    expect(self.stdout).toContain('checked with the key inside the package (integrity only, not identity)');

    const edited = path.join(dirs.make(), 'edited');
    cpSync(pkg, edited, { recursive: true });
    const html = path.join(edited, 'report.html');
    writeFileSync(html, readFileSync(html, 'utf8').replace('</body>', '<p>all good</p></body>'));
    const bad = await runCli(['verify', edited, '--key', pubFile]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^ {2}report\.html: changed since signing/m);
    expect(bad.stdout).toMatch(/Result: INVALID \(\d+ problems?\)\n$/);

    const resigned = path.join(dirs.make(), 'resigned');
    cpSync(pkg, resigned, { recursive: true });
    await signPackage(resigned, OTHER, {});
    const r = await runCli(['verify', resigned, '--key', pubFile]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`attestation.dsse.json: signed by ${OTHER.fingerprint}, not by the expected key ${KEY.fingerprint}`);
  });

  it('verifies a .zip, prints JSON with --json, and exits 2 when it cannot run', async () => {
    const zip = path.join(dirs.make(), 'evidence.zip');
    const made = await runCli(['audit', '--demo', '--out', zip, '--sign-key', keyFile], { env: NO_KEYCHAIN });
    expect(made.code).toBe(1);
    const z = await runCli(['verify', zip, '--key', pubFile, '--json']);
    expect(z.code).toBe(0);
    const json = JSON.parse(z.stdout) as { valid: boolean; format: string; signature: { identityVerified: boolean }; problems: string[] };
    expect(json).toMatchObject({ valid: true, format: 'zip', signature: { identityVerified: true }, problems: [] });

    const missing = await runCli(['verify', path.join(work, 'no-such-package')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no-such-package does not exist/);
    const noKey = await runCli(['verify', pkg, '--key', path.join(work, 'nope.pem')]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/cannot read the public key/);
    const privateAsKey = await runCli(['verify', pkg, '--key', keyFile]);
    expect(privateAsKey.code).toBe(2);
    expect(privateAsKey.stderr).toMatch(/is a private key; give the public key/);
    expect((await runCli(['verify'])).code).toBe(2);
  });
});

describe('registers, baseline and review schedule from the CLI', () => {
  it('carries --registers into the package and prints drift against --baseline', async () => {
    sim = await startDemoSim();
    const env = { SENTRY_AUTH_TOKEN: TOKEN, ...NO_KEYCHAIN };
    const dir = dirs.make('baseline-');
    const registersFile = (name: string, expiresAt: string): string => {
      const file = path.join(dir, name);
      const exception = { id: 'exc-1', control: '2.1', check: '2.1.open-membership', reason: 'Pilot until March.', approvedBy: 'CISO', owner: 'CTO', expiresAt, createdAt: '2026-01-01T00:00:00.000Z' };
      writeFileSync(file, JSON.stringify({ exceptions: [exception] }));
      return file;
    };
    const registers = registersFile('registers.json', '2100-01-01T00:00:00.000Z');
    const first = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--out', 'first', '--sign-key', keyFile, '--registers', registers], { env, cwd: dir });
    expect(first.code, first.stderr).toBe(1);
    expect(readReport(path.join(dir, 'first')).exceptionSummary).toMatchObject({ accepted: 1, active: 1 });

    const o = sim.state.organizations[0];
    if (!o) throw new Error('no org');
    o.settings.openMembership = false;
    const second = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--out', 'second', '--sign-key', keyFile, '--baseline', 'first', '--review-days', '30', '--registers', registersFile('lapsed.json', '2026-01-31T00:00:00.000Z')], { env, cwd: dir });
    expect(second.code, second.stderr).toBe(1);
    expect(second.stdout).toMatch(/Drift since the review of \d{4}-\d\d-\d\d \(baseline signed by SHA256:/);
    expect(second.stdout).toMatch(/ {2}fixed \(1\):\n {4}2\.1\.open-membership {2}organization Acme Demo: Failed at the last review; passes now\./);
    expect(second.stdout).toMatch(/ {2}expired exceptions \(1\):\n {4}exc-1 \(2\.1\)/);
    const report = readReport(path.join(dir, 'second'));
    expect(report.drift?.fixed.map((d) => d.check)).toEqual(['2.1.open-membership']);
    expect(Date.parse(report.review.nextReviewDate) - Date.parse(report.finishedAt)).toBe(30 * 86_400_000);
    expect((await runCli(['verify', 'second', '--key', pubFile], { cwd: dir })).code).toBe(0);

    // A tampered baseline is refused before any request.
    writeFileSync(path.join(dir, 'first', 'findings.csv'), 'edited');
    sim.resetRequests();
    const refused = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--baseline', 'first'], { env, cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/The baseline .*first fails verification: findings\.csv: changed since signing/);
    expect(sim.requests).toEqual([]);
  });

  it('uses a store profile (--profile): records the next review, and warns at the next start once it is overdue', async () => {
    const dir = dirs.make('profile-');
    const config = path.join(dir, 'config');
    const store = createAppStore({ cwd: config });
    store.saveProfile({ id: 'acme', label: 'Acme (demo)', baseUrl: 'https://sentry.io', orgSlug: DEMO_ORG_SLUG, level: 'L1', createdAt: '2026-01-01T00:00:00.000Z' });
    const env = { SENTRY_HARDEN_CONFIG_DIR: config, ...NO_KEYCHAIN };

    const run = await runCli(['audit', '--demo', '--out', 'pkg', '--sign-key', keyFile, '--profile', 'acme'], { env, cwd: dir });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).not.toMatch(/warning: the review/);
    const review = createAppStore({ cwd: config }).getRegisters('acme').review;
    const report = readReport(path.join(dir, 'pkg'));
    expect(review).toEqual({ nextReviewDate: report.review.nextReviewDate, lastSessionAt: report.finishedAt, lastPackage: path.join(dir, 'pkg'), signedBy: KEY.fingerprint });

    // Not due yet: no warning. Past due: a warning naming the profile and the date.
    expect((await runCli(['audit', '--demo'], { env, cwd: dir })).stderr).not.toMatch(/warning: the review/);
    const s = createAppStore({ cwd: config });
    s.saveRegisters('acme', { ...s.getRegisters('acme'), review: { ...(review ?? { lastSessionAt: report.finishedAt }), nextReviewDate: '2026-01-02T00:00:00.000Z' } });
    const late = await runCli(['audit', '--demo'], { env, cwd: dir });
    expect(late.stderr).toContain(`warning: the review of "Acme (demo)" (acme-demo, profile acme) was due on 2026-01-02; last package: ${path.join(dir, 'pkg')}`);

    // A profile of another organization, or an unknown one, is refused.
    store.saveProfile({ id: 'globex', label: 'Globex', baseUrl: 'https://sentry.io', orgSlug: 'globex', level: 'L1', createdAt: '2026-01-01T00:00:00.000Z' });
    const other = await runCli(['audit', '--demo', '--profile', 'globex'], { env, cwd: dir });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--profile globex is for organization globex, not acme-demo/);
    expect((await runCli(['audit', '--demo', '--profile', 'nobody'], { env, cwd: dir })).stderr).toMatch(/no such profile/);
  });

  it('refuses an output folder holding other files before auditing, and a missing keychain without --sign-key', async () => {
    sim = await startDemoSim();
    const env = { SENTRY_AUTH_TOKEN: TOKEN, ...NO_KEYCHAIN };
    const dir = dirs.make('refuse-');
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    sim.resetRequests();
    const r = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--out', dir, '--sign-key', keyFile], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds files that are not part of an evidence package \(notes\.txt\)/);
    expect(sim.requests).toEqual([]);

    const k = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--out', path.join(dir, 'pkg')], { env });
    expect(k.code).toBe(2);
    expect(k.stderr).toMatch(/Keychain service name/);
    expect(sim.requests).toEqual([]);
  });
});

// The CLI's default signing key lives in the OS keychain: `npm test` provides a real Secret
// Service (scripts/with-keyring.sh); elsewhere this test skips and says why.
const SERVICE = `sentry-harden-cli-test-${process.pid}-${randomBytes(3).toString('hex')}`;
const keychain = createKeychain({ service: SERVICE });
let skipReason: string | null = null;
if (process.platform !== 'linux') skipReason = 'the Secret Service tests are Linux-only';
else if (!process.env.DBUS_SESSION_BUS_ADDRESS) skipReason = 'DBUS_SESSION_BUS_ADDRESS is unset (run the suite under scripts/with-keyring.sh)';
else {
  const probe = await keychain.probe();
  if (!probe.available) skipReason = probe.error.message;
}
if (skipReason) console.warn(`CLI keychain signing tests skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('the keychain-held signing key (real Secret Service)', () => {
  afterAll(async () => {
    await keychain.deleteSecret(SIGNING_KEY_ACCOUNT).catch(() => undefined);
  });

  it('is created on the first package and reused for the next', async () => {
    const dir = dirs.make('keychain-');
    const env = { SENTRY_HARDEN_KEYCHAIN_SERVICE: SERVICE };
    const first = await runCli(['audit', '--demo', '--out', 'one'], { env, cwd: dir });
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toMatch(/Signed by SHA256:\S+ \(new key created in the OS keychain\)/);
    const second = await runCli(['audit', '--demo', '--out', 'two'], { env, cwd: dir });
    expect(second.stdout).toMatch(/\(key from the OS keychain\)/);
    const fp = (text: string) => /Signed by (SHA256:\S+)/.exec(text)?.[1];
    expect(fp(second.stdout)).toBe(fp(first.stdout));
    const pub = readFileSync(path.join(dir, 'one', 'signing-key.pub.pem'), 'utf8');
    expect(readFileSync(path.join(dir, 'two', 'signing-key.pub.pem'), 'utf8')).toBe(pub);
    writeFileSync(path.join(dir, 'expected.pub.pem'), pub);
    expect((await runCli(['verify', 'one', '--key', 'expected.pub.pem'], { cwd: dir })).code).toBe(0);
    expect(filesOf(path.join(dir, 'one'))).toContain('signing-key.fingerprint.txt');
  });
});

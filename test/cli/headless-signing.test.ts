import { spawn } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signPackage } from '../../core/evidence/package';
import { SIGNING_KEY_ENV } from '../../core/evidence/signing-key';

import { runCli } from '../helpers/cli';
import { tempDirs, TEST_KEY } from '../helpers/evidence';
import { parseReportText } from '../helpers/report-file';

const BIN = path.resolve(import.meta.dirname, '..', '..', 'bin', 'sentry-harden.mjs');
const dirs = tempDirs();
afterAll(() => dirs.cleanup());

/**
 * A CI runner: no D-Bus session at all (so no Secret Service), a HOME of its own, nothing of the
 * caller's keyring. The real CLI in a child process, as a pipeline would start it.
 */
function ciEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_DATA_HOME: path.join(home, 'data'), XDG_CONFIG_HOME: path.join(home, 'config') };
  expect(env.DBUS_SESSION_BUS_ADDRESS).toBeUndefined();
  return env;
}

function runBin(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('audit in CI with no D-Bus and no keyring', () => {
  it('writes the full package unsigned, says so everywhere, and verify says UNSIGNED with its own exit status', async () => {
    const home = dirs.make('ci-home-');
    const pkg = path.join(home, 'evidence');
    const env = ciEnv(home);
    const audit = await runBin(['audit', '--demo', '--out', pkg], env, home);
    // The exit status follows the findings (the demo organization fails checks), not the key.
    expect(audit.code, audit.stderr).toBe(1);
    expect(audit.stderr).toMatch(/warning: the evidence package will be UNSIGNED: no OS keychain is reachable/);
    expect(audit.stdout).toMatch(/UNSIGNED: no OS keychain is reachable/);

    const report = parseReportText(readFileSync(path.join(pkg, 'report.json'), 'utf8'));
    expect(report.unsigned?.reason).toMatch(/no OS keychain/);
    expect(report.signer).toBeUndefined();
    expect(report.findings.length).toBeGreaterThan(0);
    expect(() => statSync(path.join(pkg, 'attestation.dsse.json'))).toThrow();
    for (const f of ['manifest.json', 'report.html', 'findings.csv', 'review.ics']) expect(statSync(path.join(pkg, f)).isFile()).toBe(true);
    expect(readFileSync(path.join(pkg, 'report.html'), 'utf8')).toMatch(/id="unsigned-banner" role="note">Unsigned: no OS keychain is reachable/);

    const verify = await runBin(['verify', pkg], env, home);
    expect(verify.code, verify.stdout).toBe(3);
    expect(verify.stdout).toMatch(/Signature: NONE, the package is unsigned/);
    expect(verify.stdout).toMatch(/Verdicts recomputed offline from raw\/: the audit: \d+ findings agree/);
    expect(verify.stdout).toMatch(/Result: UNSIGNED/);
    const json = JSON.parse((await runBin(['verify', pkg, '--json'], env, home)).stdout) as { status: string; valid: boolean };
    expect(json).toMatchObject({ status: 'unsigned', valid: false });

    // Next week's run compares with it: an intact unsigned package is a usable baseline.
    const next = await runBin(['audit', '--demo', '--out', path.join(home, 'next'), '--baseline', pkg], env, home);
    expect(next.code, next.stderr).toBe(1);
    expect(next.stdout).toMatch(/Drift since the review of \d{4}-\d\d-\d\d \(baseline unsigned\):\n {2}no change\./);

    // Integrity is still checked: a changed verdict file is INVALID (exit 1), not UNSIGNED.
    const csv = path.join(pkg, 'findings.csv');
    writeFileSync(csv, `${readFileSync(csv, 'utf8')}x\n`);
    const bad = await runBin(['verify', pkg], env, home);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/findings\.csv: changed since it was written/);
    const refused = await runBin(['audit', '--demo', '--baseline', pkg], env, home);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/fails verification: findings\.csv: changed since it was written/);
  }, 120_000);
});

describe('signing without a keychain', () => {
  it('keys create writes a CI key that SENTRY_HARDEN_SIGNING_KEY signs with, and keys public shows it', async () => {
    const dir = dirs.make('ci-key-');
    const keyFile = path.join(dir, 'ci-key.pem');
    const made = await runCli(['keys', 'create', '--out', keyFile], { cwd: dir });
    expect(made.code, made.stderr).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const again = await runCli(['keys', 'create', '--out', keyFile], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; a key is never overwritten/);

    const pub = await runCli(['keys', 'public', keyFile], { cwd: dir });
    expect(pub.code).toBe(0);
    expect(pub.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    const fingerprint = /^(SHA256:\S+)/.exec(pub.stderr)?.[1];
    expect(made.stdout).toContain(`Fingerprint: ${fingerprint}`);
    writeFileSync(path.join(dir, 'ci.pub.pem'), pub.stdout);

    // As a CI secret arrives: the PEM in the variable, line breaks written as "\n".
    const env = { [SIGNING_KEY_ENV]: readFileSync(keyFile, 'utf8').trim().replaceAll('\n', '\\n'), SENTRY_HARDEN_KEYCHAIN_SERVICE: 'not a valid service!' };
    expect((await runCli(['keys', 'public'], { env, cwd: dir })).stdout).toBe(pub.stdout);
    const pkg = path.join(dir, 'pkg');
    const audit = await runCli(['audit', '--demo', '--out', pkg], { env, cwd: dir });
    expect(audit.stdout).toContain(`Signed by ${fingerprint} (key from ${SIGNING_KEY_ENV})`);
    const verify = await runCli(['verify', pkg, '--key', path.join(dir, 'ci.pub.pem')], { cwd: dir });
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/Result: VALID\n$/);

    const broken = await runCli(['audit', '--demo', '--out', path.join(dir, 'pkg2')], { env: { [SIGNING_KEY_ENV]: 'not a key' }, cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/The key in SENTRY_HARDEN_SIGNING_KEY is not a readable PEM private key/);
  }, 120_000);

  it('a signed package whose signature was stripped, or an unsigned one asked for a key, is INVALID', async () => {
    const dir = dirs.make('strip-');
    const pkg = path.join(dir, 'pkg');
    const keyFile = path.join(dir, 'k.pem');
    expect((await runCli(['keys', 'create', '--out', keyFile], { cwd: dir })).code).toBe(0);
    expect((await runCli(['audit', '--demo', '--out', pkg, '--sign-key', keyFile], { cwd: dir })).stdout).toMatch(/Signed by/);
    for (const f of ['attestation.dsse.json', 'signing-key.pub.pem', 'signing-key.fingerprint.txt']) rmSync(path.join(pkg, f));
    // Re-list the remaining files so only the signature is missing.
    const manifest = JSON.parse(readFileSync(path.join(pkg, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
    manifest.files = manifest.files.filter((f) => !f.path.startsWith('signing-key.'));
    writeFileSync(path.join(pkg, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const stripped = await runCli(['verify', pkg], { cwd: dir });
    expect(stripped.code).toBe(1);
    expect(stripped.stdout).toMatch(/report\.json: names the signer SHA256:\S+, but the package carries no signature \(it was removed\)/);

    const unsigned = path.join(dir, 'unsigned');
    const env = { SENTRY_HARDEN_KEYCHAIN_SERVICE: 'sentry-harden-test-none' };
    const made = await runBin(['audit', '--demo', '--out', unsigned], ciEnv(dir), dir);
    expect(made.code).toBe(1);
    writeFileSync(path.join(dir, 'pub.pem'), TEST_KEY.publicKeyPem);
    const withKey = await runCli(['verify', unsigned, '--key', path.join(dir, 'pub.pem')], { env, cwd: dir });
    expect(withKey.code).toBe(1);
    expect(withKey.stdout).toMatch(/a signature by the expected key was asked for, and the package is unsigned/);

    // Signing an unsigned package afterwards contradicts its report.json.
    await signPackage(unsigned, TEST_KEY, {});
    const resigned = await runCli(['verify', unsigned], { cwd: dir });
    expect(resigned.code).toBe(1);
    expect(resigned.stdout).toMatch(/says the package is unsigned, but it carries a signature/);
  }, 120_000);
});

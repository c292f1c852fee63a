import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPrivateKeyPem, generateSigningKey } from '../../core/evidence/keys';
import { DEMO_TOKENS } from '../../simulator/index';
import { runCli } from '../helpers/cli';
import { tempDirs } from '../helpers/evidence';

const NO_KEYCHAIN = { SENTRY_HARDEN_KEYCHAIN_SERVICE: 'not a valid service!' };
const KEY = generateSigningKey();
const dirs = tempDirs();
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../fixtures/oscal/oscal_assessment-results_schema.json'), 'utf8')) as object);

let work: string;
let keyFile: string;
let pkg: string;
beforeAll(async () => {
  work = dirs.make('cli-export-');
  keyFile = path.join(work, 'key.pem');
  writeFileSync(keyFile, exportPrivateKeyPem(KEY.privateKey));
  writeFileSync(path.join(work, 'key.pub.pem'), KEY.publicKeyPem);
  pkg = path.join(work, 'pkg');
  const r = await runCli(['audit', '--demo', '--level', 'L2', '--out', pkg, '--sign-key', keyFile], { env: NO_KEYCHAIN });
  expect(r.code, r.stderr).toBe(1);
});
afterAll(() => dirs.cleanup());

describe('sentry-harden export oscal', () => {
  it('converts a verified package into schema-valid assessment results whose links resolve', async () => {
    const out = path.join(work, 'oscal');
    const r = await runCli(['export', 'oscal', out, '--from', pkg, '--key', path.join(work, 'key.pub.pem')]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(path.join(out, 'assessment-results.json'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const resources = doc['assessment-results']['back-matter'].resources as { rlinks: { href: string }[] }[];
    expect(resources.length).toBeGreaterThan(5);
    for (const res of resources) expect(existsSync(path.resolve(out, res.rlinks[0]!.href))).toBe(true);
    // Second run: never overwrites.
    const again = await runCli(['export', 'oscal', out, '--from', pkg]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('refuses a package that does not verify, and writes nothing', async () => {
    const tampered = path.join(work, 'tampered');
    await runCli(['audit', '--demo', '--out', tampered, '--sign-key', keyFile], { env: NO_KEYCHAIN });
    const reportFile = path.join(tampered, 'report.json');
    writeFileSync(reportFile, readFileSync(reportFile, 'utf8').replace('"fail"', '"pass"'));
    const out = path.join(work, 'oscal-tampered');
    const r = await runCli(['export', 'oscal', out, '--from', tampered]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/does not verify/);
    expect(existsSync(out)).toBe(false);
  });

  it('explains what is missing', async () => {
    const r = await runCli(['export', 'oscal', path.join(work, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--from PACKAGE is required/);
    const k = await runCli(['export', 'nope']);
    expect(k.stderr).toMatch(/expected "oscal" or "terraform"/);
  });
});

describe('sentry-harden export terraform', () => {
  it('writes the demo organization as configuration with import blocks and a README, never a token', async () => {
    const out = path.join(work, 'tf');
    const r = await runCli(['export', 'terraform', out, '--demo']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/resources with import blocks/);
    const all = ['versions.tf', 'projects.tf', 'keys.tf', 'access.tf', 'README.md'].map((f) => readFileSync(path.join(out, f), 'utf8')).join('\n');
    expect(all).toMatch(/import \{\n  to = sentry_key\./);
    expect(all).toMatch(/FAILS 3\.2\.rate-limit/);
    for (const t of Object.values(DEMO_TOKENS)) expect(all).not.toContain(t);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPrivateKeyPem, generateSigningKey } from '../../core/evidence/keys';
import { AuditReportSchema } from '../../shared/report';
import { createDemoState, DEMO_ORG_SLUG, DEMO_TOKENS, startSimulator, type RunningSimulator } from '../../simulator/index';
import { runCli } from '../helpers/cli';
import { filesOf } from '../helpers/evidence';
import { expandGroupRefs } from '../../core/evidence/report-file';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const ALL_TOKENS = Object.values(DEMO_TOKENS);
let sim: RunningSimulator;
let dir: string;
let keyFile: string;
const KEY = generateSigningKey();

beforeAll(async () => {
  sim = await startSimulator({ state: createDemoState() });
  dir = mkdtempSync(path.join(tmpdir(), 'cli-audit-'));
  keyFile = path.join(dir, 'signing-key.pem');
  writeFileSync(keyFile, exportPrivateKeyPem(KEY.privateKey));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectNoToken(...texts: string[]): void {
  for (const text of texts) for (const t of ALL_TOKENS) expect(text).not.toContain(t);
}

/** report.json of a package: valid against both published schemas (the audit fields and the full package report). */
function validateReport(file: string): unknown {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  for (const name of ['report.schema.json', 'evidence.schema.json']) {
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas', name), 'utf8'));
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(report), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
  }
  // In memory (group ids expanded, as every reader of the tool does) it is an audit report too.
  const expanded = structuredClone(report);
  expandGroupRefs(expanded);
  expect(AuditReportSchema.safeParse(expanded).success).toBe(true);
  return report;
}

describe('sentry-harden audit', () => {
  it('audits the demo organization: summary on stdout, progress on stderr, a valid report.json, exit 1', async () => {
    const out = path.join(dir, 'demo');
    const r = await runCli(['audit', '--demo', '--out', out, '--sign-key', keyFile]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Sentry hardening audit of "Acme Demo"');
    expect(r.stdout).toMatch(/Totals: \d+ pass, \d+ fail, 0 error/);
    expect(r.stdout).toContain('2.1.open-membership');
    expect(r.stderr).toContain('Demo organization');
    expect(r.stderr).toMatch(/\[\d+\/\d+\] 3\.2 /);
    expect(r.stdout).toContain(`Evidence package: ${out}`);
    expect(r.stdout).toContain(`Signed by ${KEY.fingerprint} (key file)`);
    const report = validateReport(path.join(out, 'report.json')) as { level: string; token: { kind: string }; target: { org: { slug: string } } };
    expect(report.level).toBe('L1');
    expect(report.token.kind).toBe('user');
    expect(report.target.org.slug).toBe(DEMO_ORG_SLUG);
    expectNoToken(r.stdout, r.stderr, ...filesOf(out).map((f) => readFileSync(path.join(out, f), 'utf8')));
  });

  it('reads the token from SENTRY_AUTH_TOKEN, and from stdin with --token-stdin', async () => {
    const viaEnv = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--level', 'L2'], { env: { SENTRY_AUTH_TOKEN: DEMO_TOKENS.admin } });
    expect(viaEnv.code).toBe(1);
    expect(viaEnv.stdout).toContain('level L2');
    expect(viaEnv.stdout).toContain('2.2 ');
    const viaStdin = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--token-stdin'], { stdin: `${DEMO_TOKENS.admin}\n` });
    expect(viaStdin.code).toBe(1);
    expectNoToken(viaEnv.stdout, viaEnv.stderr, viaStdin.stdout, viaStdin.stderr);
  });

  it('exits 3 when a check cannot be evaluated, naming the missing scope (read-only token vs the audit log)', async () => {
    const r = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', sim.url], { env: { SENTRY_AUTH_TOKEN: DEMO_TOKENS.readOnly } });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/ERROR\s+4\.1\.[a-z-]+ .*org:write/);
    expectNoToken(r.stdout, r.stderr);
  });

  it.each<[string, NodeJS.ProcessEnv, string[], RegExp]>([
    ['an invalid token', { SENTRY_AUTH_TOKEN: 'sntryu_not_a_real_token_0000000000000000000000000000000000000000000' }, ['--org', DEMO_ORG_SLUG], /token/i],
    ['a wrong organization', { SENTRY_AUTH_TOKEN: DEMO_TOKENS.admin }, ['--org', 'no-such-org'], /no-such-org/],
    ['an org auth token (org:ci only)', { SENTRY_AUTH_TOKEN: DEMO_TOKENS.orgAuth }, ['--org', DEMO_ORG_SLUG], /org:read/],
    ['no token at all', {}, ['--org', DEMO_ORG_SLUG], /SENTRY_AUTH_TOKEN/],
  ])('exits 2 with a message naming the cause for %s', async (_label, env, args, message) => {
    const r = await runCli(['audit', '--url', sim.url, ...args], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expectNoToken(r.stdout, r.stderr);
    if (env.SENTRY_AUTH_TOKEN) expect(r.stderr).not.toContain(env.SENTRY_AUTH_TOKEN);
  });

  it.each([
    ['a malformed URL', ['--url', 'ht!tp://nope'], /address does not start with https:\/\//i],
    ['http to a non-loopback host', ['--url', 'http://sentry.example.com'], /https/i],
    ['a bad level', ['--level', 'L4'], /L1, L2 or L3/],
    ['a missing --org', [], /--org/],
    ['an unknown option', ['--frobnicate'], /frobnicate/],
  ])('exits 2 on %s before any request', async (_label, args, message) => {
    sim.resetRequests();
    const withOrg = args.includes('--org') || _label === 'a missing --org' ? args : ['--org', DEMO_ORG_SLUG, ...args];
    const r = await runCli(['audit', ...withOrg], { env: { SENTRY_AUTH_TOKEN: DEMO_TOKENS.admin } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(sim.requests.length).toBe(0);
  });

  it('audits a self-hosted instance under a path prefix', async () => {
    const prefixed = await startSimulator({ state: createDemoState(), pathPrefix: '/sentry', selfHosted: true });
    try {
      const r = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', `${prefixed.url}/`], { env: { SENTRY_AUTH_TOKEN: DEMO_TOKENS.admin } });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('0 error');
      expect(prefixed.requests.every((q) => q.path.startsWith('/sentry/api/0/'))).toBe(true);
    } finally {
      await prefixed.close();
    }
  });

  it('works through the installed bin (npx sentry-harden --help)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'sentry-harden.mjs'), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('sentry-harden audit --org SLUG');
  });

  it('writes the evidence package and nothing else in the output folder', async () => {
    const out = path.join(dir, 'only-package');
    const r = await runCli(['audit', '--demo', '--out', out, '--sign-key', keyFile]);
    expect(r.code).toBe(1);
    expect(readdirSync(out).sort()).toEqual([
      'attestation.dsse.json',
      'findings.csv',
      'manifest.json',
      'oscal',
      'raw',
      'report.html',
      'report.json',
      'review.ics',
      'signing-key.fingerprint.txt',
      'signing-key.pub.pem',
    ]);
    expect(readdirSync(path.join(out, 'raw')).every((n) => /^[0-9a-f]{64}\.json\.gz$/.test(n))).toBe(true);
    expect(readdirSync(path.join(out, 'oscal'))).toEqual(['assessment-results.json']);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]); // no staging folder left
  });
});

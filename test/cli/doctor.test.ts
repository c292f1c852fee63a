import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../shared/scopes';
import {
  createDemoState,
  DEMO_ORG_SLUG,
  DEMO_TOKENS,
  ORG_ROLES,
  SERVER_PROFILE_NAMES,
  startRegionPair,
  startSimulator,
  TEAM_ROLES,
  type RunningSimulator,
} from '../../simulator/index';
import { runCli } from '../helpers/cli';

/** Every property name of Sentry's OpenAPI schema (vendored): Sentry's field vocabulary. */
const OPENAPI_FIELD_NAMES: ReadonlySet<string> = (() => {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'properties' && v && typeof v === 'object') for (const name of Object.keys(v)) names.add(name);
        visit(v);
      }
    }
  };
  visit(JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../fixtures/sentry-api/openapi.json'), 'utf8')));
  return names;
})();

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cli-doctor-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sims: RunningSimulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function simulator(profile: (typeof SERVER_PROFILE_NAMES)[number] = 'saas'): Promise<RunningSimulator> {
  const sim = await startSimulator({ state: createDemoState(), profile });
  sims.push(sim);
  return sim;
}

const doctor = (sim: RunningSimulator, token: string, ...extra: string[]) =>
  runCli(['doctor', '--org', DEMO_ORG_SLUG, '--url', sim.url, ...extra], { env: { SENTRY_AUTH_TOKEN: token } });

const getRoutes = (sim: RunningSimulator): Set<string> =>
  new Set(sim.requests.filter((r) => r.method === 'GET' && r.route !== null).map((r) => r.route as string));

/** Every string and number anywhere in a value (the simulated organization's state). */
function leaves(value: unknown, out: { strings: Set<string>; numbers: Set<number> }): void {
  if (typeof value === 'string') out.strings.add(value);
  else if (typeof value === 'number') out.numbers.add(value);
  else if (Array.isArray(value)) for (const v of value) leaves(v, out);
  else if (value instanceof Map) for (const [k, v] of value) leaves([k, v], out);
  else if (value instanceof Set) for (const v of value) leaves(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) leaves(v, out);
}

describe('sentry-harden doctor', () => {
  for (const profile of SERVER_PROFILE_NAMES) {
    it(`makes every read the L3 audit makes, GET only, and reports each endpoint (${profile} profile)`, async () => {
      const sim = await simulator(profile);
      const audit = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--level', 'L3'], { env: { SENTRY_AUTH_TOKEN: DEMO_TOKENS.admin } });
      expect(audit.code, audit.stderr).not.toBe(2);
      const auditRoutes = getRoutes(sim);
      sim.resetRequests();

      const r = await doctor(sim, DEMO_TOKENS.admin);
      expect(sim.requests.every((q) => q.method === 'GET'), 'doctor sent a request other than GET').toBe(true);
      const doctorRoutes = getRoutes(sim);
      const missed = [...auditRoutes].filter((route) => !doctorRoutes.has(route));
      expect(missed, 'reads of the audit the doctor does not make').toEqual([]);
      for (const route of auditRoutes) expect(r.stdout).toContain(`GET ${route}`);
      expect(r.stdout).toMatch(/Summary: \d+ endpoints: /);
      expect(r.stdout).not.toContain(DEMO_TOKENS.admin);
      expect(r.stderr).not.toContain(DEMO_TOKENS.admin);
      expect([0, 1, 3]).toContain(r.code);
    });
  }

  it('on the demo organization with an admin token: every endpoint answered and matched, exit 0', async () => {
    const sim = await simulator();
    const r = await doctor(sim, DEMO_TOKENS.admin);
    expect(r.stdout, r.stderr).toContain("0 did not match the product's schema");
    expect(r.stdout).not.toMatch(/^\s+(refused|failed|partly)\b/m);
    expect(r.code).toBe(0);
  });

  it('names the scope a refused read needs, exit 3', async () => {
    const sim = await simulator();
    const r = await doctor(sim, DEMO_TOKENS.readOnly);
    expect(r.stdout).toMatch(/refused\s+GET \/api\/0\/organizations\/\{org\}\/audit-logs\//);
    expect(r.stdout).toMatch(/missing_scope \[needs one of: [^\]]*org:write/);
    expect(r.code).toBe(3);
  });

  it('names the field of a list item that came null, and how many items, exit 1', async () => {
    const sim = await simulator();
    sim.faults.add({ method: 'GET', path: '/api/0/organizations/{org}/members/', kind: 'wrong_shape', field: 'orgRole', value: null });
    const r = await doctor(sim, DEMO_TOKENS.admin);
    expect(r.stdout).toMatch(/answered\s+SCHEMA MISMATCH\s+GET \/api\/0\/organizations\/\{org\}\/members\/, (\d+) of \1 items did not match/);
    expect(r.stdout).toMatch(/\[\]\.orgRole: unexpected null \(expected string\) in \d+ items/);
    expect(r.code).toBe(1);
  });

  it('finds the organization in its region when the base (a control host) does not serve it', async () => {
    const pair = await startRegionPair({ state: createDemoState() });
    try {
      const r = await runCli(['doctor', '--org', DEMO_ORG_SLUG, '--url', pair.control.url], { env: { SENTRY_AUTH_TOKEN: DEMO_TOKENS.admin } });
      expect(r.stdout, r.stderr).toMatch(/answered\s+matches schema\s+GET \/api\/0\/organizations\/\{org\}\/ *\n/);
      expect(pair.region.requests.some((q) => q.route === '/api/0/organizations/{org}/members/')).toBe(true);
      expect(r.code).toBe(0);
    } finally {
      await pair.close();
    }
  });

  it('stops with exit 2 and a clear message on a wrong organization or token', async () => {
    const sim = await simulator();
    const wrongOrg = await runCli(['doctor', '--org', 'no-such-org', '--url', sim.url], { env: { SENTRY_AUTH_TOKEN: DEMO_TOKENS.admin } });
    expect(wrongOrg.code).toBe(2);
    expect(wrongOrg.stderr).toMatch(/the check could not run: .*no-such-org/);
    const badToken = await doctor(sim, 'sntryu_not_a_token');
    expect(badToken.code).toBe(2);
    expect(badToken.stderr).toContain('the check could not run');
    const noOrg = await runCli(['doctor', '--url', sim.url], { env: { SENTRY_AUTH_TOKEN: DEMO_TOKENS.admin } });
    expect(noOrg.code).toBe(2);
    expect(noOrg.stderr).toContain('--org SLUG is required');
  });

  it('the shape report holds field names, types and presence only: no value of the simulated organization', async () => {
    const sim = await simulator();
    const file = path.join(dir, 'shape.json');
    const r = await doctor(sim, DEMO_TOKENS.admin, '--out', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Shape report: ${file}`);
    const text = readFileSync(file, 'utf8');
    const report = JSON.parse(text) as { endpoints: { endpoint: string; shape?: unknown }[] };
    expect(report.endpoints.length).toBeGreaterThanOrEqual(15);
    // auth-provider answers 204 (no SSO) in the demo: no body, so no shape.
    // Nor the org auth token list: session-only on today's Sentry, so no body either.
    expect(report.endpoints.filter((e) => e.shape === undefined).map((e) => e.endpoint)).toEqual([
      'GET /api/0/organizations/{org}/auth-provider/',
      'GET /api/0/organizations/{org}/org-auth-tokens/',
    ]);

    // Everything the report says: its keys (field names: a leaked value would be a whole key) and
    // its string leaves (a value could hide inside one); and it must hold no number at all.
    const keys = new Set<string>();
    const said: string[] = [];
    const numbers: number[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') said.push(v);
      else if (typeof v === 'number') numbers.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          keys.add(k);
          walk(x);
        }
      }
    };
    walk(report);
    expect(numbers, 'the shape report holds numbers').toEqual([]);

    const org = { strings: new Set<string>(), numbers: new Set<number>() };
    leaves(sim.state, org);
    for (const t of Object.values(DEMO_TOKENS)) org.strings.add(t);
    // Sentry's vocabulary is not data of the organization: scope names (the report names the scope
    // a refused read needs), Sentry's role ids ("member" is inside the endpoint .../members/) and
    // values that are also field names in Sentry's OpenAPI schema (a field named `active` is no
    // leak of a filter's value "active").
    const vocabulary = new Set<string>([...SCOPES, ...ORG_ROLES.map((r) => r.id), ...TEAM_ROLES.map((r) => r.id), ...OPENAPI_FIELD_NAMES]);
    const checked = [...org.strings].filter((s) => s.length > 0 && !vocabulary.has(s));
    expect(checked.length, 'the simulated organization should have many values to look for').toBeGreaterThan(100);
    const leaks = checked.filter((value) => keys.has(value) || said.some((s) => (value.length >= 4 ? s.includes(value) : s === value)));
    expect(leaks, 'values of the organization found in the shape report').toEqual([]);
    for (const n of org.numbers) expect(text.includes(`: ${n},`) || text.includes(`: ${n}\n`), `number ${n} in the report`).toBe(false);
  });

  it('--demo runs against the built-in demo organization', async () => {
    const r = await runCli(['doctor', '--demo']);
    expect(r.stderr).toContain('Demo organization');
    expect(r.code).toBe(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { FixParamError } from '../../../core/fixes/types';
import { parseRateLimit } from '../../../core/fixes/key-rate-limit';
import type { RunningSimulator } from '../../../simulator/index';
import { DEMO_ORG_SLUG, DEMO_TOKENS, SERVER_PROFILE_NAMES, createDemoState, startSimulator } from '../../../simulator/index';
import { auditDemo } from '../../helpers/demo-audit';
import { planDemo, runChanges, startDemoSim, tempDir } from '../fixes/helpers';

/**
 * Behaviours of real Sentry (issue 8, section 2) that the product and the simulator model, each
 * against the Sentry source named in the simulator: client key rate limits, the integrations
 * list's includeConfig, nullable key secrets, /api/0/'s version, apps without isDisabled.
 */
let sim: RunningSimulator | undefined;
const dirs: (() => void)[] = [];

afterEach(async () => {
  await sim?.close();
  sim = undefined;
  for (const cleanup of dirs.splice(0)) cleanup();
});

function journalDir(): string {
  const t = tempDir();
  dirs.push(t.cleanup);
  return t.dir;
}

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sim?.url}${path}`, { headers: { Authorization: `Bearer ${DEMO_TOKENS.admin}` } });
  return { status: res.status, body: await res.json() };
}

describe('client key rate limits', () => {
  it('the fix refuses a window Sentry would refuse (over 86400 s), naming the limit and an equivalent', () => {
    expect(parseRateLimit('1000/86400', 'rateLimit')).toEqual({ count: 1000, window: 86_400 });
    expect(() => parseRateLimit('30000/2592000', 'rateLimit.web')).toThrow(FixParamError);
    expect(() => parseRateLimit('30000/2592000', 'rateLimit.web')).toThrow(/rateLimit\.web: a window of 2592000 seconds is longer than Sentry accepts \(at most 86400.*1000\/86400/);
  });

  it('refuses the over-long window before sending anything', async () => {
    sim = await startDemoSim();
    await expect(planDemo(sim, { only: ['3.2'], params: { rateLimit: '100/604800' } })).rejects.toThrow(/longer than Sentry accepts/);
    expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('without projects:rate-limits Sentry keeps the stored limit: the write is reported not effective', async () => {
    sim = await startDemoSim((s) => {
      const p = s.organizations[0]?.projects.find((x) => x.slug === 'ios-app');
      if (p) p.features = p.features.filter((f) => f !== 'rate-limits');
    });
    const { plan } = await planDemo(sim, { only: ['3.2'] });
    const changes = plan.changes.filter((c) => c.fix === 'key-rate-limit' && c.resource.name.includes('ios-app'));
    expect(changes).toHaveLength(1);
    const { result } = await runChanges({ ...plan, changes }, { journalDir: journalDir() });
    expect(result.results[0]?.status).toBe('not_effective');
    const key = sim.state.organizations[0]?.projects.find((x) => x.slug === 'ios-app')?.keys[0];
    expect(key?.rateLimit).toBeNull();
  });

  it('self-hosted turns projects:rate-limits on for every project (profile switch)', async () => {
    const state = createDemoState();
    const p = state.organizations[0]?.projects.find((x) => x.slug === 'ios-app');
    if (p) p.features = p.features.filter((f) => f !== 'rate-limits');
    sim = await startSimulator({ state, profile: 'self-hosted' });
    expect(sim.profile.rateLimitsForEveryProject).toBe(true);
    const { plan } = await planDemo(sim, { only: ['3.2'] });
    const changes = plan.changes.filter((c) => c.fix === 'key-rate-limit' && c.resource.name.includes('ios-app'));
    expect(changes).toHaveLength(1);
    const { result } = await runChanges({ ...plan, changes }, { journalDir: journalDir() });
    expect(result.results[0]?.status).toBe('applied');
  });
});

describe('integrations list', () => {
  it('by default Sentry asks the third party for each config and marks a failing one disabled; includeConfig=0 does not', async () => {
    sim = await startDemoSim((s) => {
      const i = s.organizations[0]?.integrations[0];
      if (i) i.configApiFails = true;
    });
    const path = `/api/0/organizations/${DEMO_ORG_SLUG}/integrations/`;
    const byDefault = (await get(path)).body as { status: string; configData: unknown }[];
    expect(byDefault[0]?.status).toBe('disabled');
    const withoutConfig = (await get(`${path}?includeConfig=0`)).body as { status: string; configData: unknown; configOrganization?: unknown }[];
    expect(withoutConfig[0]?.status).toBe('active');
    expect(withoutConfig[0]?.configData).toBeNull();
    expect(withoutConfig[0]).not.toHaveProperty('configOrganization');
  });

  it('the audit sends includeConfig=0, so a third-party outage does not show as a disabled integration', async () => {
    sim = await startDemoSim((s) => {
      const i = s.organizations[0]?.integrations[0];
      if (i) i.configApiFails = true;
    });
    const { report } = await auditDemo(sim, { level: 'L2' });
    const reads = sim.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/integrations/'));
    expect(reads.length).toBeGreaterThan(0);
    for (const r of reads) expect(r.query.includeConfig).toBe('0');
    const inventory = report.findings.filter((f) => f.check === 'INT.1.inventory' && f.resource.type === 'integration');
    expect(inventory.length).toBeGreaterThan(0);
    const stored = new Map(sim.state.organizations[0]?.integrations.map((i) => [i.id, i.status]));
    expect(stored.get(sim.state.organizations[0]?.integrations[0]?.id ?? '')).toBe('active');
    for (const f of inventory) expect(f.details?.status, f.resource.id).toBe(stored.get(f.resource.id));
  });
});

describe('fields Sentry may leave null or out', () => {
  it('a client key with a null secret and an index without version are read, and every key check is evaluated', async () => {
    sim = await startDemoSim((s) => {
      const k = s.organizations[0]?.projects[0]?.keys[0];
      if (k) k.secret = null;
    });
    sim.faults.add({ method: 'GET', path: '/api/0/', kind: 'missing_field', field: 'version' });
    const { report } = await auditDemo(sim, { level: 'L2' });
    const keyChecks = report.findings.filter((f) => f.check.startsWith('3.2.') && f.check !== '3.2.allowed-domains');
    expect(keyChecks.length).toBeGreaterThan(0);
    expect(keyChecks.filter((f) => f.status === 'error')).toEqual([]);
  });

  it('Sentry apps carry no isDisabled: nothing requires it, nothing claims it is false', async () => {
    sim = await startDemoSim();
    const apps = (await get(`/api/0/organizations/${DEMO_ORG_SLUG}/sentry-apps/`)).body as Record<string, unknown>[];
    expect(apps.length).toBeGreaterThan(0);
    for (const a of apps) expect(a).not.toHaveProperty('isDisabled');
    const { report } = await auditDemo(sim, { level: 'L1' });
    const owned = report.findings.filter((f) => f.check === 'INT.1.inventory' && f.resource.type === 'sentry_app' && f.status === 'pass');
    expect(owned.length).toBeGreaterThan(0);
    for (const f of owned) expect(f.details?.disabled).toBeNull();
  });
});

describe('every profile', () => {
  for (const profile of SERVER_PROFILE_NAMES) {
    it(`${profile}: a key with a null secret and one malformed key leave every other key check evaluated`, async () => {
      const state = createDemoState();
      const k = state.organizations[0]?.projects[0]?.keys[0];
      if (k) k.secret = null;
      sim = await startSimulator({ state, profile });
      // Servers without the org-wide key list are read per project (legacy): break one key there.
      const keysPath = sim.profile.orgWideKeyList ? '/api/0/organizations/:org/project-keys/' : `/api/0/projects/acme-demo/${state.organizations[0]?.projects[0]?.slug}/keys/`;
      sim.faults.add({ method: 'GET', path: keysPath, kind: 'wrong_shape', field: 'projectId', value: 'x', index: 1 });
      const { report } = await auditDemo(sim, { level: 'L3' });
      const keyFindings = report.findings.filter((f) => ['3.2.rate-limit', '3.2.single-active-key', '3.2.key-age'].includes(f.check));
      const errors = keyFindings.filter((f) => f.status === 'error');
      // Only the malformed key is an error (once per key check); no organization-wide error.
      expect(errors.map((f) => f.resource.type)).toEqual(['key', 'key', 'key']);
      expect(keyFindings.some((f) => f.status === 'fail')).toBe(true);
      expect(keyFindings.filter((f) => f.status === 'pass')).toEqual([]);
    });
  }
});

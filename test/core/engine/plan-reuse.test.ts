import { afterEach, describe, expect, it } from 'vitest';
import { auditOrganization } from '../../../core/engine/audit-session';
import { makePlan } from '../../../core/engine/plan';
import { DEMO_ORG_SLUG, DEMO_TOKENS, type RunningSimulator } from '../../../simulator/index';
import { startDemoSim } from '../fixes/helpers';

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const common = (url: string) => ({
  baseUrl: url,
  orgSlug: DEMO_ORG_SLUG,
  getToken: () => DEMO_TOKENS.admin,
  tokenPrefix: 'sntryu_' as const,
  level: 'L1' as const,
  timeoutMs: 5_000,
});

describe('a plan made right after an audit', () => {
  it('reuses the audit\'s reads (no GET the audit made is sent again) and plans the same changes', async () => {
    sim = await startDemoSim();
    const audit = await auditOrganization(common(sim.url));
    sim.resetRequests();
    const fresh = await makePlan({ ...common(sim.url), only: ['2.1', '3.2'] });
    const readAgain = sim.requests.filter((r) => r.method === 'GET').length;
    sim.resetRequests();
    const reused = await makePlan({ ...common(sim.url), only: ['2.1', '3.2'], reuse: audit.responses });
    const gets = sim.requests.filter((r) => r.method === 'GET');
    const audited = new Set(audit.responses.map((r) => r.url.split('?')[0]));
    expect(readAgain).toBeGreaterThan(5);
    // The org's own reads (settings, members, keys) come from the audit; only reads it never made go out.
    expect(gets.filter((r) => audited.has(r.path)).map((r) => r.path)).toEqual([]);
    expect(gets.length).toBeLessThan(readAgain);
    expect(reused.plan.changes.map((c) => [c.fix, c.resource.id, c.field, c.before, c.after])).toEqual(
      fresh.plan.changes.map((c) => [c.fix, c.resource.id, c.field, c.before, c.after]),
    );
    expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

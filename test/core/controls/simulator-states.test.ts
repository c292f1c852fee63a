import { describe, expect, it } from 'vitest';
import { auditOrganization } from '../../../core/engine/audit-session';
import { CONTROLS } from '../../../core/controls/index';
import { createDemoState, DEMO_ORG_SLUG, DEMO_TOKENS, startSimulator } from '../../../simulator/index';
import { FAST_SCHEDULER } from '../../helpers/demo-audit';
import { hardenOrg } from '../../helpers/harden-state';

/**
 * The pass side of every control against a real simulator state: the demo organization put
 * right by hand, audited through the real client at L3. (The fail side is the demo as shipped:
 * test/core/controls/demo-org.test.ts.)
 */
describe('a hardened organization', () => {
  it('fails no check at L3, and every control with an automatable check passes it', async () => {
    const state = createDemoState();
    const register = hardenOrg(state, DEMO_ORG_SLUG);
    const sim = await startSimulator({ state });
    try {
      const { report } = await auditOrganization({
        baseUrl: sim.url,
        orgSlug: DEMO_ORG_SLUG,
        getToken: () => DEMO_TOKENS.admin,
        tokenPrefix: 'sntryu_',
        level: 'L3',
        integrationRegister: register,
        scheduler: FAST_SCHEDULER,
      });
      const bad = report.findings.filter((f) => f.status === 'fail' || f.status === 'error');
      expect(bad.map((f) => `${f.check} ${f.resource.name}: ${f.message}`)).toEqual([]);
      // Controls whose every check is manual by nature (what the API cannot show).
      const manualOnly = new Set(['INT.3', 'INT.6']);
      for (const c of CONTROLS) {
        if (manualOnly.has(c.id)) continue;
        const passes = report.findings.filter((f) => f.control === c.id && f.status === 'pass');
        expect(passes.length, `control ${c.id} has no pass on a hardened organization`).toBeGreaterThan(0);
      }
    } finally {
      await sim.close();
    }
  });
});

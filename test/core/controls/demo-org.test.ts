import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG_SLUG, DEMO_TOKENS, SERVER_PROFILES, createDemoState, startSimulator } from '../../../simulator';
import type { RunningSimulator } from '../../../simulator';
import { connect } from '../../../core/sentry/connect';
import type { SentryConnection } from '../../../core/sentry/connect';
import { CONTROLS } from '../../../core/controls/index';
import { DEFAULT_AUDIT_SETTINGS } from '../../../core/controls/settings';
import type { ControlContext, TokenInfo } from '../../../core/controls/types';
import { ControlFindingSchema as FindingSchema } from '../../../core/controls/findings';
import type { ControlFinding as Finding } from '../../../core/controls/types';
import { levelIncludes } from '../../../shared/levels';
import type { Level } from '../../../shared/levels';
import { AUDIT_SCOPES, FIX_SCOPES } from '../../../shared/scopes';

// Every control against the simulator's demo organization, through the real client.
const NOW = new Date('2026-09-01T12:00:00Z');

let sim: RunningSimulator;
const open: SentryConnection[] = [];

beforeAll(async () => {
  // The 2023-2024 releases let bearer tokens list org auth tokens, so 2.4 can fail here; on
  // today's sentry.io the list is session-only (test/simulator/profiles.test.ts covers that).
  sim = await startSimulator({ state: createDemoState({ now: NOW }), now: () => NOW, profile: { ...SERVER_PROFILES.saas, orgAuthTokenList: 'bearer' } });
});
afterAll(async () => {
  for (const c of open) c.client.close();
  await sim.close();
});

async function audit(level: Level, token: string = DEMO_TOKENS.admin): Promise<Finding[]> {
  sim.resetRequests();
  const conn = await connect({ baseUrl: sim.url, orgSlug: DEMO_ORG_SLUG, getToken: () => token, now: () => NOW });
  open.push(conn);
  const index = conn.tokenInfo.value;
  const tokenInfo: TokenInfo = {
    kind: 'user',
    scopes: index.auth?.scopes ?? [],
    user: index.user ? { id: index.user.id, email: index.user.email ?? null, has2fa: index.user.has2fa ?? null } : null,
  };
  const ctx: ControlContext = {
    data: conn.data,
    level,
    now: NOW,
    settings: DEFAULT_AUDIT_SETTINGS,
    token: tokenInfo,
    sessionScopes: { audit: AUDIT_SCOPES, fix: FIX_SCOPES },
    integrationRegister: [],
    includes: (l) => levelIncludes(level, l),
  };
  const findings = (await Promise.all(CONTROLS.map((c) => c.evaluate(ctx)))).flat();
  for (const f of findings) FindingSchema.parse(f);
  return findings;
}

const failing = (findings: readonly Finding[], check: string) =>
  findings
    .filter((f) => f.check === check && f.status === 'fail')
    .map((f) => f.resource.id)
    .sort();

describe('the demo organization through the real client', () => {
  it('fails exactly the checks the demo organization gets wrong, at L3', async () => {
    const findings = await audit('L3');
    expect(findings.filter((f) => f.status === 'error').map((f) => `${f.check}: ${f.message}`)).toEqual([]);
    const failedChecks = [...new Set(findings.filter((f) => f.status === 'fail').map((f) => f.check))].sort();
    expect(failedChecks).toEqual(
      [
        '1.1.saml-provider',
        '1.2.require-2fa',
        '1.2.member-2fa',
        '2.1.open-membership',
        '2.1.default-role',
        '2.1.members-without-team',
        '2.2.project-has-team',
        '2.2.teams-per-project',
        '2.3.owner-count',
        '2.3.privileged-2fa',
        '2.3.stale-invites',
        '2.3.member-invite',
        '2.3.member-project-creation',
        '2.4.stale-org-tokens',
        '3.1.org-data-scrubber',
        '3.1.org-default-scrubbers',
        '3.1.org-scrub-ip',
        '3.1.project-scrubbing',
        '3.1.project-scrub-ip',
        '3.1.sensitive-fields',
        '3.2.rate-limit',
        '3.2.single-active-key',
        '3.2.key-age',
        '3.2.allowed-domains',
        '3.3.inbound-filters',
        '3.4.trusted-relays',
        'INT.2.admin-scopes',
        'INT.2.write-scopes',
        'INT.4.reviewed',
        'INT.5.documented',
      ].sort(),
    );

    // The owners without 2FA (Ben, Dan) are among the members flagged, and flagged as privileged.
    expect(failing(findings, '1.2.member-2fa')).toEqual(expect.arrayContaining(['3002', '3004']));
    expect(failing(findings, '2.3.privileged-2fa')).toEqual(['3002', '3004']);
    expect(failing(findings, '2.1.members-without-team')).toEqual(['3011']);
    expect(failing(findings, '2.3.stale-invites')).toEqual(['3014']);
    expect(failing(findings, '2.2.project-has-team')).toEqual(['legacy-cron']);
    expect(failing(findings, '2.2.teams-per-project')).toEqual(['web-frontend']);
    expect(failing(findings, '2.4.stale-org-tokens')).toEqual(['8002', '8003']);
    expect(failing(findings, '3.1.project-scrubbing')).toEqual(['legacy-cron', 'web-frontend']);
    expect(failing(findings, '3.2.single-active-key')).toEqual(['web-frontend']);
    expect(failing(findings, '3.2.allowed-domains')).not.toContain('api-backend');
    expect(failing(findings, '3.3.inbound-filters')).not.toContain('api-backend');
    expect(failing(findings, 'INT.2.admin-scopes')).toEqual(['deploy-bot']);
    // The rate-limited keys of api-backend and android-app are not flagged.
    const unlimited = findings.filter((f) => f.check === '3.2.rate-limit' && f.status === 'fail').map((f) => f.resource.name);
    expect(unlimited.some((n) => n.includes('api-backend') || n.includes('android-app'))).toBe(false);
    expect(unlimited).toHaveLength(6);

    for (const check of ['2.4.session-token-kind', '2.4.session-token-scopes', '4.1.audit-log-readable']) {
      expect(findings.filter((f) => f.check === check).map((f) => f.status), check).toEqual(['pass']);
    }
    // Every finding rests on evidence except the purely manual ones.
    for (const f of findings.filter((x) => x.status !== 'manual')) expect(f.evidence.length, f.check).toBeGreaterThan(0);
  });

  it('reads each endpoint once, and nothing at L1 that only L2 or L3 needs', async () => {
    await audit('L3');
    const key = (r: { method: string; path: string; query: Record<string, string> }) =>
      `${r.method} ${r.path} ${JSON.stringify(r.query)}`;
    const l3 = sim.requests.map(key);
    expect(l3.length).toBeGreaterThan(0);
    expect(new Set(l3).size).toBe(l3.length);

    const findings = await audit('L1');
    expect(findings.every((f) => f.level === 'L1')).toBe(true);
    const l1 = sim.requests.map((r) => r.path);
    expect(l1.filter((p) => p.endsWith('/filters/'))).toEqual([]);
    expect(l1.length).toBeLessThan(l3.length);
  });

  it('reports the audit log of a read-only token as an error naming org:write, never a pass', async () => {
    const findings = await audit('L1', DEMO_TOKENS.readOnly);
    const log = findings.find((f) => f.check === '4.1.audit-log-readable');
    expect(log?.status).toBe('error');
    expect(log?.errorCode).toBe('missing_scope');
    expect(log?.message).toContain('org:write');
    expect(log?.message).toContain('/audit-logs/');
    expect(findings.find((f) => f.check === '2.4.session-token-scopes')?.status).toBe('fail');
  });
});

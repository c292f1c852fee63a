import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, createDemoState, startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator';
import { call } from './helpers';

const O = '/api/0/organizations/acme-demo';
let sim: RunningSimulator;
afterEach(async () => {
  await sim?.close();
});

describe('authentication (REFERENCE.md 0.2/0.3)', () => {
  it('answers 401 with DRF/Sentry bodies for missing, unknown, org-token and expired credentials', async () => {
    const state = createDemoState();
    state.tokens.push({ token: 'sntryu_demo_expired_0000', kind: 'user', scopes: ['org:read'], userId: '1001', expired: true });
    sim = await startSimulator({ state });
    const none = await call(sim.url, `${O}/`, { token: null });
    expect(none.status).toBe(401);
    expect(none.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
    const unknown = await call(sim.url, `${O}/`, { token: 'sntryu_not_a_real_token' });
    expect(unknown.status).toBe(401);
    expect(unknown.json()).toEqual({ detail: 'Invalid token' });
    const orgToken = await call(sim.url, `${O}/`, { token: 'sntrys_not_a_real_token' });
    expect(orgToken.json()).toEqual({ detail: 'Invalid org token' });
    const expired = await call(sim.url, `${O}/`, { token: 'sntryu_demo_expired_0000' });
    expect(expired.status).toBe(401);
    expect(expired.json()).toEqual({ detail: 'Token expired' });
    const basic = await call(sim.url, `${O}/`, { token: null, headers: { Authorization: 'Basic Zm9vOmJhcg==' } });
    expect(basic.status).toBe(401);
  });

  it('refuses with 403 and an insufficient_scope challenge when effective scopes lack every accepted scope', async () => {
    sim = await startSimulator({ state: createDemoState() });
    const audit = await call(sim.url, `${O}/audit-logs/`, { token: DEMO_TOKENS.readOnly });
    expect(audit.status).toBe(403);
    expect(audit.json()).toEqual({ detail: 'You do not have permission to perform this action.' });
    expect(audit.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="org:write"');
    const put = await call(sim.url, `${O}/`, { token: DEMO_TOKENS.readOnly, method: 'PUT', body: { require2FA: true } });
    expect(put.status).toBe(403);
    expect(put.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="org:admin org:write"');
    // The org auth token holds org:ci only.
    const ci = await call(sim.url, `${O}/`, { token: DEMO_TOKENS.orgAuth });
    expect(ci.status).toBe(403);
    expect(ci.headers.get('www-authenticate')).toContain('insufficient_scope');
    // Allowed with the right scope: no challenge.
    const ok = await call(sim.url, `${O}/members/`, { token: DEMO_TOKENS.readOnly });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('www-authenticate')).toBeNull();
  });

  it('effective scopes are token scopes ∩ the member role (org `access`)', async () => {
    const state = createDemoState();
    // A member-role user with an admin token still gets only what the member role allows.
    state.tokens.push({ token: 'sntryu_demo_member_admin_tok', kind: 'user', scopes: ['org:admin', 'member:admin', 'team:admin', 'project:admin'], userId: '1009' });
    sim = await startSimulator({ state });
    const ro = (await call(sim.url, `${O}/`, { token: DEMO_TOKENS.readOnly })).json() as { access: string[]; orgRole: string };
    expect(ro.access).toEqual(['member:read', 'org:read', 'project:read', 'team:read']);
    expect(ro.orgRole).toBe('member');
    const member = (await call(sim.url, `${O}/`, { token: 'sntryu_demo_member_admin_tok' })).json() as { access: string[] };
    expect(member.access).toEqual(['member:read', 'org:read', 'project:read', 'team:read']);
    const refused = await call(sim.url, `${O}/audit-logs/`, { token: 'sntryu_demo_member_admin_tok' });
    expect(refused.status).toBe(403);
    // Internal integrations: the app's scopes, and no org role.
    const bot = (await call(sim.url, `${O}/`, { token: DEMO_TOKENS.internalIntegration })).json() as { access: string[]; orgRole?: string };
    expect(bot.access).toContain('member:admin');
    expect(bot.orgRole).toBeUndefined();
  });

  it('session-only endpoints answer bearer tokens with 403 "not provided"', async () => {
    sim = await startSimulator({ state: createDemoState() });
    for (const p of ['/api/0/api-tokens/', `${O}/org-auth-tokens/8001/`]) {
      const res = await call(sim.url, p);
      expect(res.status).toBe(403);
      expect(res.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
      expect(res.headers.get('www-authenticate')).toBeNull();
    }
  });

  it('404 for unknown orgs and projects, 403 for orgs the user is not in', async () => {
    const state = createDemoState();
    const other = structuredClone(state.organizations[0]);
    if (!other) throw new Error('demo org missing');
    other.id = '999';
    other.slug = 'other-org';
    other.members = [];
    state.organizations.push(other);
    sim = await startSimulator({ state });
    const missing = await call(sim.url, '/api/0/organizations/nope/');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ detail: 'The requested resource does not exist' });
    expect((await call(sim.url, '/api/0/projects/acme-demo/nope/')).status).toBe(404);
    expect((await call(sim.url, '/api/0/organizations/other-org/')).status).toBe(403);
    // By id as well as slug.
    expect((await call(sim.url, '/api/0/organizations/4509876/')).status).toBe(200);
    const list = (await call(sim.url, '/api/0/organizations/')).json() as { slug: string }[];
    expect(list.map((o) => o.slug)).toEqual(['acme-demo']);
  });

  it('answers 302 with Sentry’s body and Location for a renamed project slug', async () => {
    sim = await startSimulator({ state: createDemoState(), publicUrl: 'https://sentry.example.invalid' });
    const res = await call(sim.url, '/api/0/projects/acme-demo/etl-pipeline/keys/');
    expect(res.status).toBe(302);
    const url = 'https://sentry.example.invalid/api/0/projects/acme-demo/data-pipeline/keys/';
    expect(res.headers.get('location')).toBe(url);
    expect(res.json()).toEqual({ slug: 'data-pipeline', detail: { extra: { url, slug: 'data-pipeline' } } });
  });

  it('members list honours has2fa, role, email and isInvited queries; unknown keys match nothing', async () => {
    sim = await startSimulator({ state: createDemoState() });
    const ids = async (q: string): Promise<string[]> =>
      ((await call(sim.url, `${O}/members/?query=${encodeURIComponent(q)}`)).json() as { id: string }[]).map((m) => m.id);
    expect(await ids('has2fa:false')).toEqual(['3002', '3004', '3007', '3009', '3011', '3012']);
    expect(await ids('has2fa:true')).toEqual(['3001', '3003', '3005', '3006', '3008', '3010']);
    expect(await ids('role:owner')).toEqual(['3001', '3002', '3003', '3004', '3005']);
    expect(await ids('role:owner has2fa:false')).toEqual(['3002', '3004']);
    expect(await ids('email:ivy@acme-demo.example')).toEqual(['3009']);
    expect(await ids('isInvited:true')).toEqual(['3013', '3014']);
    expect(await ids('bogus:1')).toEqual([]);
    const all = (await call(sim.url, `${O}/members/`)).json() as { id: string; pending: boolean; expired: boolean; user: unknown }[];
    expect(all.some((m) => m.id === '3015')).toBe(false); // join request left out
    expect(all.find((m) => m.id === '3014')).toMatchObject({ pending: true, expired: true, user: null });
    const me = (await call(sim.url, `${O}/members/me/`)).json() as { id: string; teams: string[]; teamRoles: unknown[] };
    expect(me.id).toBe('3001');
    expect(me.teams).toEqual(['platform']);
    expect(me.teamRoles).toEqual([{ teamSlug: 'platform', role: 'admin' }]);
  });
});

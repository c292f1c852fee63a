import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, SERVER_PROFILE_NAMES, SERVER_PROFILES, createDemoState, startRegionPair, startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator';
import { call } from './helpers';
import { startProfileSim } from '../helpers/profiles';

// What each server profile answers differently (simulator/profiles.ts names the Sentry sources).
const O = '/api/0/organizations/acme-demo';
const SUMMARY_TOKEN = 'sntryu_demo_member_scopes_only_000000000000000000000000000000000000';

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

type Row = Record<string, unknown> & { user?: Record<string, unknown> | null; flags?: Record<string, boolean> };

describe('server profiles', () => {
  it('every profile sets every switch', () => {
    const keys = Object.keys(SERVER_PROFILES.saas).sort();
    for (const name of SERVER_PROFILE_NAMES) expect(Object.keys(SERVER_PROFILES[name]).sort(), name).toEqual(keys);
  });

  it('legacy members have role and roleName but no orgRole, details list teams without teamRoles (pre PR #35391)', async () => {
    sim = await startProfileSim('self-hosted-legacy');
    const list = (await call(sim.url, `${O}/members/`)).json() as Row[];
    expect(list.length).toBeGreaterThan(5);
    for (const m of list) {
      expect(m.orgRole).toBeUndefined();
      expect(typeof m.role).toBe('string');
      expect(typeof m.roleName).toBe('string');
      expect(Object.keys(m.flags ?? {}).sort()).toEqual(['member-limit:restricted', 'sso:invalid', 'sso:linked']);
    }
    const finn = (await call(sim.url, `${O}/members/3006/`)).json() as Row;
    expect(finn.role).toBe('manager');
    expect([...(finn.teams as string[])].sort()).toEqual(['mobile', 'platform']);
    expect(finn.teamRoles).toBeUndefined();
    const org = (await call(sim.url, `${O}/`)).json() as Row;
    expect(org.orgRole).toBeUndefined();
    expect(org.role).toBe('owner');
    expect(org.links).toBeUndefined();
    // A legacy PUT reads `role`; `orgRole` was no field yet and is ignored.
    const ignored = (await call(sim.url, `${O}/members/3006/`, { method: 'PUT', body: { orgRole: 'member', teams: ['mobile', 'platform'] } })).json() as Row;
    expect(ignored.role).toBe('manager');
    const changed = (await call(sim.url, `${O}/members/3006/`, { method: 'PUT', body: { role: 'member', teams: ['mobile', 'platform'] } })).json() as Row;
    expect(changed.role).toBe('member');
  });

  it('current profiles send orgRole and teamRoles; the newest-serializer variant drops user.emails', async () => {
    sim = await startProfileSim({ ...SERVER_PROFILES.saas, memberUserEmails: false });
    const [dropped] = (await call(sim.url, `${O}/members/`)).json() as Row[];
    expect(dropped?.user && 'emails' in dropped.user).toBe(false);
    await sim.close();
    for (const name of ['saas', 'self-hosted'] as const) {
      sim = await startProfileSim(name);
      const [m] = (await call(sim.url, `${O}/members/`)).json() as Row[];
      expect(m?.orgRole, name).toBeDefined();
      expect(m?.user && 'emails' in m.user, name).toBe(true);
      const finn = (await call(sim.url, `${O}/members/3006/`)).json() as Row;
      expect(finn.teamRoles, name).toEqual(expect.arrayContaining([{ teamSlug: 'platform', role: 'admin' }]));
      await sim.close();
      sim = undefined;
    }
  });

  it('org auth token list: session-only today, bearer-readable in the 2023-2024 variant, absent on legacy', async () => {
    const path = `${O}/org-auth-tokens/`;
    sim = await startProfileSim('saas');
    const saas = await call(sim.url, path);
    expect([saas.status, saas.json()]).toEqual([403, { detail: 'Authentication credentials were not provided.' }]);
    await sim.close();
    sim = await startProfileSim({ ...SERVER_PROFILES['self-hosted'], orgAuthTokenList: 'bearer' });
    expect((await call(sim.url, path)).status).toBe(200);
    await sim.close();
    sim = await startProfileSim('self-hosted-legacy');
    expect((await call(sim.url, path)).status).toBe(404);
    expect((await call(sim.url, '/api/0/users/me/regions/')).status).toBe(404);
    expect((await call(sim.url, `${O}/project-keys/`)).status).toBe(404);
  });

  it('audit log body: {rows, options} since PR #36438, the plain list on legacy', async () => {
    sim = await startProfileSim('self-hosted-legacy');
    const legacy = (await call(sim.url, `${O}/audit-logs/`)).json();
    expect(Array.isArray(legacy) && legacy.length).toBeGreaterThan(0);
    await sim.close();
    sim = await startProfileSim('self-hosted');
    const current = (await call(sim.url, `${O}/audit-logs/`)).json() as Row;
    expect(Array.isArray(current.rows) && Array.isArray(current.options)).toBe(true);
  });

  it('the new invite model lists invites at /invited-members/ and not in the members list', async () => {
    sim = await startProfileSim('saas', { tweak: (s) => s.organizations[0]?.features.push('new-organization-member-invite') });
    const members = (await call(sim.url, `${O}/members/`)).json() as Row[];
    expect(members.filter((m) => m.user === null)).toEqual([]);
    const invites = (await call(sim.url, `${O}/invited-members/`)).json() as Row[];
    expect(invites.map((i) => i.id)).toContain('3014');
    expect(invites.find((i) => i.id === '3014')).toMatchObject({ orgRole: 'admin', expired: true });
    await sim.close();
    sim = await startProfileSim('saas');
    const without = await call(sim.url, `${O}/invited-members/`);
    expect([without.status, without.json()]).toEqual([403, { detail: 'Your organization does not have access to this feature.' }]);
    await sim.close();
    sim = await startProfileSim('self-hosted-legacy');
    expect((await call(sim.url, `${O}/invited-members/`)).status).toBe(404);
  });

  it('GET organization without org:read: the summary on saas (getsentry override), 403 on self-hosted', async () => {
    const tweak = (s: ReturnType<typeof createDemoState>) =>
      void s.tokens.push({ token: SUMMARY_TOKEN, kind: 'user', scopes: ['member:read', 'team:read', 'project:read'], userId: s.tokens.find((t) => t.token === DEMO_TOKENS.readOnly)?.userId ?? '' });
    sim = await startProfileSim('saas', { tweak });
    const summary = await call(sim.url, `${O}/?detailed=0&include_feature_flags=1`, { token: SUMMARY_TOKEN });
    expect(summary.status).toBe(200);
    const body = summary.json() as Row;
    expect(body.slug).toBe('acme-demo');
    for (const f of ['openMembership', 'defaultRole', 'dataScrubber', 'sensitiveFields']) expect(body[f], f).toBeUndefined();
    await sim.close();
    sim = await startProfileSim('self-hosted', { tweak });
    expect((await call(sim.url, `${O}/`, { token: SUMMARY_TOKEN })).status).toBe(403);
  });

  it('team rosters list service accounts with a user-shaped object where the profile has them', async () => {
    const tweak = (s: ReturnType<typeof createDemoState>) => {
      const org = s.organizations[0];
      const team = org?.teams[0];
      if (!org || !team) throw new Error('demo org has no team');
      org.members.push({ id: '3999', userId: null, email: '', name: 'ci-bot', orgRole: 'member', inviteStatus: 'approved', expired: false, dateCreated: org.dateCreated, inviterName: null, flags: { 'sim:service-account': true }, teams: [{ teamId: team.id, role: null }] });
    };
    sim = await startProfileSim('saas', { tweak });
    const team = sim.state.organizations[0]?.teams[0]?.slug ?? '';
    const roster = (await call(sim.url, `/api/0/teams/acme-demo/${team}/members/`)).json() as Row[];
    expect(roster.find((r) => r.id === '3999')?.user).toMatchObject({ actorType: 'service_account' });
    const members = (await call(sim.url, `${O}/members/`)).json() as Row[];
    expect(members.map((m) => m.id)).not.toContain('3999');
    await sim.close();
    sim = await startProfileSim('self-hosted-legacy', { tweak });
    const legacy = (await call(sim.url, `/api/0/teams/acme-demo/${team}/members/`)).json() as Row[];
    expect(legacy.map((r) => r.id)).not.toContain('3999');
  });

  it('auth-provider is a region-silo endpoint: a control-only host answers 404', async () => {
    const pair = await startRegionPair({ state: createDemoState() });
    try {
      expect((await call(pair.control.url, `${O}/auth-provider/`)).status).toBe(404);
      expect((await call(pair.region.url, `${O}/auth-provider/`)).status).toBe(204);
      expect((await call(pair.control.url, `${O}/auth-providers/`)).status).toBe(404);
    } finally {
      await pair.close();
    }
  });

  it('startSimulator defaults to saas, and selfHosted to self-hosted', async () => {
    sim = await startSimulator({ state: createDemoState() });
    expect(sim.profile.name).toBe('saas');
    await sim.close();
    sim = await startSimulator({ state: createDemoState(), selfHosted: true });
    expect(sim.profile.name).toBe('self-hosted');
  });
});

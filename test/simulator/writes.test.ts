import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, createDemoState, startSimulator } from '../../simulator';
import type { RunningSimulator, SimState } from '../../simulator';
import { call } from './helpers';

const O = '/api/0/organizations/acme-demo';
const P = '/api/0/projects/acme-demo';
let sim: RunningSimulator;
let state: SimState;
afterEach(async () => {
  await sim?.close();
});

async function start(): Promise<void> {
  state = createDemoState();
  sim = await startSimulator({ state, asyncTaskDelayMs: 20 });
}

async function latestEvents(n: number): Promise<string[]> {
  const body = (await call(sim.url, `${O}/audit-logs/?per_page=${n}`)).json() as { rows: { event: string }[] };
  return body.rows.map((r) => r.event);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('organization PUT', () => {
  it('refuses require2FA for a requester without 2FA, and with SSO on', async () => {
    await start();
    const no2fa = await call(sim.url, `${O}/`, { token: DEMO_TOKENS.adminNo2fa, method: 'PUT', body: { require2FA: true } });
    expect(no2fa.status).toBe(400);
    expect(no2fa.json()).toEqual({ require2FA: ['Cannot require two-factor authentication without personal two-factor enabled.'] });
    const bot = await call(sim.url, `${O}/`, { token: DEMO_TOKENS.internalIntegration, method: 'PUT', body: { require2FA: true } });
    expect(bot.status).toBe(400);
    const org = state.organizations[0];
    if (org) org.authProvider = { id: '1', providerName: 'okta', requireLink: true, scimEnabled: false };
    const sso = await call(sim.url, `${O}/`, { method: 'PUT', body: { require2FA: true } });
    expect(sso.json()).toEqual({ require2FA: ['Cannot require two-factor authentication with SSO enabled'] });
  });

  it('require2FA turns members without 2FA into pending invites, eventually, with member.pending events', async () => {
    await start();
    const res = await call(sim.url, `${O}/`, { method: 'PUT', body: { require2FA: true } });
    expect(res.status).toBe(200);
    expect((res.json() as { require2FA: boolean }).require2FA).toBe(true);
    await sleep(80);
    const members = (await call(sim.url, `${O}/members/`)).json() as { id: string; pending: boolean; user: unknown; email: string }[];
    const ben = members.find((m) => m.id === '3002');
    expect(ben).toMatchObject({ pending: true, user: null, email: 'ben@acme-demo.example' });
    expect(members.find((m) => m.id === '3001')?.pending).toBe(false);
    const events = await latestEvents(10);
    expect(events.filter((e) => e === 'member.pending').length).toBe(6);
    expect(events).toContain('org.edit');
  });

  it('ignores defaultRole without org:admin and writes org.edit for real changes', async () => {
    await start();
    state.tokens.push({ token: 'sntryu_demo_writer', kind: 'user', scopes: ['org:write'], userId: '1001' });
    const res = await call(sim.url, `${O}/`, { token: 'sntryu_demo_writer', method: 'PUT', body: { defaultRole: 'member', openMembership: false } });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ defaultRole: 'admin', openMembership: false });
    const bad = await call(sim.url, `${O}/`, { method: 'PUT', body: { sensitiveFields: [''], storeCrashReports: 7 } });
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({ sensitiveFields: ['Empty values are not allowed.'], storeCrashReports: ['"7" is not a valid choice.'] });
    expect((await latestEvents(1))[0]).toBe('org.edit');
  });
});

describe('project PUT (read-merge, REFERENCE.md 5)', () => {
  it('needs a user: an org auth token gets 400 with an empty body', async () => {
    await start();
    // Give the CI token project scopes to get past the scope check, as in Sentry's test.
    const ci = state.tokens.find((t) => t.token === DEMO_TOKENS.orgAuth);
    if (ci) ci.scopes = ['project:write'];
    const res = await call(sim.url, `${P}/ios-app/`, { token: DEMO_TOKENS.orgAuth, method: 'PUT', body: { dataScrubber: true } });
    expect(res.status).toBe(400);
    expect(res.text).toBe('');
  });

  it('with project:read only: truthy admin fields are 403, falsy ones silently ignored', async () => {
    await start();
    const truthy = await call(sim.url, `${P}/ios-app/`, { token: DEMO_TOKENS.readOnly, method: 'PUT', body: { dataScrubber: true } });
    expect(truthy.status).toBe(403);
    const falsy = await call(sim.url, `${P}/ios-app/`, { token: DEMO_TOKENS.readOnly, method: 'PUT', body: { dataScrubber: false, isBookmarked: true } });
    expect(falsy.status).toBe(200);
    expect((falsy.json() as { dataScrubber: boolean }).dataScrubber).toBe(true);
  });

  it('merges given fields only, validates, handles options, and writes project.edit', async () => {
    await start();
    const res = await call(sim.url, `${P}/web-frontend/`, {
      method: 'PUT',
      body: { dataScrubber: true, allowedDomains: ['https://app.acme-demo.example'], options: { 'filters:blacklisted_ips': ' 10.0.0.1 \n\n10.0.0.2' } },
    });
    expect(res.status).toBe(200);
    const body = res.json() as { dataScrubber: boolean; dataScrubberDefaults: boolean; allowedDomains: string[]; options: Record<string, unknown> };
    expect(body).toMatchObject({ dataScrubber: true, dataScrubberDefaults: false, allowedDomains: ['https://app.acme-demo.example'] });
    expect(body.options['filters:blacklisted_ips']).toBe('10.0.0.1\n10.0.0.2');
    const empty = await call(sim.url, `${P}/web-frontend/`, { method: 'PUT', body: { allowedDomains: [] } });
    expect(empty.json()).toEqual({ allowedDomains: ['Empty value will block all requests, use * to accept from all domains'] });
    const gated = await call(sim.url, `${P}/web-frontend/`, { method: 'PUT', body: { options: { 'filters:releases': '1.0' } } });
    expect(gated.status).toBe(400);
    expect((await latestEvents(1))[0]).toBe('project.edit');
    // A slug rename leaves a redirect behind.
    await call(sim.url, `${P}/ios-app/`, { method: 'PUT', body: { slug: 'ios' } });
    expect((await call(sim.url, `${P}/ios-app/`)).status).toBe(302);
  });
});

describe('keys, filters, project teams', () => {
  it('creates and edits keys; rate limits need the plan feature; PUT without browserSdkVersion resets it', async () => {
    await start();
    const created = (await call(sim.url, `${P}/ios-app/keys/`, { method: 'POST', body: { name: 'k', rateLimit: { window: 60, count: 100 } } })).json() as { id: string; rateLimit: unknown };
    expect(created.rateLimit).toEqual({ window: 60, count: 100 });
    const proj = state.organizations[0]?.projects.find((p) => p.slug === 'ios-app');
    const key = proj?.keys.find((k) => k.id === created.id);
    if (key) key.browserSdkVersion = '7.x';
    const upd = (await call(sim.url, `${P}/ios-app/keys/${created.id}/`, { method: 'PUT', body: { isActive: false } })).json() as { isActive: boolean; browserSdkVersion: string };
    expect(upd).toMatchObject({ isActive: false, browserSdkVersion: 'latest' });
    // RateLimitSerializer caps window at 86400 (project_key.py): refused with the field named.
    const tooLong = await call(sim.url, `${P}/ios-app/keys/${created.id}/`, { method: 'PUT', body: { rateLimit: { window: 86_401, count: 5 } } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json()).toEqual({ rateLimit: { window: ['Ensure this value is less than or equal to 86400.'] } });
    if (proj) proj.features = proj.features.filter((f) => f !== 'rate-limits');
    // Without projects:rate-limits Sentry ignores rateLimit and keeps the stored limit (project_key_details.py put).
    const silent = (await call(sim.url, `${P}/ios-app/keys/${created.id}/`, { method: 'PUT', body: { rateLimit: { window: 60, count: 5 } } })).json() as { rateLimit: unknown };
    expect(silent.rateLimit).toEqual({ window: 60, count: 100 });
    const notCleared = (await call(sim.url, `${P}/ios-app/keys/${created.id}/`, { method: 'PUT', body: { rateLimit: null } })).json() as { rateLimit: unknown };
    expect(notCleared.rateLimit).toEqual({ window: 60, count: 100 });
    expect(await latestEvents(4)).toEqual(['projectkey.edit', 'projectkey.edit', 'projectkey.edit', 'projectkey.create']);
    const del = await call(sim.url, `${P}/ios-app/keys/${created.id}/`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
  });

  it('updates filters with 204 and project.enable/disable events', async () => {
    await start();
    const on = await call(sim.url, `${P}/ios-app/filters/localhost/`, { method: 'PUT', body: { active: true } });
    expect(on.status).toBe(204);
    const legacy = await call(sim.url, `${P}/ios-app/filters/legacy-browsers/`, { method: 'PUT', body: { subfilters: ['ie', 'safari'] } });
    expect(legacy.status).toBe(204);
    const off = await call(sim.url, `${P}/api-backend/filters/web-crawlers/`, { method: 'PUT', body: { active: false } });
    expect(off.status).toBe(204);
    expect((await call(sim.url, `${P}/ios-app/filters/legacy-browser/`, { method: 'PUT', body: { active: true } })).status).toBe(404);
    const filters = (await call(sim.url, `${P}/ios-app/filters/`)).json() as { id: string; active: unknown }[];
    expect(filters.find((f) => f.id === 'localhost')?.active).toBe(true);
    expect(filters.find((f) => f.id === 'legacy-browsers')?.active).toEqual(['ie', 'safari']);
    expect(await latestEvents(3)).toEqual(['project.disable', 'project.enable', 'project.enable']);
  });

  it('adds and removes project teams with audit events', async () => {
    await start();
    expect((await call(sim.url, `${P}/legacy-cron/teams/platform/`, { method: 'POST' })).status).toBe(201);
    const teams = (await call(sim.url, `${P}/legacy-cron/teams/`)).json() as { slug: string }[];
    expect(teams.map((t) => t.slug)).toEqual(['platform']);
    expect((await call(sim.url, `${P}/legacy-cron/teams/platform/`, { method: 'DELETE' })).status).toBe(200);
    expect(await latestEvents(2)).toEqual(['project-team.remove', 'project-team.add']);
  });
});

describe('members', () => {
  it('PUT without teamRoles clears teams; role rules per REFERENCE.md 3.2', async () => {
    await start();
    const self = await call(sim.url, `${O}/members/3001/`, { method: 'PUT', body: { orgRole: 'member' } });
    expect(self.json()).toEqual({ detail: 'You cannot make changes to your own role.' });
    const cleared = (await call(sim.url, `${O}/members/3009/`, { method: 'PUT', body: { orgRole: 'manager' } })).json() as { orgRole: string; teams: string[] };
    expect(cleared).toMatchObject({ orgRole: 'manager', teams: [] });
    expect(await latestEvents(3)).toEqual(['member.edit', 'member.leave-team', 'member.leave-team']);
    state.tokens.push({ token: 'sntryu_demo_manager', kind: 'user', scopes: ['member:admin', 'org:read'], userId: '1006' });
    const up = await call(sim.url, `${O}/members/3008/`, { token: 'sntryu_demo_manager', method: 'PUT', body: { orgRole: 'owner' } });
    expect(up.json()).toEqual({ orgRole: ['You do not have permission to set that org-level role'] });
    const demote = await call(sim.url, `${O}/members/3002/`, { token: 'sntryu_demo_manager', method: 'PUT', body: { orgRole: 'member' } });
    expect(demote.status).toBe(403);
    expect(demote.json()).toEqual({ role: 'You do not have permission to assign a role to the given user.' });
    const bot = await call(sim.url, `${O}/members/3008/`, { token: DEMO_TOKENS.internalIntegration, method: 'PUT', body: { orgRole: 'member' } });
    expect(bot.status).toBe(400);
  });

  it('DELETE needs member:admin and a role that can manage the target', async () => {
    await start();
    const ro = await call(sim.url, `${O}/members/3009/`, { token: DEMO_TOKENS.readOnly, method: 'DELETE' });
    expect(ro.status).toBe(400);
    expect(ro.json()).toEqual({ detail: 'You are missing the member:admin scope.' });
    state.tokens.push({ token: 'sntryu_demo_manager', kind: 'user', scopes: ['member:admin'], userId: '1006' });
    const superior = await call(sim.url, `${O}/members/3002/`, { token: 'sntryu_demo_manager', method: 'DELETE' });
    expect(superior.json()).toEqual({ detail: 'You cannot remove a member who has more access than you.' });
    const ok = await call(sim.url, `${O}/members/3014/`, { method: 'DELETE' });
    expect(ok.status).toBe(204);
    expect((await latestEvents(1))[0]).toBe('member.remove');
    expect((await call(sim.url, `${O}/members/3014/`)).status).toBe(404);
  });

  it('member teams: 201 added, 204 already there, 202 request for plain members, 200 removal', async () => {
    await start();
    const add = await call(sim.url, `${O}/members/3011/teams/data/`, { method: 'POST' });
    expect(add.status).toBe(201);
    expect((await call(sim.url, `${O}/members/3011/teams/data/`, { method: 'POST' })).status).toBe(204);
    const org = state.organizations[0];
    if (org) org.settings.openMembership = false;
    const req = await call(sim.url, `${O}/members/3011/teams/mobile/`, { token: DEMO_TOKENS.readOnly, method: 'POST' });
    expect(req.status).toBe(202);
    const rm = await call(sim.url, `${O}/members/3011/teams/data/`, { method: 'DELETE' });
    expect(rm.status).toBe(200);
    expect(await latestEvents(2)).toEqual(['member.leave-team', 'member.join-team']);
  });
});

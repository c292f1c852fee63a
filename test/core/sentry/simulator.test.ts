import { afterEach, describe, expect, it } from 'vitest';
import { connect, listOrganizations } from '../../../core/sentry/connect';
import type { OrgData } from '../../../core/sentry/org-data';
import { createOrgData } from '../../../core/sentry/org-data';
import type { ResponseRecord } from '../../../core/sentry/transport';
import { DEMO_ORG_SLUG, DEMO_TOKENS, createDemoState, startRegionPair, startSimulator } from '../../../simulator/index';
import type { RegionPair, RunningSimulator } from '../../../simulator/index';
import { FAST_RETRIES } from './helpers/client';

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function pair(): Promise<RegionPair> {
  const p = await startRegionPair({ state: createDemoState() });
  running.push(p);
  return p;
}

/** Every read of OrgData, for every team and project it lists. */
async function readAll(data: OrgData) {
  const out: Record<string, Awaited<ReturnType<OrgData['members']>> | Awaited<ReturnType<OrgData['tokenInfo']>> | { ok: boolean; error?: { message: string } }> = {};
  out.tokenInfo = await data.tokenInfo();
  out.organization = await data.organization();
  out.authProvider = await data.authProvider();
  out.members = await data.members();
  out.projectKeys = await data.projectKeys();
  out.auditLog = await data.auditLog();
  out.integrations = await data.integrations();
  out.sentryApps = await data.sentryApps();
  out.sentryAppInstallations = await data.sentryAppInstallations();
  out.orgAuthTokens = await data.orgAuthTokens();
  const teams = await data.teams();
  out.teams = teams;
  for (const t of teams.ok ? teams.value : []) out[`teamMembers:${t.slug}`] = await data.teamMembers(t.slug);
  const projects = await data.projects();
  out.projects = projects;
  for (const p of projects.ok ? projects.value : []) {
    out[`projectDetail:${p.slug}`] = await data.projectDetail(p.slug);
    out[`projectFilters:${p.slug}`] = await data.projectFilters(p.slug);
  }
  return out;
}

describe('against the simulator', () => {
  it('reads the demo organization fully through a control/region pair', async () => {
    const p = await pair();
    const records: ResponseRecord[] = [];
    const conn = await connect({
      baseUrl: p.control.url,
      orgSlug: DEMO_ORG_SLUG,
      getToken: () => DEMO_TOKENS.admin,
      scheduler: FAST_RETRIES,
      onResponse: (r) => records.push(r),
    });
    expect(conn.regionUrl).toBe(p.region.url);
    const { orgAuthTokens, ...all } = await readAll(conn.data);
    for (const [name, loaded] of Object.entries(all)) {
      expect(loaded.ok, `${name}: ${loaded.ok ? '' : (loaded as { error: { message: string } }).error.message}`).toBe(true);
    }
    // Today's sentry.io serves the org auth token list to browser sessions only (organization_auth_tokens.py).
    expect(orgAuthTokens?.ok === false && (orgAuthTokens as { error: { code: string } }).error.code).toBe('session_only');
    const members = await conn.data.members();
    expect(members.ok && members.value.length).toBeGreaterThan(5);
    expect(members.ok && members.evidence.complete).toBe(true);
    const keys = await conn.data.projectKeys();
    expect(keys.ok && keys.value.length).toBeGreaterThan(0);
    // Nothing read twice, and the token is in no record.
    const asked = [...p.control.requests, ...p.region.requests].filter((r) => r.status !== 404);
    const distinct = new Set(asked.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)}`));
    expect(distinct.size).toBe(asked.length);
    expect(JSON.stringify(records)).not.toContain(DEMO_TOKENS.admin);
    conn.client.close();
  });

  it('a read-only token gets every read but the audit log, which names org:write', async () => {
    const p = await pair();
    const conn = await connect({ baseUrl: p.control.url, orgSlug: DEMO_ORG_SLUG, getToken: () => DEMO_TOKENS.readOnly, scheduler: FAST_RETRIES });
    const audit = await conn.data.auditLog();
    expect(audit.ok).toBe(false);
    if (!audit.ok) {
      expect(audit.error.code).toBe('missing_scope');
      expect(audit.error.requiredScopes).toContain('org:write');
    }
    expect((await conn.data.members()).ok).toBe(true);
    conn.client.close();
  });

  it('lists the demo organization for the picker', async () => {
    const p = await pair();
    const conn = await connect({ baseUrl: p.control.url, orgSlug: DEMO_ORG_SLUG, getToken: () => DEMO_TOKENS.admin, scheduler: FAST_RETRIES });
    const orgs = await listOrganizations(conn.client);
    expect(orgs.map((o) => o.slug)).toContain(DEMO_ORG_SLUG);
    conn.client.close();
  });

  it('stays within the enforced concurrency limit of the simulator: no concurrency 429 at all', async () => {
    const sim = await startSimulator({ state: createDemoState(), concurrentLimit: 2, latencyMs: 15 });
    running.push(sim);
    const conn = await connect({ baseUrl: sim.url, orgSlug: DEMO_ORG_SLUG, getToken: () => DEMO_TOKENS.admin, scheduler: FAST_RETRIES });
    const projects = await conn.data.projects();
    expect(projects.ok).toBe(true);
    const slugs = projects.ok ? projects.value.map((p) => p.slug) : [];
    const reads = await Promise.all(slugs.flatMap((slug) => [conn.data.projectDetail(slug), conn.data.projectFilters(slug)]));
    expect(reads.every((r) => r.ok)).toBe(true);
    expect(conn.client.stats()).toMatchObject({ rateLimited: 0, concurrencyLimit: 2 });
    expect(conn.client.stats().maxInFlight).toBeLessThanOrEqual(2);
    expect(sim.requests.filter((r) => r.status === 429)).toHaveLength(0);
    conn.client.close();
  });

  it('self-hosted with a path prefix and a Link base on another host', async () => {
    const sim: RunningSimulator = await startSimulator({
      state: createDemoState(),
      pathPrefix: '/sentry',
      selfHosted: true,
      publicUrl: 'https://sentry.example.com/sentry',
    });
    running.push(sim);
    const conn = await connect({ baseUrl: `${sim.url}/api/0/`, orgSlug: DEMO_ORG_SLUG, getToken: () => DEMO_TOKENS.admin, scheduler: FAST_RETRIES });
    const fresh = createOrgData(conn.client, DEMO_ORG_SLUG);
    const members = await fresh.members();
    expect(members.ok, members.ok ? '' : members.error.message).toBe(true);
    expect(sim.requests.every((r) => r.path.startsWith('/sentry/api/0/'))).toBe(true);
    conn.client.close();
  });
});

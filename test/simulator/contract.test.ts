import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ROUTES, DEMO_TOKENS, SERVER_PROFILES, createDemoState, startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator';
import { call } from './helpers';

/**
 * Contract test: every documented endpoint the simulator serves answers with a body that
 * validates against that operation's response schema in Sentry's OpenAPI (openapi.json, vendored
 * in test/fixtures/sentry-api with its upstream commit). Undocumented endpoints are checked against REFERENCE.md shapes.
 */

const API_DIR = path.resolve(import.meta.dirname, '../fixtures/sentry-api');

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

/** OpenAPI 3.0 `nullable: true` → JSON Schema null unions. */
function convertNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertNullable);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = convertNullable(v);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

let operations: Map<string, { method: string; path: string; op: Operation }>;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

function validatorFor(operationId: string, status: number): ValidateFunction {
  const key = `${operationId}:${status}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const entry = operations.get(operationId);
  if (!entry) throw new Error(`operation ${operationId} not in openapi.json`);
  const schema = entry.op.responses[String(status)]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`operation ${operationId} has no JSON schema for ${status}`);
  const fn = ajv.compile(convertNullable(schema) as Json);
  compiled.set(key, fn);
  return fn;
}

function expectValid(operationId: string, status: number, body: unknown): void {
  const validate = validatorFor(operationId, status);
  const ok = validate(body);
  if (!ok) {
    const errors = (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath} ${e.message}`);
    expect.fail(`${operationId} ${status}: ${errors.join('; ')}`);
  }
}

beforeAll(() => {
  expect(existsSync(path.join(API_DIR, 'openapi.json')), `openapi.json expected at ${API_DIR}`).toBe(true);
  const spec = JSON.parse(readFileSync(path.join(API_DIR, 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, Operation>> };
  operations = new Map();
  for (const [p, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op && typeof op === 'object' && op.operationId) operations.set(op.operationId, { method: method.toUpperCase(), path: p, op });
    }
  }
});

let sim: RunningSimulator;
afterEach(async () => {
  await sim?.close();
});

const O = '/api/0/organizations/acme-demo';
const P = '/api/0/projects/acme-demo';

/** Documented reads: operationId → path on the demo org. */
const READS: [string, string][] = [
  ['listOrganizations', '/api/0/organizations/'],
  ['getOrganization', `${O}/`],
  ['getOrganization', `${O}/?detailed=0&include_feature_flags=1`],
  ['listOrganizationMembers', `${O}/members/`],
  ['getOrganizationMember', `${O}/members/3001/`],
  ['getOrganizationMember', `${O}/members/3013/`],
  ['getOrganizationMember', `${O}/members/me/`],
  ['listOrganizationTeams', `${O}/teams/`],
  ['listOrganizationTeams', `${O}/teams/?detailed=0`],
  ['listTeamMembers', '/api/0/teams/acme-demo/platform/members/'],
  ['listTeamProjects', '/api/0/teams/acme-demo/mobile/projects/'],
  ['listOrganizationProjects', `${O}/projects/`],
  ['getProject', `${P}/web-frontend/`],
  ['getProject', `${P}/legacy-cron/`],
  ['getProject', `${P}/4501002/`],
  ['listProjectTeams', `${P}/web-frontend/teams/`],
  ['listProjectKeys', `${P}/web-frontend/keys/`],
  ['listProjectKeys', `${P}/legacy-cron/keys/?status=inactive`],
  ['getProjectKey', `${P}/api-backend/keys/KEY/`],
  ['listOrganizationProjectKeys', `${O}/project-keys/?project=-1`],
  ['listProjectFilters', `${P}/api-backend/filters/`],
  ['listProjectFilters', `${P}/web-frontend/filters/`],
  ['listOrganizationIntegrations', `${O}/integrations/`],
  ['listOrganizationSentryApps', `${O}/sentry-apps/`],
  ["List an Organization's Integration Platform Installations", `${O}/sentry-app-installations/`],
];

describe('contract: documented reads validate against openapi.json', () => {
  for (const [operationId, p] of READS) {
    it(`${operationId} ${p}`, async () => {
      const state = createDemoState();
      sim = await startSimulator({ state });
      const keyId = state.organizations[0]?.projects.find((x) => x.slug === 'api-backend')?.keys[0]?.id ?? '';
      const res = await call(sim.url, p.replace('KEY', keyId));
      expect(res.status).toBe(200);
      const body = res.json();
      if (Array.isArray(body)) expect(body.length).toBeGreaterThan(0);
      expectValid(operationId, 200, body);
    });
  }

  it('the validator is not vacuous: a broken project or key body fails', async () => {
    sim = await startSimulator({ state: createDemoState() });
    const good = (await call(sim.url, `${P}/web-frontend/`)).json() as Json;
    expect(validatorFor('getProject', 200)(good)).toBe(true);
    const { allowedDomains: _dropped, ...missing } = good;
    expect(validatorFor('getProject', 200)(missing)).toBe(false);
    expect(validatorFor('getProject', 200)({ ...good, dataScrubber: 'yes' })).toBe(false);
    const keys = (await call(sim.url, `${P}/web-frontend/keys/`)).json() as Json[];
    expect(validatorFor('listProjectKeys', 200)(keys.map((k) => ({ ...k, projectId: String(k.projectId) })))).toBe(false);
    expect(validatorFor('listProjectKeys', 200)(keys.map((k) => ({ ...k, rateLimit: null })))).toBe(true);
  });

  it('the detailed organization validates against the full (PUT 200) organization schema', async () => {
    sim = await startSimulator({ state: createDemoState() });
    const res = await call(sim.url, `${O}/?include_feature_flags=1`);
    expectValid('updateOrganization', 200, res.json());
    const body = res.json() as Json;
    expect(body.features).toContain('open-membership');
    expect(body.access).toEqual(['member:admin', 'member:read', 'member:write', 'org:admin', 'org:integrations', 'org:read', 'org:write', 'project:admin', 'project:read', 'project:write', 'team:admin', 'team:read', 'team:write']);
    const noFlags = (await call(sim.url, `${O}/`)).json() as Json;
    expect(noFlags.features).toBeUndefined();
  });
});

describe('contract: documented writes validate against openapi.json', () => {
  it('PUT organization, project, key; POST key; project teams; member and member teams', async () => {
    const state = createDemoState();
    sim = await startSimulator({ state });
    const put = await call(sim.url, `${O}/`, { method: 'PUT', body: { openMembership: false } });
    expect(put.status).toBe(200);
    expectValid('updateOrganization', 200, put.json());

    const proj = await call(sim.url, `${P}/web-frontend/`, { method: 'PUT', body: { dataScrubber: true } });
    expect(proj.status).toBe(200);
    expectValid('updateProject', 200, proj.json());

    const created = await call(sim.url, `${P}/web-frontend/keys/`, { method: 'POST', body: { name: 'new', rateLimit: { window: 60, count: 10 } } });
    expect(created.status).toBe(201);
    expectValid('createProjectKey', 201, created.json());
    const keyId = (created.json() as { id: string }).id;
    const upd = await call(sim.url, `${P}/web-frontend/keys/${keyId}/`, { method: 'PUT', body: { rateLimit: null, browserSdkVersion: 'latest' } });
    expect(upd.status).toBe(200);
    expectValid('updateProjectKey', 200, upd.json());

    const add = await call(sim.url, `${P}/legacy-cron/teams/platform/`, { method: 'POST' });
    expect(add.status).toBe(201);
    expectValid('addProjectTeam', 201, add.json());
    const del = await call(sim.url, `${P}/legacy-cron/teams/platform/`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expectValid('deleteProjectTeam', 200, del.json());

    const mem = await call(sim.url, `${O}/members/3009/`, { method: 'PUT', body: { orgRole: 'member', teamRoles: [{ teamSlug: 'frontend', role: 'contributor' }] } });
    expect(mem.status).toBe(200);
    expectValid('updateOrganizationMember', 200, mem.json());

    const leave = await call(sim.url, `${O}/members/3009/teams/frontend/`, { method: 'DELETE' });
    expect(leave.status).toBe(200);
    expectValid('deleteOrganizationMemberTeam', 200, leave.json());
  });
});

describe('contract: endpoints outside the schema match REFERENCE.md shapes', () => {
  it('GET /api/0/ gives version, auth.scopes and user (null user for org auth tokens)', async () => {
    sim = await startSimulator({ state: createDemoState() });
    const admin = (await call(sim.url, '/api/0/')).json() as Json;
    expect(admin.version).toBe('0');
    expect((admin.auth as { scopes: string[] }).scopes).toContain('org:write');
    expect((admin.user as { id: string; has2fa: boolean }).id).toBe('1001');
    expect((admin.user as { has2fa: boolean }).has2fa).toBe(true);
    const anonymous = (await call(sim.url, '/api/0/', { token: null })).json();
    expect(anonymous).toEqual({ version: '0', auth: null, user: null });
    const ci = (await call(sim.url, '/api/0/', { token: DEMO_TOKENS.orgAuth })).json() as Json;
    expect(ci).toEqual({ version: '0', auth: { scopes: ['org:ci'] }, user: null });
  });

  it('GET /users/me/regions/ lists the regions', async () => {
    sim = await startSimulator({ state: createDemoState() });
    const res = await call(sim.url, '/api/0/users/me/regions/');
    expect(res.json()).toEqual({ regions: [{ name: 'us', url: sim.url }] });
  });

  it('auth-provider: 204 with no body when none, snake_case object when configured; auth-providers list', async () => {
    const state = createDemoState();
    sim = await startSimulator({ state });
    const none = await call(sim.url, `${O}/auth-provider/`);
    expect(none.status).toBe(204);
    expect(none.text).toBe('');
    const org = state.organizations[0];
    if (org) org.authProvider = { id: '77', providerName: 'saml2', requireLink: true, scimEnabled: false };
    const some = await call(sim.url, `${O}/auth-provider/`);
    expect(some.status).toBe(200);
    const body = some.json() as Json;
    expect(Object.keys(body).sort()).toEqual(['default_role', 'id', 'login_url', 'pending_links_count', 'provider_name', 'require_link', 'scim_enabled']);
    expect(body).toMatchObject({ id: '77', provider_name: 'saml2', require_link: true, scim_enabled: false, default_role: 'admin' });
    expect(typeof body.pending_links_count).toBe('number');
    const providers = (await call(sim.url, `${O}/auth-providers/`)).json() as { key: string; name: string; requiredFeature: string }[];
    expect(providers.find((p) => p.key === 'saml2')).toEqual({ key: 'saml2', name: 'SAML2', requiredFeature: 'organizations:sso-saml2' });
  });

  it('audit-logs entries carry the REFERENCE.md 8 fields', async () => {
    sim = await startSimulator({ state: createDemoState() });
    const body = (await call(sim.url, `${O}/audit-logs/`)).json() as { rows: Json[]; options: string[] };
    for (const row of body.rows) {
      expect(Object.keys(row).sort()).toEqual(['actor', 'data', 'dateCreated', 'event', 'id', 'ipAddress', 'note', 'targetObject', 'targetUser']);
      expect(typeof row.id).toBe('string');
      expect(row.dateCreated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    }
    const integrationRow = body.rows.find((r) => r.event === 'projectkey.create');
    expect(integrationRow?.actor).toEqual({ name: 'deploy-bot' });
  });

  it('org-auth-tokens: unpaginated, last used first with nulls last, deactivated left out', async () => {
    // Bearer-readable only in the 2023-2024 releases (profiles.ts `orgAuthTokenList`); today session-only.
    sim = await startSimulator({ state: createDemoState(), profile: { ...SERVER_PROFILES.saas, orgAuthTokenList: 'bearer' } });
    const res = await call(sim.url, `${O}/org-auth-tokens/`);
    expect(res.headers.get('link')).toBeNull();
    const rows = res.json() as Json[];
    expect(rows.map((r) => r.name)).toEqual(['CI release upload', 'old-deploy-token', 'sourcemaps (never used)']);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(['dateCreated', 'dateLastUsed', 'id', 'name', 'projectLastUsedId', 'scopes', 'tokenLastCharacters']);
    expect(rows[2]?.dateLastUsed).toBeNull();
  });
});

describe('route scopes match endpoint-scopes.json', () => {
  it('every documented route accepts exactly the documented scopes', () => {
    const doc = JSON.parse(readFileSync(path.join(API_DIR, 'endpoint-scopes.json'), 'utf8')) as {
      endpoints: { method: string; path: string; operationId: string; anyOfScopes: string[] }[];
    };
    const norm = (p: string): string => p.replace(/\{[^}]+\}/g, '{}');
    const documented = ALL_ROUTES.filter((r) => r.operationId);
    expect(documented.length).toBeGreaterThan(20);
    for (const route of documented) {
      const entry = doc.endpoints.find((e) => e.method === route.method && norm(e.path) === norm(route.path));
      expect(entry, `${route.method} ${route.path}`).toBeDefined();
      expect(entry?.operationId).toBe(route.operationId);
      expect([...(route.scopes ?? [])].sort()).toEqual([...(entry?.anyOfScopes ?? [])].sort());
    }
  });
});

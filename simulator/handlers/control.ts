import { HttpError, NOT_PROVIDED, badRequest, forbidden } from '../http-types';
import type { RequestContext, SimResponse } from '../http-types';
import { paginateByDate, paginateOffset, pageResponse } from '../pagination';
import type { Route } from '../router';
import {
  serializeAuditEntry,
  serializeAuthProvider,
  serializeInstallation,
  serializeIntegration,
  serializeOrgAuthToken,
  serializeSentryApp,
  serializeUser,
} from '../serializers';
import { noContent, ok, orgOf } from './common';

/** GET /api/0/ : the token's scopes and user (REFERENCE.md 0.2). */
function apiIndex(ctx: RequestContext): SimResponse {
  const caller = ctx.caller;
  if (!caller) return ok({ version: '0', auth: null, user: null });
  const user = caller.token.kind === 'org_auth_token' ? null : (caller.user ?? null);
  return ok({
    version: '0',
    auth: { scopes: [...caller.tokenScopes].sort() },
    user: user ? serializeUser(user) : null,
  });
}

function userRegions(ctx: RequestContext): SimResponse {
  if (ctx.caller?.token.kind !== 'user') throw forbidden();
  return ok({ regions: ctx.regions.map((r) => ({ name: r.name, url: r.url })) });
}

function sessionOnly(): SimResponse {
  throw new HttpError(403, NOT_PROVIDED);
}

function authProvider(ctx: RequestContext): SimResponse {
  const { org } = orgOf(ctx);
  const body = serializeAuthProvider(org, ctx);
  return body ? ok(body) : noContent();
}

/** Providers Sentry offers (partner-only ones filtered out), REFERENCE.md 2.2. */
const AUTH_PROVIDERS = [
  { key: 'google', name: 'Google', requiredFeature: 'organizations:sso-basic' },
  { key: 'github', name: 'GitHub', requiredFeature: 'organizations:sso-basic' },
  { key: 'saml2', name: 'SAML2', requiredFeature: 'organizations:sso-saml2' },
  { key: 'okta', name: 'Okta', requiredFeature: 'organizations:sso-saml2' },
  { key: 'onelogin', name: 'OneLogin', requiredFeature: 'organizations:sso-saml2' },
  { key: 'auth0', name: 'Auth0', requiredFeature: 'organizations:sso-saml2' },
  { key: 'jumpcloud', name: 'Jumpcloud', requiredFeature: 'organizations:sso-saml2' },
  { key: 'rippling', name: 'Rippling', requiredFeature: 'organizations:sso-rippling' },
];

function authProviders(): SimResponse {
  return ok(AUTH_PROVIDERS.map((p) => ({ ...p })));
}

/** `14d`, `24h`, `30m`, `2w`, `60s` → milliseconds. */
export function parseStatsPeriod(v: string): number | null {
  const m = /^(\d+)([smhdw]?)$/.exec(v.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as string] ?? 1000;
  return n * unit;
}

/** Every event api name the audit log knows (`options` of the response). */
export const AUDIT_EVENT_NAMES = [
  'member.invite', 'member.add', 'member.accept-invite', 'member.edit', 'member.remove', 'member.join-team',
  'member.leave-team', 'member.pending', 'member.reinvite', 'org.create', 'org.edit', 'org.remove', 'org.restore',
  'team.create', 'team.edit', 'team.remove', 'project.create', 'project.edit', 'project.remove', 'project.enable',
  'project.disable', 'project-team.add', 'project-team.remove', 'projectkey.create', 'projectkey.edit',
  'projectkey.remove', 'projectkey.change', 'sso.enable', 'sso.disable', 'sso.edit', 'sso-identity.link',
  'api-key.create', 'api-key.edit', 'api-key.remove', 'integration.add', 'integration.edit', 'integration.remove',
  'integration.disable', 'integration.upgrade', 'integration.rotate-client-secret', 'sentry-app.add',
  'sentry-app.remove', 'sentry-app.install', 'sentry-app.uninstall', 'internal-integration.create',
  'internal-integration.disable', 'internal-integration.add-token', 'internal-integration.remove-token',
  'org-auth-token.create', 'org-auth-token.remove', 'invite-request.create', 'invite-request.remove',
  'rule.add', 'rule.edit', 'rule.remove', 'alertrule.add', 'alertrule.edit', 'alertrule.remove',
  'monitor.add', 'monitor.edit', 'monitor.remove', 'servicehook.create', 'servicehook.edit', 'servicehook.remove',
  'issue.delete',
];

function auditLogs(ctx: RequestContext): SimResponse {
  const { org } = orgOf(ctx);
  const q = ctx.query;
  let rows = [...org.auditLog].sort((a, b) => Date.parse(b.dateCreated) - Date.parse(a.dateCreated));
  const event = q.get('event');
  if (event) rows = rows.filter((r) => r.event === event);
  const actor = q.get('actor');
  if (actor) {
    if (!/^\d+$/.test(actor)) throw badRequest({ detail: 'Invalid actor parameter.' });
    rows = rows.filter((r) => r.actorUserId === actor);
  }
  const statsPeriod = q.get('statsPeriod');
  let startMs: number | null = null;
  let endMs: number | null = null;
  if (statsPeriod) {
    const span = parseStatsPeriod(statsPeriod);
    if (span === null) throw badRequest({ detail: 'Invalid statsPeriod' });
    endMs = ctx.now().getTime();
    startMs = endMs - span;
  } else {
    const start = q.get('start');
    const end = q.get('end');
    if (start) startMs = Date.parse(start);
    if (end) endMs = Date.parse(end);
    if ((start && Number.isNaN(startMs)) || (end && Number.isNaN(endMs))) {
      throw badRequest({ detail: 'start and end must be valid ISO-8601 dates' });
    }
  }
  if (startMs !== null) rows = rows.filter((r) => Date.parse(r.dateCreated) >= (startMs as number));
  if (endMs !== null) rows = rows.filter((r) => Date.parse(r.dateCreated) <= (endMs as number));
  const page = paginateByDate(rows, (r) => Date.parse(r.dateCreated), q);
  const entries = page.items.map((r) => serializeAuditEntry(r, ctx.state));
  // Before PR #36438 (July 2022) the body was the list itself (profiles.ts `auditLogBody`).
  if (ctx.profile.auditLogBody === 'list') return pageResponse(page, entries);
  return pageResponse(page, { rows: entries, options: [...AUDIT_EVENT_NAMES] });
}

function orgAuthTokens(ctx: RequestContext): SimResponse {
  const { org } = orgOf(ctx);
  const rows = org.orgAuthTokens
    .filter((t) => t.dateDeactivated === null)
    .sort((a, b) => {
      if (a.dateLastUsed === b.dateLastUsed) return 0;
      if (a.dateLastUsed === null) return 1;
      if (b.dateLastUsed === null) return -1;
      return Date.parse(b.dateLastUsed) - Date.parse(a.dateLastUsed);
    });
  return ok(rows.map(serializeOrgAuthToken));
}

function integrations(ctx: RequestContext): SimResponse {
  const { org } = orgOf(ctx);
  let rows = org.integrations.filter((i) => i.organizationIntegrationStatus !== 'pending_deletion');
  const providerKey = ctx.query.get('providerKey') ?? ctx.query.get('provider_key');
  if (providerKey) rows = rows.filter((i) => i.providerKey === providerKey);
  const features = ctx.query.getAll('features');
  if (features.length > 0) rows = rows.filter((i) => features.some((f) => i.features.includes(f)));
  const page = paginateOffset(rows, ctx.query);
  // organization_integrations_index.py: `include_config = include_config_raw != "0"`.
  const includeConfig = ctx.query.get('includeConfig') !== '0';
  return pageResponse({ ...page, items: page.items.map((i) => serializeIntegration(i, org, includeConfig)) });
}

function sentryApps(ctx: RequestContext): SimResponse {
  const { org } = orgOf(ctx);
  let rows = org.sentryApps;
  const status = ctx.query.get('status');
  if (status) rows = rows.filter((a) => a.status === status);
  const page = paginateOffset(rows, ctx.query);
  return pageResponse({ ...page, items: page.items.map((a) => serializeSentryApp(a, org)) });
}

function installations(ctx: RequestContext): SimResponse {
  const { org } = orgOf(ctx);
  const page = paginateOffset(org.sentryAppInstallations, ctx.query);
  return pageResponse({ ...page, items: page.items.map((i) => serializeInstallation(i, org)) });
}

const ORG_READ = ['org:admin', 'org:read', 'org:write'];

export const controlRoutes: Route[] = [
  { method: 'GET', path: '/api/0/', scopes: null, auth: 'optional', silo: 'control', handler: apiIndex },
  // Absent before multi-region (profiles.ts `orgLinksAndRegions`).
  { method: 'GET', path: '/api/0/users/me/regions/', scopes: ['org:read'], auth: 'required', silo: 'control', handler: userRegions, onProfile: (p) => (p.orgLinksAndRegions ? 'as_declared' : 'absent') },
  { method: 'GET', path: '/api/0/api-tokens/', scopes: null, auth: 'session_only', silo: 'control', handler: sessionOnly },
  { method: 'GET', path: '/api/0/organizations/{org}/org-auth-tokens/{token_id}/', scopes: null, auth: 'session_only', silo: 'control', handler: sessionOnly },
  { method: 'GET', path: '/api/0/sentry-apps/{app}/api-tokens/', scopes: null, auth: 'session_only', silo: 'control', handler: sessionOnly },
  // @region_silo_endpoint: src/sentry/api/endpoints/organization_auth_provider_details.py, organization_auth_providers.py.
  { method: 'GET', path: '/api/0/organizations/{org}/auth-provider/', scopes: ['org:read'], auth: 'required', silo: 'region', handler: authProvider },
  { method: 'GET', path: '/api/0/organizations/{org}/auth-providers/', scopes: ['org:read'], auth: 'required', silo: 'region', handler: authProviders },
  { method: 'GET', path: '/api/0/organizations/{org}/audit-logs/', scopes: ['org:write'], auth: 'required', silo: 'control', handler: auditLogs },
  // Session-only today, bearer-readable 2023-2024, absent before 23.x (profiles.ts `orgAuthTokenList`).
  {
    method: 'GET', path: '/api/0/organizations/{org}/org-auth-tokens/', scopes: ORG_READ, auth: 'required', silo: 'control', handler: orgAuthTokens,
    onProfile: (p) => (p.orgAuthTokenList === 'absent' ? 'absent' : p.orgAuthTokenList === 'session-only' ? 'session_only' : 'as_declared'),
  },
  { method: 'GET', path: '/api/0/organizations/{org}/integrations/', scopes: ['org:admin', 'org:integrations', 'org:read', 'org:write'], auth: 'required', silo: 'control', operationId: 'listOrganizationIntegrations', handler: integrations },
  { method: 'GET', path: '/api/0/organizations/{org}/sentry-apps/', scopes: ORG_READ, auth: 'required', silo: 'control', operationId: 'listOrganizationSentryApps', handler: sentryApps },
  { method: 'GET', path: '/api/0/organizations/{org}/sentry-app-installations/', scopes: ['org:integrations', 'org:read'], auth: 'required', silo: 'control', operationId: "List an Organization's Integration Platform Installations", handler: installations },
];

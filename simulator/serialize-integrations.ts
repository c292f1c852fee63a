import type { RequestContext } from './http-types';
import { serializeUser } from './serializers';
import type { SimAuditEntry, SimIntegration, SimOrg, SimOrgAuthToken, SimSentryApp, SimSentryAppInstallation, SimState } from './state';
import { findUser } from './state';

/** Response shapes of integrations, Sentry apps, org auth tokens, the audit log and SSO. Field names and types follow openapi.json's [S] response schemas (see serializers.ts). */

// ---- integrations, apps, tokens, audit, SSO ----

/**
 * OrganizationIntegrationSerializer (src/sentry/integrations/api/serializers/models/integration.py).
 * With the config (the default: organization_integrations_index.py reads `includeConfig != "0"`)
 * Sentry asks the third party for it, and an ApiError there rewrites `status` to "disabled"
 * (`configApiFails` models that provider being unreachable); without it, no `configOrganization`
 * and `configData: null`.
 */
export function serializeIntegration(i: SimIntegration, org: SimOrg, includeConfig = true): Record<string, unknown> {
  const failed = includeConfig && i.configApiFails === true;
  const out: Record<string, unknown> = {
    id: i.id,
    name: i.name,
    icon: i.icon,
    domainName: i.domainName,
    accountType: i.accountType,
    scopes: i.scopes ? [...i.scopes] : null,
    outOfDate: false,
    status: failed ? 'disabled' : i.status,
    provider: {
      key: i.providerKey,
      slug: i.providerKey,
      name: i.providerName,
      canAdd: true,
      canDisable: false,
      features: [...i.features],
      aspects: {},
    },
    configData: includeConfig && !failed ? { ...i.configData } : null,
    externalId: i.externalId,
    organizationId: Number(org.id),
    organizationIntegrationStatus: i.organizationIntegrationStatus,
    gracePeriodEnd: i.gracePeriodEnd,
  };
  if (includeConfig) out.configOrganization = [];
  return out;
}

/** SentryAppSerializer (src/sentry/sentry_apps/api/serializers/sentry_app.py): no `isDisabled` field. */
export function serializeSentryApp(a: SimSentryApp, org: SimOrg): Record<string, unknown> {
  const out: Record<string, unknown> = {
    allowedOrigins: [...a.allowedOrigins],
    avatars: [],
    events: [...a.events],
    webhookEvents: [...a.events],
    featureData: [],
    isAlertable: a.isAlertable,
    metadata: '',
    name: a.name,
    schema: '',
    scopes: [...a.scopes],
    slug: a.slug,
    status: a.status,
    uuid: a.uuid,
    verifyInstall: a.verifyInstall,
    webhookHeaders: [],
    author: a.author,
    overview: a.overview,
    popularity: null,
    redirectUrl: a.redirectUrl,
    webhookUrl: a.webhookUrl,
    clientSecret: '**********',
    clientId: a.clientId,
    owner: { id: Number(org.id), slug: org.slug },
  };
  if (a.datePublished) out.datePublished = a.datePublished;
  return out;
}

export function serializeInstallation(i: SimSentryAppInstallation, org: SimOrg): Record<string, unknown> {
  const app = org.sentryApps.find((a) => a.slug === i.appSlug);
  return {
    app: { uuid: app?.uuid ?? i.appUuid ?? i.appSlug, slug: i.appSlug, sentryAppId: app?.id ?? i.sentryAppId ?? 0 },
    organization: { slug: org.slug },
    uuid: i.uuid,
    status: i.status,
  };
}

export function serializeOrgAuthToken(t: SimOrgAuthToken): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    scopes: [...t.scopes],
    tokenLastCharacters: t.tokenLastCharacters,
    dateCreated: t.dateCreated,
    dateLastUsed: t.dateLastUsed,
    projectLastUsedId: t.projectLastUsedId,
  };
}

export function serializeAuditEntry(e: SimAuditEntry, state: SimState): Record<string, unknown> {
  const actorUser = findUser(state, e.actorUserId);
  const targetUser = findUser(state, e.targetUserId);
  return {
    id: e.id,
    actor: actorUser ? serializeUser(actorUser) : { name: e.actorLabel ?? 'Sentry' },
    event: e.event,
    ipAddress: e.ipAddress,
    note: e.note,
    targetObject: e.targetObject,
    targetUser: targetUser ? serializeUser(targetUser) : (e.targetUserId ?? null),
    data: { ...e.data },
    dateCreated: e.dateCreated,
  };
}

export function serializeAuthProvider(org: SimOrg, ctx: RequestContext): Record<string, unknown> | null {
  const ap = org.authProvider;
  if (!ap) return null;
  const pending = org.members.filter((m) => m.userId !== null && !m.flags['sso:linked']).length;
  return {
    id: ap.id,
    provider_name: ap.providerName,
    pending_links_count: pending,
    login_url: `${ctx.publicUrl}/organizations/${org.slug}/issues/`,
    default_role: org.settings.defaultRole,
    require_link: ap.requireLink,
    scim_enabled: ap.scimEnabled,
  };
}

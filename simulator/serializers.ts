import type { OrgAccess, RequestContext } from './http-types';
import { orgRole, serializeOrgRoleList, serializeTeamRoleList } from './roles';
import type {
  SimAuditEntry,
  SimIntegration,
  SimKey,
  SimMember,
  SimOrg,
  SimOrgAuthToken,
  SimProject,
  SimSentryApp,
  SimSentryAppInstallation,
  SimState,
  SimTeam,
  SimUser,
} from './state';
import { findUser } from './state';

/**
 * Response shapes. Field names, types and required fields follow the [S] response schemas of
 * openapi.json (the contract test holds us to them) plus the fields REFERENCE.md adds from [SRC].
 */

/** ISO-8601 UTC with microseconds, as Sentry writes dates (REFERENCE.md 0.6). */
export function isoMicro(date: Date): string {
  return date.toISOString().replace(/Z$/, '000Z');
}

const LETTER_AVATAR = { avatarType: 'letter_avatar', avatarUuid: null, avatarUrl: null };

export function serializeUser(user: SimUser): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    username: user.email,
    email: user.email,
    avatarUrl: `https://gravatar.invalid/avatar/${user.id}?s=32&d=mm`,
    isActive: user.isActive,
    isSuspended: false,
    hasPasswordAuth: !user.isProxy,
    isManaged: false,
    dateJoined: user.dateJoined,
    lastLogin: user.lastLogin,
    has2fa: user.has2fa,
    lastActive: user.lastLogin,
    isSuperuser: false,
    isStaff: false,
    experiments: {},
    emails: [{ id: user.id, email: user.email, is_verified: true }],
    avatar: { avatarType: 'letter_avatar', avatarUuid: null },
    authenticators: user.has2fa ? [{ id: `${user.id}-totp`, type: 'totp', name: 'Authenticator App' }] : [],
    canReset2fa: true,
  };
}

// ---- organizations ----

function orgLinks(ctx: RequestContext): { organizationUrl: string; regionUrl: string } {
  return { organizationUrl: ctx.publicUrl, regionUrl: ctx.regionUrl };
}

/** Org summary (list, nested `organization`). */
export function serializeOrgSummary(
  org: SimOrg,
  ctx: RequestContext,
  opts: { access?: OrgAccess; features?: boolean } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: org.id,
    slug: org.slug,
    status: { id: org.status, name: org.status },
    name: org.name,
    dateCreated: org.dateCreated,
    isEarlyAdopter: false,
    require2FA: org.settings.require2FA,
    avatar: LETTER_AVATAR,
    links: orgLinks(ctx),
    hasAuthProvider: org.authProvider !== null,
    allowMemberInvite: org.settings.allowMemberInvite,
    allowMemberProjectCreation: org.settings.allowMemberProjectCreation,
    allowSuperuserAccess: org.settings.allowSuperuserAccess,
    onboardingTasks: [],
    extraOptions: {},
  };
  if (opts.features) out.features = orgFeatures(org);
  if (opts.access) out.access = [...opts.access.scopes].sort();
  return out;
}

/** `features` includes the flag-derived strings Sentry adds (REFERENCE.md 1). */
export function orgFeatures(org: SimOrg): string[] {
  const f = new Set(org.features);
  if (org.settings.openMembership) f.add('open-membership');
  else f.delete('open-membership');
  if (org.settings.allowSharedIssues) f.add('shared-issues');
  else f.delete('shared-issues');
  return [...f].sort();
}

export function serializeOrgDetail(
  org: SimOrg,
  ctx: RequestContext,
  access: OrgAccess,
  opts: { detailed: boolean; features: boolean },
): Record<string, unknown> {
  const s = org.settings;
  const member = access.member;
  const out: Record<string, unknown> = {
    ...serializeOrgSummary(org, ctx, { access, features: opts.features }),
    experiments: {},
    isDefault: false,
    defaultRole: s.defaultRole,
    orgRoleList: serializeOrgRoleList(member?.orgRole),
    teamRoleList: serializeTeamRoleList(),
    openMembership: s.openMembership,
    allowSharedIssues: s.allowSharedIssues,
    enhancedPrivacy: s.enhancedPrivacy,
    dataScrubber: s.dataScrubber,
    dataScrubberDefaults: s.dataScrubberDefaults,
    sensitiveFields: [...s.sensitiveFields],
    safeFields: [...s.safeFields],
    storeCrashReports: s.storeCrashReports,
    attachmentsRole: s.attachmentsRole,
    debugFilesRole: s.debugFilesRole,
    eventsMemberAdmin: s.eventsMemberAdmin,
    alertsMemberWrite: s.alertsMemberWrite,
    scrubIPAddresses: s.scrubIPAddresses,
    scrapeJavaScript: s.scrapeJavaScript,
    allowJoinRequests: s.allowJoinRequests,
    relayPiiConfig: s.relayPiiConfig,
    relayDsnEndpoint: null,
    trustedRelays: s.trustedRelays.map((r) => ({ ...r })),
    pendingAccessRequests: 0,
    hideAiFeatures: false,
    aggregatedDataConsent: false,
    isDynamicallySampled: false,
    issueAlertsThreadFlag: true,
    metricAlertsThreadFlag: true,
    requiresSso: org.authProvider !== null && org.authProvider.requireLink && member !== undefined,
    requireEmailVerification: false,
    defaultAutofixAutomationTuning: 'off',
    defaultSeerScannerAutomation: false,
    enableSeerCoding: false,
    defaultCodingAgent: 'seer',
    defaultCodingAgentIntegrationId: null,
    defaultAutomatedRunStoppingPoint: 'code_changes',
    autoEnableCodeReview: false,
    autoOpenPrs: false,
    defaultCodeReviewTriggers: [],
    quota: { maxRate: null, maxRateInterval: 60, accountLimit: 0, projectLimit: 100 },
  };
  if (member) {
    out.orgRole = member.orgRole;
    out.role = member.orgRole;
  }
  if (opts.detailed) {
    const counts = teamMemberCounts(org);
    out.teams = org.teams.map((t) => serializeTeam(t, org, access, counts));
    out.projects = org.projects.map((p) => serializeProjectSummary(p, org, access));
  }
  return out;
}

// ---- members ----

const MEMBER_FLAG_KEYS = [
  'idp:provisioned',
  'idp:role-restricted',
  'sso:linked',
  'sso:invalid',
  'member-limit:restricted',
  'partnership:restricted',
];

export function serializeMember(m: SimMember, state: SimState): Record<string, unknown> {
  const user = m.userId ? findUser(state, m.userId) : undefined;
  const flags: Record<string, boolean> = {};
  for (const k of MEMBER_FLAG_KEYS) flags[k] = m.flags[k] ?? false;
  return {
    id: m.id,
    email: m.email,
    name: user?.name ?? m.name ?? m.email,
    user: user ? serializeUser(user) : null,
    orgRole: m.orgRole,
    role: m.orgRole,
    roleName: orgRole(m.orgRole)?.name ?? m.orgRole,
    pending: m.userId === null,
    expired: m.userId === null && m.expired,
    flags,
    dateCreated: m.dateCreated,
    inviteStatus: m.inviteStatus,
    inviterName: m.inviterName,
  };
}

export function serializeMemberDetail(
  m: SimMember,
  org: SimOrg,
  state: SimState,
  ctx: RequestContext,
  access: OrgAccess,
): Record<string, unknown> {
  const teams = m.teams
    .map((tm) => ({ team: org.teams.find((t) => t.id === tm.teamId), role: tm.role }))
    .filter((x): x is { team: SimTeam; role: SimMember['teams'][number]['role'] } => x.team !== undefined);
  const owners = org.members.filter((o) => o.orgRole === 'owner' && o.userId !== null);
  return {
    ...serializeMember(m, state),
    teams: teams.map((t) => t.team.slug),
    teamRoles: teams.map((t) => ({ teamSlug: t.team.slug, role: t.role })),
    invite_link: m.userId === null ? `${ctx.publicUrl}/accept/${m.id}/${m.id.padStart(12, '0')}/` : null,
    isOnlyOwner: m.orgRole === 'owner' && owners.length === 1 && owners[0]?.id === m.id,
    orgRoleList: serializeOrgRoleList(access.member?.orgRole),
    teamRoleList: serializeTeamRoleList(),
  };
}

// ---- teams ----

/** Members with an account on each team (pending invites are not counted). */
export function teamMemberCounts(org: SimOrg): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of org.members) {
    if (m.userId === null || m.inviteStatus !== 'approved') continue;
    for (const t of m.teams) counts.set(t.teamId, (counts.get(t.teamId) ?? 0) + 1);
  }
  return counts;
}

export function serializeTeam(
  team: SimTeam,
  org: SimOrg,
  access: OrgAccess,
  counts: Map<string, number>,
  opts: { projects?: boolean } = {},
): Record<string, unknown> {
  const membership = access.member?.teams.find((t) => t.teamId === team.id);
  const isMember = membership !== undefined;
  let teamRole: string | null = null;
  if (membership) {
    const minimum = access.member ? orgRole(access.member.orgRole)?.minimumTeamRole : undefined;
    teamRole = minimum === 'admin' ? 'admin' : (membership.role ?? 'contributor');
  }
  const out: Record<string, unknown> = {
    id: team.id,
    slug: team.slug,
    name: team.name,
    dateCreated: team.dateCreated,
    isMember,
    teamRole,
    flags: { 'idp:provisioned': team.idpProvisioned },
    access: [...access.scopes].sort(),
    hasAccess: access.allProjects || isMember,
    isPending: false,
    memberCount: counts.get(team.id) ?? 0,
    avatar: LETTER_AVATAR,
  };
  if (opts.projects) {
    out.projects = org.projects
      .filter((p) => p.teamIds.includes(team.id))
      .map((p) => serializeProjectBase(p, access));
  }
  return out;
}

// ---- projects ----

const PROJECT_OPTION_DEFAULTS: Record<string, unknown> = {
  'filters:blacklisted_ips': '',
  'filters:react-hydration-errors': true,
  'filters:chunk-load-error': true,
  'filters:releases': '',
  'filters:error_messages': '',
  'sentry:csp_ignored_sources_defaults': true,
  'sentry:csp_ignored_sources': '',
  'feedback:branding': true,
  'sentry:feedback_user_report_notifications': true,
  'sentry:feedback_ai_spam_detection': false,
  'sentry:replay_rage_click_issues': true,
  'sentry:replay_hydration_error_issues': true,
  'sentry:toolbar_allowed_origins': '',
  'quotas:spike-protection-disabled': false,
};

export const PROJECT_OPTION_KEYS = Object.keys(PROJECT_OPTION_DEFAULTS);

export function projectOptions(p: SimProject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of PROJECT_OPTION_KEYS) out[k] = k in p.options ? p.options[k] : PROJECT_OPTION_DEFAULTS[k];
  return out;
}

function teamRef(t: SimTeam): { id: string; name: string; slug: string } {
  return { id: t.id, name: t.name, slug: t.slug };
}

function projectTeams(p: SimProject, org: SimOrg): SimTeam[] {
  return p.teamIds.map((id) => org.teams.find((t) => t.id === id)).filter((t): t is SimTeam => t !== undefined);
}

const PROJECT_COLORS = ['#bf6e3f', '#3fbf7f', '#3f7fbf', '#bf3f7f', '#7fbf3f', '#6e3fbf'];

export function serializeProjectBase(p: SimProject, access: OrgAccess): Record<string, unknown> {
  const isMember = access.member ? p.teamIds.some((id) => access.teamIds.has(id)) : true;
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    platform: p.platform,
    dateCreated: p.dateCreated,
    isBookmarked: false,
    isMember,
    features: [...p.features],
    firstEvent: p.firstEvent,
    firstTransactionEvent: false,
    access: [...access.scopes].sort(),
    hasAccess: access.allProjects || isMember,
    hasFeedbacks: false,
    hasFlags: false,
    hasMinifiedStackTrace: false,
    hasMonitors: false,
    hasNewFeedbacks: false,
    hasProfiles: false,
    hasReplays: false,
    hasSessions: false,
    hasInsightsHttp: false,
    hasInsightsDb: false,
    hasInsightsAssets: false,
    hasInsightsAppStart: false,
    hasInsightsScreenLoad: false,
    hasInsightsVitals: false,
    hasInsightsCaches: false,
    hasInsightsQueues: false,
    hasInsightsAgentMonitoring: false,
    hasInsightsMCP: false,
    hasLogs: false,
    hasTraceMetrics: false,
    isInternal: false,
    isPublic: false,
    avatar: LETTER_AVATAR,
    color: PROJECT_COLORS[Number(p.id) % PROJECT_COLORS.length] ?? '#bf6e3f',
    status: p.status,
  };
}

/** Organization/team project lists (`team` is the legacy first team, null when none). */
export function serializeProjectSummary(p: SimProject, org: SimOrg, access: OrgAccess): Record<string, unknown> {
  const teams = projectTeams(p, org);
  return {
    ...serializeProjectBase(p, access),
    team: teams[0] ? teamRef(teams[0]) : null,
    teams: teams.map(teamRef),
    platforms: p.platform ? [p.platform] : [],
    hasUserReports: false,
    environments: ['production'],
    latestRelease: null,
  };
}

export function serializeProjectDetail(
  p: SimProject,
  org: SimOrg,
  ctx: RequestContext,
  access: OrgAccess,
): Record<string, unknown> {
  const teams = projectTeams(p, org);
  const s = p.settings;
  const out: Record<string, unknown> = {
    ...serializeProjectBase(p, access),
    teams: teams.map(teamRef),
    latestRelease: null,
    options: projectOptions(p),
    digestsMinDelay: 300,
    digestsMaxDelay: 1800,
    subjectPrefix: s.subjectPrefix,
    allowedDomains: [...s.allowedDomains],
    resolveAge: s.resolveAge,
    dataScrubber: s.dataScrubber,
    dataScrubberDefaults: s.dataScrubberDefaults,
    safeFields: [...s.safeFields],
    storeCrashReports: s.storeCrashReports,
    sensitiveFields: [...s.sensitiveFields],
    subjectTemplate: '$shortID - $title',
    securityToken: s.securityToken,
    securityTokenHeader: s.securityTokenHeader,
    verifySSL: s.verifySSL,
    scrubIPAddresses: s.scrubIPAddresses,
    scrapeJavaScript: s.scrapeJavaScript,
    enableAutoReleaseCreation: true,
    highlightTags: [],
    highlightContext: {},
    highlightPreset: { tags: [], context: {} },
    groupingConfig: 'newstyle:2023-01-11',
    derivedGroupingEnhancements: '',
    groupingEnhancements: '',
    secondaryGroupingExpiry: 0,
    secondaryGroupingConfig: null,
    fingerprintingRules: '',
    organization: serializeOrgSummary(org, ctx),
    platforms: p.platform ? [p.platform] : [],
    processingIssues: 0,
    defaultEnvironment: null,
    relayPiiConfig: s.relayPiiConfig,
    builtinSymbolSources: [],
    dynamicSamplingBiases: null,
    symbolSources: '[]',
    isDynamicallySampled: false,
    tempestFetchScreenshots: false,
    autofixAutomationTuning: 'off',
    seerScannerAutomation: false,
    seerNightshiftTweaks: null,
    scmSourceContextEnabled: false,
    debugFilesRole: s.debugFilesRole,
  };
  if (teams[0]) out.team = teamRef(teams[0]);
  return out;
}

// ---- client keys ----

export function serializeKey(k: SimKey, p: SimProject, ctx: RequestContext): Record<string, unknown> {
  const base = new URL(ctx.publicUrl);
  const host = base.host;
  const scheme = base.protocol.replace(':', '');
  const pid = p.id;
  const pub = `${scheme}://${k.id}@${host}/${pid}`;
  const api = `${scheme}://${host}/api/${pid}`;
  return {
    id: k.id,
    name: k.name,
    label: k.name,
    public: k.id,
    secret: k.secret,
    projectId: Number(p.id),
    isActive: k.isActive,
    rateLimit: k.rateLimit ? { ...k.rateLimit } : null,
    dsn: {
      // A key without a secret has no private DSN; the public form stands in (the product reads neither).
      secret: k.secret === null ? pub : `${scheme}://${k.id}:${k.secret}@${host}/${pid}`,
      public: pub,
      csp: `${api}/csp-report/?sentry_key=${k.id}`,
      security: `${api}/security/?sentry_key=${k.id}`,
      minidump: `${api}/minidump/?sentry_key=${k.id}`,
      nel: `${api}/nel/?sentry_key=${k.id}`,
      unreal: `${api}/unreal/${k.id}/`,
      crons: `${api}/cron/___MONITOR_SLUG___/${k.id}/`,
      cdn: `${scheme}://${host}/js-sdk-loader/${k.id}.min.js`,
      playstation: `${api}/playstation/?sentry_key=${k.id}`,
      integration: `${scheme}://${host}/api/${pid}/integration/`,
      otlp_traces: `${api}/integration/otlp/v1/traces`,
      otlp_logs: `${api}/integration/otlp/v1/logs`,
    },
    browserSdkVersion: k.browserSdkVersion,
    browserSdk: { choices: [['latest', 'latest'], ['7.x', '7.x']] },
    dateCreated: k.dateCreated,
    dynamicSdkLoaderOptions: { ...k.dynamicSdkLoaderOptions },
  };
}

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

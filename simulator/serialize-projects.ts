import type { OrgAccess, RequestContext } from './http-types';
import { orgIndex } from './org-index';
import { LETTER_AVATAR, serializeOrgSummary } from './serializers';
import type { SimKey, SimOrg, SimProject, SimTeam } from './state';

/** Response shapes of projects and client keys. Field names and types follow openapi.json's [S] response schemas (see serializers.ts). */

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
  const { teamById } = orgIndex(org);
  return p.teamIds.map((id) => teamById.get(id)).filter((t): t is SimTeam => t !== undefined);
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

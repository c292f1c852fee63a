/**
 * The simulator's state: plain, mutable data that handlers read and (for writes) change in place.
 * Stored values are the server's own values (model fields), not response shapes; serializers
 * turn them into what Sentry sends. IDs are strings as Sentry sends them (REFERENCE.md 0.6).
 */

export type OrgRole = 'billing' | 'member' | 'admin' | 'manager' | 'owner';
export type TeamRole = 'contributor' | 'admin';
export type TokenKind = 'user' | 'org_auth_token' | 'internal_integration';

export interface SimUser {
  id: string;
  name: string;
  email: string;
  has2fa: boolean;
  isActive: boolean;
  dateJoined: string;
  lastLogin: string | null;
  /** Proxy users of internal integrations are not people; they never have 2FA. */
  isProxy?: boolean;
}

/** A bearer token the simulator accepts. The token string is never logged or echoed. */
export interface SimToken {
  token: string;
  kind: TokenKind;
  /** As created; the hierarchy expansion (shared/scopes.ts) is applied when checking. */
  scopes: string[];
  /** User tokens: the owner. Internal integrations: the app's proxy user. */
  userId?: string;
  /** Org auth tokens and internal integrations are bound to one organization. */
  orgId?: string;
  /** Internal integrations: the sentry app's slug. */
  sentryAppSlug?: string;
  /** Org auth tokens: the id of the matching SimOrgAuthToken row. */
  orgAuthTokenId?: string;
  expired?: boolean;
}

export interface SimTeamMembership {
  teamId: string;
  /** null = contributor without an explicit team role (orgs without `team-roles`). */
  role: TeamRole | null;
}

export interface SimMember {
  id: string;
  /** null for a pending invite. */
  userId: string | null;
  email: string;
  name: string;
  orgRole: OrgRole;
  inviteStatus: 'approved' | 'requested_to_be_invited' | 'requested_to_join';
  /** Invite token expired (pending invites only). */
  expired: boolean;
  dateCreated: string;
  inviterName: string | null;
  flags: Record<string, boolean>;
  teams: SimTeamMembership[];
}

export interface SimTeam {
  id: string;
  slug: string;
  name: string;
  dateCreated: string;
  idpProvisioned: boolean;
}

export interface SimRateLimit {
  window: number;
  count: number;
}

export interface SimKey {
  /** The 32-hex public key; Sentry uses it as the key's id. */
  id: string;
  /** Nullable column (ProjectKeySerializerResponse `secret: str | None`, src/sentry/api/serializers/models/project_key.py). */
  secret: string | null;
  /** Creation order; org-wide key lists are newest first. */
  seq: number;
  name: string;
  isActive: boolean;
  rateLimit: SimRateLimit | null;
  dateCreated: string | null;
  browserSdkVersion: string;
  dynamicSdkLoaderOptions: {
    hasReplay: boolean;
    hasPerformance: boolean;
    hasDebug: boolean;
    hasFeedback: boolean;
    hasLogsAndMetrics: boolean;
  };
}

export interface ProjectSettings {
  allowedDomains: string[];
  dataScrubber: boolean;
  dataScrubberDefaults: boolean;
  sensitiveFields: string[];
  safeFields: string[];
  scrubIPAddresses: boolean;
  scrapeJavaScript: boolean;
  storeCrashReports: number | null;
  relayPiiConfig: string | null;
  securityToken: string;
  securityTokenHeader: string | null;
  verifySSL: boolean;
  resolveAge: number;
  debugFilesRole: string | null;
  subjectPrefix: string;
}

export type FilterState = boolean | string[];

export interface SimProject {
  id: string;
  slug: string;
  name: string;
  platform: string | null;
  dateCreated: string;
  status: 'active' | 'pending_deletion';
  teamIds: string[];
  /** Old slugs answer 302 to the current one (REFERENCE.md 0.1). */
  previousSlugs: string[];
  firstEvent: string | null;
  features: string[];
  settings: ProjectSettings;
  /** Project options in GET form (e.g. `filters:blacklisted_ips` as a newline string). */
  options: Record<string, unknown>;
  /** Inbound filters by id (REFERENCE.md 7). */
  filters: Record<string, FilterState>;
  keys: SimKey[];
}

export interface TrustedRelay {
  name: string;
  publicKey: string;
  description: string;
  created: string;
  lastModified: string;
}

export interface OrgSettings {
  require2FA: boolean;
  openMembership: boolean;
  allowSharedIssues: boolean;
  enhancedPrivacy: boolean;
  allowMemberInvite: boolean;
  allowMemberProjectCreation: boolean;
  allowSuperuserAccess: boolean;
  allowJoinRequests: boolean;
  defaultRole: OrgRole;
  dataScrubber: boolean;
  dataScrubberDefaults: boolean;
  sensitiveFields: string[];
  safeFields: string[];
  scrubIPAddresses: boolean;
  scrapeJavaScript: boolean;
  storeCrashReports: number;
  attachmentsRole: string;
  debugFilesRole: string;
  eventsMemberAdmin: boolean;
  alertsMemberWrite: boolean;
  relayPiiConfig: string | null;
  trustedRelays: TrustedRelay[];
}

export interface SimAuthProvider {
  id: string;
  /** The provider key, e.g. `saml2`, `google`. */
  providerName: string;
  requireLink: boolean;
  scimEnabled: boolean;
}

export interface SimIntegration {
  id: string;
  name: string;
  providerKey: string;
  providerName: string;
  features: string[];
  icon: string | null;
  domainName: string | null;
  accountType: string | null;
  /** Third-party OAuth scopes granted to the integration. */
  scopes: string[] | null;
  status: 'active' | 'disabled';
  externalId: string;
  organizationIntegrationStatus: 'active' | 'disabled' | 'pending_deletion';
  gracePeriodEnd: string | null;
  configData: Record<string, unknown>;
  /** The third party fails when Sentry asks it for the config (see `serializeIntegration`). */
  configApiFails?: boolean;
}

export interface SimSentryApp {
  /** Numeric id (`sentryAppId` in installations). */
  id: number;
  slug: string;
  name: string;
  uuid: string;
  status: 'unpublished' | 'published' | 'internal' | 'publish_request_inprogress' | 'deletion_in_progress';
  scopes: string[];
  events: string[];
  webhookUrl: string | null;
  redirectUrl: string | null;
  isAlertable: boolean;
  verifyInstall: boolean;
  allowedOrigins: string[];
  author: string | null;
  overview: string | null;
  clientId: string;
  isDisabled: boolean;
  datePublished: string | null;
  dateCreated: string;
}

export interface SimSentryAppInstallation {
  uuid: string;
  appSlug: string;
  /** For apps owned by another organization (published apps), which are not in `sentryApps`. */
  appUuid?: string;
  sentryAppId?: number;
  status: 'installed' | 'pending';
}

export interface SimOrgAuthToken {
  id: string;
  name: string;
  scopes: string[];
  tokenLastCharacters: string;
  dateCreated: string;
  dateLastUsed: string | null;
  projectLastUsedId: string | null;
  dateDeactivated: string | null;
}

export interface SimAuditEntry {
  id: string;
  /** A user actor; null when `actorLabel` names an integration or API key. */
  actorUserId: string | null;
  actorLabel: string | null;
  event: string;
  ipAddress: string | null;
  note: string;
  targetObject: number | null;
  targetUserId: string | null;
  data: Record<string, unknown>;
  dateCreated: string;
}

export interface SimOrg {
  id: string;
  slug: string;
  name: string;
  dateCreated: string;
  status: 'active' | 'pending_deletion' | 'deletion_in_progress';
  features: string[];
  settings: OrgSettings;
  authProvider: SimAuthProvider | null;
  members: SimMember[];
  teams: SimTeam[];
  projects: SimProject[];
  integrations: SimIntegration[];
  sentryApps: SimSentryApp[];
  sentryAppInstallations: SimSentryAppInstallation[];
  orgAuthTokens: SimOrgAuthToken[];
  auditLog: SimAuditEntry[];
}

export interface SimState {
  users: SimUser[];
  tokens: SimToken[];
  organizations: SimOrg[];
  /** Next numeric id for objects created by writes. */
  nextId: number;
}

export function emptyState(): SimState {
  return { users: [], tokens: [], organizations: [], nextId: 1_000_000 };
}

export function newId(state: SimState): string {
  state.nextId += 1;
  return String(state.nextId);
}

export const DEFAULT_ORG_SETTINGS: OrgSettings = {
  require2FA: false,
  openMembership: true,
  allowSharedIssues: true,
  enhancedPrivacy: false,
  allowMemberInvite: true,
  allowMemberProjectCreation: true,
  allowSuperuserAccess: true,
  allowJoinRequests: true,
  defaultRole: 'member',
  dataScrubber: false,
  dataScrubberDefaults: false,
  sensitiveFields: [],
  safeFields: [],
  scrubIPAddresses: false,
  scrapeJavaScript: true,
  storeCrashReports: 0,
  attachmentsRole: 'member',
  debugFilesRole: 'admin',
  eventsMemberAdmin: true,
  alertsMemberWrite: true,
  relayPiiConfig: null,
  trustedRelays: [],
};

/** Sentry's defaults for a new project (REFERENCE.md 5). */
export function defaultProjectSettings(securityToken: string): ProjectSettings {
  return {
    allowedDomains: ['*'],
    dataScrubber: true,
    dataScrubberDefaults: true,
    sensitiveFields: [],
    safeFields: [],
    scrubIPAddresses: false,
    scrapeJavaScript: true,
    storeCrashReports: null,
    relayPiiConfig: null,
    securityToken,
    securityTokenHeader: null,
    verifySSL: false,
    resolveAge: 0,
    debugFilesRole: null,
    subjectPrefix: '',
  };
}

export const FILTER_IDS = ['browser-extensions', 'localhost', 'filtered-transaction', 'web-crawlers', 'legacy-browsers'] as const;

export function defaultFilters(): Record<string, FilterState> {
  return {
    'browser-extensions': false,
    localhost: false,
    'filtered-transaction': true,
    'web-crawlers': false,
    'legacy-browsers': false,
  };
}

// Lookups: path parameters accept an id or a slug (REFERENCE.md 0.1).

export { findOrg, findTeam, findProject, findUser, memberOfUser } from './state-lookup';

/**
 * Server profiles: the shapes of real Sentry deployments the product meets. Each switch below is one
 * behaviour that differs between deployments, with a comment naming the getsentry/sentry (or
 * getsentry/relay) source file, and the commit or PR, it is modelled on. Handlers read switches from
 * `ctx.profile`; nothing else in the simulator branches on the deployment kind.
 *
 * Add a switch here (interface + every profile) rather than a boolean option on `startSimulator`.
 */
export type ServerProfileName = 'saas' | 'self-hosted' | 'self-hosted-legacy';

export const SERVER_PROFILE_NAMES: readonly ServerProfileName[] = ['saas', 'self-hosted', 'self-hosted-legacy'];

export interface ServerProfile {
  readonly name: ServerProfileName;
  /**
   * `X-Sentry-Rate-Limit-*` headers and the per-endpoint rate limiter. Self-hosted ships with
   * `SENTRY_RATELIMITER_ENABLED = False` (src/sentry/conf/server.py; the middleware
   * src/sentry/middleware/ratelimit.py only adds headers when the limiter ran).
   */
  readonly rateLimitHeaders: boolean;

  // ---- a1: server-era switches (members, org detail, tokens, invites) --------------------------

  /**
   * `org-role`: members carry `orgRole` (and the deprecated `role`/`roleName`), member details carry
   * `teamRoles`, the org detail carries `orgRole`. `legacy-role`: only `role` and `roleName`, member
   * details list `teams` (slugs) and no `teamRoles`, the member PUT reads `role`. The newer fields came
   * with getsentry/sentry PR #35391 (June 2022); before it
   * src/sentry/api/serializers/models/organization_member/base.py serialized `role`/`roleName` only.
   */
  readonly memberRoleFields: 'org-role' | 'legacy-role';
  /**
   * Member flags the serializer sends. Legacy base.py (before PR #35391) sent `sso:linked`,
   * `sso:invalid` and `member-limit:restricted` only; `idp:*` and `partnership:restricted` came later
   * (src/sentry/api/serializers/models/organization_member/response.py `_OrganizationMemberFlags`).
   */
  readonly memberFlagsLegacy: boolean;
  /**
   * The nested `user` of a member keeps `emails`. Sentry's published OpenAPI schema (the one the
   * contract test holds the simulator to) requires `user.emails` in the members and team-members
   * responses, so every named profile keeps it; the newest members serializer
   * (src/sentry/api/serializers/models/organization_member/base.py) drops it, as reported against
   * this project, which tests model with `memberUserEmails: false` (unverified in the indexed
   * source). The product does not read the field.
   */
  readonly memberUserEmails: boolean;
  /**
   * Team rosters may list service accounts: members without a User row for whom the serializer sends
   * a user-shaped object marked `actorType: "service_account"`
   * (src/sentry/core/endpoints/team_members.py `OrganizationMemberOnTeamResponse`). Older servers
   * have no service accounts.
   */
  readonly teamRosterServiceAccounts: boolean;
  /**
   * GET /organizations/{org}/org-auth-tokens/:
   * `session-only`: SessionNoAuthTokenAuthentication, so a bearer token gets 403 "Authentication
   * credentials were not provided." (src/sentry/api/endpoints/organization_auth_tokens.py, today).
   * `bearer`: the 2023-2024 releases had no authentication_classes override (same file, the version
   * importing `generate_region_url`), so an org:read token could list them.
   * `absent`: org auth tokens (src/sentry/models/orgauthtoken.py) did not exist before Sentry 23.x: 404.
   */
  readonly orgAuthTokenList: 'session-only' | 'bearer' | 'absent';
  /**
   * GET /organizations/{org}/invited-members/ (organization_member_invite/index.py, behind
   * `organizations:new-organization-member-invite`; orgs with that feature keep invites out of the
   * members list). `false`: the endpoint does not exist (404) and invites are members (legacy).
   */
  readonly memberInviteEndpoint: boolean;
  /**
   * GET /organizations/{org}/ without `org:read` in request.access answers
   * `OrganizationSummarySerializer` (src/sentry/core/endpoints/organization_details.py `get`). On
   * sentry.io getsentry overrides the permission class ("We override the permission class of this
   * endpoint in getsentry with the OrganizationDetailsPermission class", same file), so a token
   * without any org:* scope still gets the summary; self-hosted's OrganizationPermission answers 403.
   */
  readonly orgSummaryWithoutOrgRead: boolean;
  /**
   * `links` (organizationUrl, regionUrl) in organization bodies and GET /users/me/regions/ came with
   * customer domains and the multi-region work (src/sentry/api/serializers/models/organization.py
   * `links`, src/sentry/users/api/endpoints/user_regions.py, 2023); legacy servers send neither (404).
   */
  readonly orgLinksAndRegions: boolean;
  /**
   * GET /organizations/{org}/project-keys/ (`OrganizationProjectKeysEndpoint`, owned by
   * ApiOwner.TELEMETRY_EXPERIENCE, so a 2024-or-later endpoint; its file path is not confirmed here).
   * Legacy servers answer 404 and clients read keys per project.
   */
  readonly orgWideKeyList: boolean;
  /**
   * GET /organizations/{org}/audit-logs/ body: `{rows, options}` since getsentry/sentry PR #36438
   * (July 2022, src/sentry/api/endpoints/organization_auditlogs.py: `response.data = {"rows": ...,
   * "options": audit_log.get_api_names()}`); before it the paginated list of entries itself.
   */
  readonly auditLogBody: 'rows-options' | 'list';
  // --- client keys, integrations, apps (issue 8 section 2; keep member/org/token switches apart) ---

  /**
   * Every project has the `projects:rate-limits` feature, whatever its `features` list in the
   * state says. Self-hosted turns it on for all (`"projects:rate-limits": True` in SENTRY_FEATURES,
   * src/sentry/conf/server.py); on sentry.io it comes with the plan (the getsentry feature
   * handler), which the simulator reads from each project's features. Without it, key PUTs keep
   * the stored limit (src/sentry/api/endpoints/project_key_details.py, `put`).
   */
  readonly rateLimitsForEveryProject: boolean;
}

export const SERVER_PROFILES: Readonly<Record<ServerProfileName, ServerProfile>> = {
  saas: {
    name: 'saas',
    rateLimitHeaders: true,
    // a1: server-era switches
    memberRoleFields: 'org-role',
    memberFlagsLegacy: false,
    memberUserEmails: true,
    teamRosterServiceAccounts: true,
    orgAuthTokenList: 'session-only',
    memberInviteEndpoint: true,
    orgSummaryWithoutOrgRead: true,
    orgLinksAndRegions: true,
    orgWideKeyList: true,
    auditLogBody: 'rows-options',
    rateLimitsForEveryProject: false,
  },
  'self-hosted': {
    name: 'self-hosted',
    rateLimitHeaders: false,
    // a1: server-era switches
    memberRoleFields: 'org-role',
    memberFlagsLegacy: false,
    memberUserEmails: true,
    teamRosterServiceAccounts: true,
    orgAuthTokenList: 'session-only',
    memberInviteEndpoint: true,
    orgSummaryWithoutOrgRead: false,
    orgLinksAndRegions: true,
    orgWideKeyList: true,
    auditLogBody: 'rows-options',
    rateLimitsForEveryProject: true,
  },
  'self-hosted-legacy': {
    name: 'self-hosted-legacy',
    rateLimitHeaders: false,
    // a1: server-era switches
    memberRoleFields: 'legacy-role',
    memberFlagsLegacy: true,
    memberUserEmails: true,
    teamRosterServiceAccounts: false,
    orgAuthTokenList: 'absent',
    memberInviteEndpoint: false,
    orgSummaryWithoutOrgRead: false,
    orgLinksAndRegions: false,
    orgWideKeyList: false,
    auditLogBody: 'list',
    rateLimitsForEveryProject: true,
  },
};

export function isServerProfileName(value: string): value is ServerProfileName {
  return (SERVER_PROFILE_NAMES as readonly string[]).includes(value);
}

export function resolveProfile(profile: ServerProfileName | ServerProfile | undefined, selfHosted?: boolean): ServerProfile {
  if (profile === undefined) return SERVER_PROFILES[selfHosted ? 'self-hosted' : 'saas'];
  return typeof profile === 'string' ? SERVER_PROFILES[profile] : profile;
}

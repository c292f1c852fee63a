import { z } from 'zod';

/**
 * Response shapes at the boundary. Each schema requires only the fields some check or fix reads,
 * with the types Sentry sends (REFERENCE.md); everything else is optional, and unknown fields pass
 * through untouched because Sentry adds fields often. A list is validated item by item
 * (`items.ts`): an odd item is set aside and named, the rest evaluated. An object answer that does
 * not match is a `malformed_response` error, never a guess.
 */

const Id = z.string();
const IsoDate = z.string();

export const ApiIndexSchema = z.looseObject({
  /** Unused by every check; Sentry's value varies by deployment, so never a reason to refuse. */
  version: z.unknown().optional(),
  auth: z.looseObject({ scopes: z.array(z.string()) }).nullable(),
  user: z
    .looseObject({
      id: Id,
      name: z.string().nullish(),
      email: z.string().nullish(),
      username: z.string().nullish(),
      has2fa: z.boolean().optional(),
    })
    .nullable(),
});
export type ApiIndex = z.infer<typeof ApiIndexSchema>;

export const OrgLinksSchema = z.looseObject({ organizationUrl: z.string(), regionUrl: z.string() });

export const OrganizationSummarySchema = z.looseObject({
  id: Id,
  slug: z.string(),
  name: z.string(),
  links: OrgLinksSchema.optional(),
  status: z.looseObject({ id: z.string(), name: z.string() }).optional(),
});
export type OrganizationSummary = z.infer<typeof OrganizationSummarySchema>;

export const TrustedRelaySchema = z.looseObject({
  name: z.string(),
  publicKey: z.string(),
  description: z.string().nullish(),
  created: z.string().nullish(),
  lastModified: z.string().nullish(),
});

/**
 * The settings fields only the detailed serializer sends. GET /organizations/{org}/ answers the
 * summary (none of these) when the request lacks `org:read` (organization_details.py `get`).
 */
export const ORGANIZATION_SETTINGS_FIELDS = [
  'openMembership',
  'defaultRole',
  'dataScrubber',
  'dataScrubberDefaults',
  'sensitiveFields',
  'safeFields',
  'scrubIPAddresses',
] as const;

const OrganizationFields = {
  id: Id,
  slug: z.string(),
  name: z.string(),
  links: OrgLinksSchema.optional(),
  require2FA: z.boolean(),
  requiresSso: z.boolean().optional(),
  hasAuthProvider: z.boolean().optional(),
  openMembership: z.boolean(),
  allowSharedIssues: z.boolean().optional(),
  enhancedPrivacy: z.boolean().optional(),
  allowMemberInvite: z.boolean().optional(),
  allowMemberProjectCreation: z.boolean().optional(),
  allowSuperuserAccess: z.boolean().optional(),
  allowJoinRequests: z.boolean().optional(),
  defaultRole: z.string(),
  dataScrubber: z.boolean(),
  dataScrubberDefaults: z.boolean(),
  sensitiveFields: z.array(z.string()),
  safeFields: z.array(z.string()),
  scrubIPAddresses: z.boolean(),
  relayPiiConfig: z.string().nullable().optional(),
  trustedRelays: z.array(TrustedRelaySchema).optional(),
  features: z.array(z.string()).optional(),
  access: z.array(z.string()).optional(),
  /** The caller's role; `role` before PR #35391. Absent for tokens that are not a member. */
  orgRole: z.string().optional(),
  role: z.string().optional(),
  dateCreated: IsoDate.optional(),
};

function orgWithRole<T extends { orgRole?: string | undefined; role?: string | undefined }>(v: T): T {
  return v.orgRole === undefined && v.role !== undefined ? { ...v, orgRole: v.role } : v;
}

export const OrganizationSchema = z.looseObject(OrganizationFields).transform(orgWithRole);
export type Organization = z.infer<typeof OrganizationSchema>;

/**
 * What connecting accepts: the detail or the summary. The summary has no settings; OrgData turns
 * it into a `missing_scope` error naming org:read for the checks that need them.
 */
export const OrganizationReadSchema = z
  .looseObject({
    ...OrganizationFields,
    require2FA: z.boolean().optional(),
    openMembership: z.boolean().optional(),
    defaultRole: z.string().optional(),
    dataScrubber: z.boolean().optional(),
    dataScrubberDefaults: z.boolean().optional(),
    sensitiveFields: z.array(z.string()).optional(),
    safeFields: z.array(z.string()).optional(),
    scrubIPAddresses: z.boolean().optional(),
  })
  .transform(orgWithRole);
export type OrganizationRead = z.infer<typeof OrganizationReadSchema>;

// Members and roster rows keep only the fields the checks read (z.object strips the rest): at
// 10,000 projects the audit holds about 100,000 of them for its whole run, and parsed with every
// field Sentry sends they were most of its memory (issue 10). The raw bodies keep every field.
export const UserSchema = z.object({
  id: Id,
  email: z.string().nullish(),
  name: z.string().nullish(),
  has2fa: z.boolean(),
  isActive: z.boolean().optional(),
});

/**
 * The role of a member or of the caller. Servers before getsentry/sentry PR #35391 (June 2022) send
 * only `role`; newer ones send `orgRole` and keep `role` as deprecated. Either is accepted and the
 * parsed value always has `orgRole`; `roleField` says which one the server speaks, so a write
 * sends the field the server reads (a legacy member PUT ignores `orgRole`).
 */
function withOrgRole<T extends { orgRole?: string | undefined; role?: string | undefined }>(
  v: T,
  ctx: z.RefinementCtx,
): T & { orgRole: string; roleField?: 'orgRole' | 'role' } {
  const role = v.orgRole ?? v.role;
  if (role === undefined) {
    ctx.addIssue({ code: 'custom', message: 'neither orgRole nor role is present', path: ['orgRole'] });
    return z.NEVER;
  }
  // zod's output is a fresh object: completed in place, since a spread copy got a hidden class
  // of its own per member (tens of thousands of them at 10,000 projects, issue 10).
  const out = v as T & { orgRole: string; roleField?: 'orgRole' | 'role' };
  const roleField = v.orgRole === undefined ? 'role' : 'orgRole';
  out.orgRole = role;
  out.roleField = roleField;
  // JSON.parse gives each occurrence its own string: the user's email is nearly always the
  // member's, and shares its copy (a few MB at 10,000 projects).
  const member = out as { email?: string | null; user?: { email?: string | null } | null };
  if (typeof member.email === 'string' && member.user?.email === member.email) member.user.email = member.email;
  return out;
}

const MemberFields = {
  id: Id,
  email: z.string().nullish(),
  name: z.string().nullish(),
  user: UserSchema.nullable(),
  orgRole: z.string().optional(),
  role: z.string().optional(),
  pending: z.boolean(),
  expired: z.boolean(),
  /**
   * Only the SSO flags are read (members.ts). Sentry sends six or more (member_flags in
   * src/sentry/models/organizationmember.py) and adds some over the years: kept, 36,000 flag
   * objects were several MB of a large audit, and a new flag of another type would have made a
   * member invalid.
   */
  flags: z.object({ 'sso:linked': z.boolean().optional(), 'sso:invalid': z.boolean().optional() }).optional(),
  dateCreated: IsoDate.optional(),
  inviteStatus: z.string().optional(),
};

export const MemberSchema = z.object(MemberFields).transform(withOrgRole);
export type Member = z.infer<typeof MemberSchema>;

/**
 * Member detail adds the member's teams (slugs) and team roles. `teamRoles` is absent on servers
 * before PR #35391: then the team roles are unknown (not "no team roles"); `teams` still lists them.
 */
export const MemberDetailSchema = z
  .looseObject({
    ...MemberFields,
    teams: z.array(z.string()),
    teamRoles: z.array(z.looseObject({ teamSlug: z.string(), role: z.string().nullable() })).optional(),
  })
  .transform(withOrgRole);
export type MemberDetail = z.infer<typeof MemberDetailSchema>;

/**
 * A team roster row. Rosters may list service accounts, which have no User row: Sentry sends a
 * user-shaped object marked `actorType: "service_account"` (team_members.py), without `has2fa`. The
 * roster only tells who is on the team (its member id, team role and role): the member's own
 * fields come from the member list, so a roster row keeps no more than that. At 10,000 projects
 * the rosters hold about 70,000 rows, each a copy of a member row as Sentry sends it.
 */
export const TeamMemberSchema = z
  .object({
    id: Id,
    email: z.string().nullish(),
    orgRole: z.string().optional(),
    role: z.string().optional(),
    user: z.object({ id: Id, actorType: z.string().optional() }).nullable(),
    teamRole: z.string().nullable().optional(),
    teamSlug: z.string().optional(),
  })
  .transform(withOrgRole);
export type TeamMember = z.infer<typeof TeamMemberSchema>;

/** A roster row that is a service account, not a person (team_members.py). */
export function isServiceAccount(m: TeamMember): boolean {
  return m.user?.actorType === 'service_account';
}

/**
 * An invite of an org on the new invite model: GET /organizations/{org}/invited-members/
 * (organization_member_invite/index.py, OrganizationMemberInviteSerializer).
 */
export const MemberInviteSchema = z.looseObject({
  id: Id,
  email: z.string().nullish(),
  orgRole: z.string(),
  expired: z.boolean(),
  inviteStatus: z.string().optional(),
  dateCreated: IsoDate.optional(),
});
export type MemberInvite = z.infer<typeof MemberInviteSchema>;

// Teams and projects, like members, keep the fields the checks read (issue 10).
const ProjectRefSchema = z.object({ id: Id, slug: z.string(), name: z.string().optional() });
const TeamRefSchema = z.object({ id: Id, slug: z.string(), name: z.string() });

export const TeamSchema = z.object({
  id: Id,
  slug: z.string(),
  name: z.string(),
  memberCount: z.number().int().optional(),
  flags: z.record(z.string(), z.boolean()).optional(),
  projects: z.array(ProjectRefSchema).optional(),
});
export type Team = z.infer<typeof TeamSchema>;

export const ProjectSummarySchema = z.object({
  id: Id,
  slug: z.string(),
  name: z.string(),
  platform: z.string().nullable().optional(),
  teams: z.array(TeamRefSchema).optional(),
  dateCreated: IsoDate.optional(),
  /** Whether the caller can open the project; the org-wide key list omits the keys of those it cannot. */
  hasAccess: z.boolean().optional(),
});
export type ProjectSummary = z.infer<typeof ProjectSummarySchema>;

export const ProjectDetailSchema = z.object({
  id: Id,
  slug: z.string(),
  name: z.string(),
  platform: z.string().nullable().optional(),
  status: z.string().optional(),
  allowedDomains: z.array(z.string()),
  dataScrubber: z.boolean(),
  dataScrubberDefaults: z.boolean(),
  sensitiveFields: z.array(z.string()),
  safeFields: z.array(z.string()),
  scrubIPAddresses: z.boolean(),
  relayPiiConfig: z.string().nullable().optional(),
  options: z.record(z.string(), z.unknown()),
  /** No check reads the detail's teams (2.2 uses the project list): never a reason to refuse. */
  teams: z.array(TeamRefSchema).optional(),
  features: z.array(z.string()).optional(),
});
export type ProjectDetail = z.infer<typeof ProjectDetailSchema>;

export const RateLimitSchema = z.looseObject({ window: z.number().int(), count: z.number().int() });

// Client keys keep only the declared fields (z.object strips the rest): Sentry sends a dozen
// DSN URLs and the loader options with each key, about 1 KB of strings a key that no check reads
// (20,000 keys at 10,000 projects). The raw bodies keep every field.
export const ProjectKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  label: z.string().optional(),
  public: z.string(),
  /**
   * Secret half of the DSN, a nullable column (ProjectKeySerializerResponse: `secret: str | None`,
   * src/sentry/api/serializers/models/project_key.py). Unused; redacted before anything is stored.
   */
  secret: z.string().nullish(),
  projectId: z.number().int(),
  isActive: z.boolean(),
  /** Read by 3.2.rate-limit only: a key without it is an `error` of that check, not an invalid key. */
  rateLimit: RateLimitSchema.nullable().optional(),
  browserSdkVersion: z.string().optional(),
  dateCreated: IsoDate.nullable().optional(),
  dsn: z.object({ public: z.string().nullish(), secret: z.string().nullish() }).optional(),
});
export type ProjectKey = z.infer<typeof ProjectKeySchema>;

export const InboundFilterSchema = z.looseObject({
  id: z.string(),
  active: z.union([z.boolean(), z.array(z.string())]),
});
export type InboundFilter = z.infer<typeof InboundFilterSchema>;

/** GET /auth-provider/ answers 204 when no SSO provider is configured; that is `null` here. */
export const AuthProviderSchema = z.looseObject({
  id: Id.optional(),
  provider_name: z.string(),
  pending_links_count: z.number().int().optional(),
  login_url: z.string().optional(),
  default_role: z.string().optional(),
  require_link: z.boolean().optional(),
  scim_enabled: z.boolean().optional(),
});
export type AuthProvider = z.infer<typeof AuthProviderSchema>;

export const AuditLogEntrySchema = z.looseObject({
  id: Id,
  event: z.string(),
  actor: z.looseObject({ name: z.string().nullish() }).nullable().optional(),
  ipAddress: z.string().nullable().optional(),
  note: z.string().nullable().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  /** The user the event is about (serialized), when it is about one; auditlogentry.py. */
  targetUser: z.union([z.looseObject({ name: z.string().nullish(), email: z.string().nullish() }), z.string(), z.null()]).optional(),
  dateCreated: IsoDate,
});
export type AuditLogEntry = z.infer<typeof AuditLogEntrySchema>;

/** The audit log is an object, not an array: `{rows, options}`; rows are validated one by one. */
export const AuditLogPageSchema = z.looseObject({
  rows: z.array(z.unknown()),
  options: z.array(z.string()).optional(),
});

/**
 * Either audit log body: `{rows, options}` since getsentry/sentry PR #36438 (July 2022), the plain
 * list of entries before it (organization_auditlogs.py). Read as the list of entries.
 */
export const AuditLogBodySchema = z
  .union([AuditLogPageSchema, z.array(z.unknown())])
  .transform((body): unknown[] => (Array.isArray(body) ? body : body.rows));

export const IntegrationSchema = z.looseObject({
  id: Id,
  name: z.string(),
  domainName: z.string().nullable().optional(),
  accountType: z.string().nullable().optional(),
  scopes: z.array(z.string()).nullable().optional(),
  status: z.string(),
  provider: z.looseObject({ key: z.string(), slug: z.string().optional(), name: z.string() }),
  configOrganization: z.unknown().optional(),
  configData: z.unknown().optional(),
  externalId: z.string().nullable().optional(),
});
export type Integration = z.infer<typeof IntegrationSchema>;

export const SentryAppSchema = z.looseObject({
  name: z.string(),
  slug: z.string(),
  uuid: z.string(),
  status: z.string(),
  scopes: z.array(z.string()),
  events: z.array(z.string()).optional(),
  webhookUrl: z.string().nullable().optional(),
  allowedOrigins: z.array(z.string()).optional(),
  owner: z.looseObject({ id: z.union([z.string(), z.number()]), slug: z.string() }).nullable().optional(),
  /** Not in SentryAppSerializer (src/sentry/sentry_apps/api/serializers/sentry_app.py); never required. */
  isDisabled: z.boolean().optional(),
  datePublished: z.string().nullable().optional(),
});
export type SentryApp = z.infer<typeof SentryAppSchema>;

export const SentryAppInstallationSchema = z.looseObject({
  app: z.looseObject({ uuid: z.string(), slug: z.string() }),
  organization: z.looseObject({ slug: z.string() }).optional(),
  uuid: z.string(),
  status: z.string(),
});
export type SentryAppInstallation = z.infer<typeof SentryAppInstallationSchema>;

export const OrgAuthTokenSchema = z.looseObject({
  id: Id,
  name: z.string(),
  scopes: z.array(z.string()),
  tokenLastCharacters: z.string().nullable().optional(),
  dateCreated: IsoDate,
  dateLastUsed: IsoDate.nullable().optional(),
  projectLastUsedId: z.string().nullable().optional(),
});
export type OrgAuthToken = z.infer<typeof OrgAuthTokenSchema>;

export const UserRegionsSchema = z.looseObject({
  regions: z.array(z.looseObject({ name: z.string(), url: z.string() })),
});

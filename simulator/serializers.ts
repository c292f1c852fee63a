import type { OrgAccess, RequestContext } from './http-types';
import { orgRole, serializeOrgRoleList, serializeTeamRoleList } from './roles';
import type {
  SimMember,
  SimOrg,
  SimState,
  SimTeam,
  SimUser,
} from './state';
import { orgIndex } from './org-index';
import { findUser } from './state';
import { serializeProjectBase, serializeProjectSummary } from './serialize-projects';

/**
 * Response shapes. Field names, types and required fields follow the [S] response schemas of
 * openapi.json (the contract test holds us to them) plus the fields REFERENCE.md adds from [SRC].
 */

/** ISO-8601 UTC with microseconds, as Sentry writes dates (REFERENCE.md 0.6). */
export function isoMicro(date: Date): string {
  return date.toISOString().replace(/Z$/, '000Z');
}

export const LETTER_AVATAR = { avatarType: 'letter_avatar', avatarUuid: null, avatarUrl: null };

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
    .map((tm) => ({ team: orgIndex(org).teamById.get(tm.teamId), role: tm.role }))
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
export function teamMemberCounts(org: SimOrg): ReadonlyMap<string, number> {
  return orgIndex(org).teamMemberCounts;
}

export function serializeTeam(
  team: SimTeam,
  org: SimOrg,
  access: OrgAccess,
  counts: ReadonlyMap<string, number>,
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
    out.projects = (orgIndex(org).projectsByTeam.get(team.id) ?? []).map((p) => serializeProjectBase(p, access));
  }
  return out;
}

export * from './serialize-projects';
export * from './serialize-integrations';

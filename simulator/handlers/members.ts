import { badRequest, forbidden, notFound } from '../http-types';
import type { OrgAccess, RequestContext, SimResponse } from '../http-types';
import { memoized, orgIndex } from '../org-index';
import { paginateOffset, pageResponse } from '../pagination';
import { rolePriority, roleScopes, ORG_ROLE_IDS } from '../roles';
import type { Route } from '../router';
import { serializeMember, serializeMemberDetail, serializeTeam, teamMemberCounts } from '../serializers';
import type { OrgRole, SimMember, SimOrg, SimState, SimTeamMembership, TeamRole } from '../state';
import { findTeam, findUser } from '../state';
import { bodyObject, noContent, ok, orgOf, recordAudit } from './common';
import { invitesSeparate, isServiceAccount, memberPutBody, shapeMember, shapeMemberDetail } from '../profile-shapes';

// ---- search syntax of the members list (REFERENCE.md 3.1) ----

/** Splits `key:value key:"quoted value" free` into tokens. */
export function tokenizeQuery(q: string): { key: string | null; values: string[] }[] {
  const out: { key: string | null; values: string[] }[] = [];
  const re = /(\S+?):("([^"]*)"|\[([^\]]*)\]|(\S*))|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(q)) !== null) {
    if (m[6] !== undefined) {
      out.push({ key: null, values: [m[6]] });
      continue;
    }
    const raw = m[3] ?? m[4] ?? m[5] ?? '';
    out.push({ key: (m[1] as string).toLowerCase(), values: raw.split(',').map((v) => v.trim()).filter(Boolean) });
  }
  return out;
}

function bool(values: string[]): boolean {
  return values.some((v) => v.toLowerCase() === 'true');
}

export function filterMembers(members: SimMember[], query: string, state: SimState): SimMember[] {
  let rows = members;
  for (const { key, values } of tokenizeQuery(query)) {
    const lower = values.map((v) => v.toLowerCase());
    switch (key) {
      case null:
      case 'query':
        rows = rows.filter((m) => {
          const user = findUser(state, m.userId);
          const hay = `${m.email} ${m.name} ${user?.name ?? ''} ${user?.email ?? ''}`.toLowerCase();
          return lower.every((v) => hay.includes(v));
        });
        break;
      case 'email':
        rows = rows.filter((m) => {
          const email = (findUser(state, m.userId)?.email ?? m.email).toLowerCase();
          return lower.includes(email);
        });
        break;
      case 'id':
        rows = rows.filter((m) => values.includes(m.id));
        break;
      case 'user.id':
        rows = rows.filter((m) => m.userId !== null && values.includes(m.userId));
        break;
      case 'role':
        rows = rows.filter((m) => lower.includes(m.orgRole));
        break;
      case 'scope':
        rows = rows.filter((m) => values.some((s) => roleScopes(m.orgRole).includes(s)));
        break;
      case 'isinvited': {
        const want = bool(values);
        rows = rows.filter((m) => (m.userId === null) === want);
        break;
      }
      case 'ssolinked': {
        const want = bool(values);
        rows = rows.filter((m) => (m.flags['sso:linked'] ?? false) === want);
        break;
      }
      case 'has2fa': {
        // Members without an account (invites) match neither value, as in Sentry.
        const want = bool(values);
        rows = rows.filter((m) => {
          const user = findUser(state, m.userId);
          return user !== undefined && user.has2fa === want;
        });
        break;
      }
      case 'hasexternalusers':
        rows = bool(values) ? [] : rows;
        break;
      default:
        // An unknown key matches nothing.
        rows = [];
    }
  }
  return rows;
}

/**
 * Members the list shows: approved members and invites, not requests, not inactive users. Orgs on
 * the new invite model list invites at /invited-members/ instead (organization_member_index.py,
 * organization_member_invite/index.py). Service accounts show on team rosters only (team_members.py);
 * where the org list shows them is not modelled.
 */
function listedMembers(org: SimOrg, state: SimState, ctx: RequestContext): SimMember[] {
  const separate = invitesSeparate(org, ctx.profile);
  // Once per revision (org-index.ts): each page of 50,000 members used to filter them all.
  return memoized(org, `members:listed:${separate}`, () =>
    org.members.filter((m) => {
      if (m.inviteStatus !== 'approved' || isServiceAccount(m)) return false;
      if (m.userId === null) return !separate;
      return findUser(state, m.userId)?.isActive ?? false;
    }),
  );
}

function listMembers(ctx: RequestContext): SimResponse {
  const { org } = orgOf(ctx);
  let rows = listedMembers(org, ctx.state, ctx);
  const q = ctx.query.get('query');
  if (q) rows = filterMembers(rows, q, ctx.state);
  const page = paginateOffset(rows, ctx.query);
  return pageResponse({ ...page, items: page.items.map((m) => shapeMember(serializeMember(m, ctx.state), ctx.profile)) });
}

function resolveMember(ctx: RequestContext, org: SimOrg, access: OrgAccess): SimMember {
  const id = ctx.params.member_id as string;
  if (id === 'me') {
    if (!access.member) throw notFound();
    return access.member;
  }
  if (!/^\d+$/.test(id)) throw notFound();
  const m = org.members.find((x) => x.id === id);
  if (!m) throw notFound();
  return m;
}

function getMember(ctx: RequestContext): SimResponse {
  const { org, access } = orgOf(ctx);
  const m = resolveMember(ctx, org, access);
  return ok(shapeMemberDetail(serializeMemberDetail(m, org, ctx.state, ctx, access), ctx.profile));
}

// ---- writes ----

function teamsDiffAudit(ctx: RequestContext, org: SimOrg, m: SimMember, before: SimTeamMembership[]): void {
  const beforeIds = new Set(before.map((t) => t.teamId));
  const afterIds = new Set(m.teams.map((t) => t.teamId));
  for (const t of m.teams) {
    if (beforeIds.has(t.teamId)) continue;
    const team = orgIndex(org).teamById.get(t.teamId);
    recordAudit(ctx, org, 'member.join-team', {
      note: `added member ${m.email} to team ${team?.slug ?? t.teamId}`,
      data: { team_slug: team?.slug, member_id: m.id, email: m.email },
      targetObject: Number(m.id),
      targetUserId: m.userId,
    });
  }
  for (const t of before) {
    if (afterIds.has(t.teamId)) continue;
    const team = orgIndex(org).teamById.get(t.teamId);
    recordAudit(ctx, org, 'member.leave-team', {
      note: `removed member ${m.email} from team ${team?.slug ?? t.teamId}`,
      data: { team_slug: team?.slug, member_id: m.id, email: m.email },
      targetObject: Number(m.id),
      targetUserId: m.userId,
    });
  }
}

function parseTeamAssignments(org: SimOrg, body: Record<string, unknown>, teamRoles: boolean): SimTeamMembership[] | null {
  if (Array.isArray(body.teamRoles)) {
    const out: SimTeamMembership[] = [];
    for (const entry of body.teamRoles as unknown[]) {
      const e = entry as { teamSlug?: unknown; role?: unknown } | null;
      const team = typeof e?.teamSlug === 'string' ? findTeam(org, e.teamSlug) : undefined;
      if (!team) throw badRequest({ teamRoles: ['Invalid team'] });
      const role = e?.role === 'admin' || e?.role === 'contributor' ? (e.role as TeamRole) : null;
      if (e?.role !== undefined && e.role !== null && role === null) throw badRequest({ teamRoles: ['Invalid team-role'] });
      out.push({ teamId: team.id, role: teamRoles ? role : null });
    }
    return out;
  }
  if (Array.isArray(body.teams)) {
    return (body.teams as unknown[]).map((slug) => {
      const team = typeof slug === 'string' ? findTeam(org, slug) : undefined;
      if (!team) throw badRequest({ teams: ['Invalid team'] });
      return { teamId: team.id, role: null };
    });
  }
  return null;
}

function updateMember(ctx: RequestContext): SimResponse {
  const { org, access, caller } = orgOf(ctx);
  // Project and member PUT need a user; org auth tokens have none: 400 with an empty body.
  if (caller.token.kind === 'org_auth_token') return { status: 400 };
  const target = resolveMember(ctx, org, access);
  const body = memberPutBody(bodyObject(ctx), ctx.profile);
  // Team roles need the org feature (organization_member_details.py `put`: "If orgs do not have the
  // flag, we'll set their team-roles to None"); legacy servers had no team roles at all.
  const teamRolesOn = org.features.includes('team-roles') && ctx.profile.memberRoleFields !== 'legacy-role';
  if (target.flags['partnership:restricted']) {
    throw forbidden({ detail: 'This member is managed by an active partnership and cannot be modified until the end of the partnership.' });
  }
  if (body.reinvite || body.regenerate) {
    if (target.userId !== null) throw badRequest({ detail: 'You cannot modify a member other than yourself.' });
    target.expired = false;
    recordAudit(ctx, org, 'member.reinvite', { note: `reinvited member ${target.email}`, data: { email: target.email }, targetObject: Number(target.id) });
    return ok(shapeMemberDetail(serializeMemberDetail(target, org, ctx.state, ctx, access), ctx.profile));
  }
  const roleKey = 'orgRole' in body ? 'orgRole' : 'role' in body ? 'role' : null;
  let newRole: OrgRole | null = null;
  if (roleKey) {
    const requested = body[roleKey];
    const callerPriority = access.member && access.scopes.has('member:admin') ? rolePriority(access.member.orgRole) : -1;
    if (typeof requested !== 'string' || !(ORG_ROLE_IDS as readonly string[]).includes(requested) || rolePriority(requested) > callerPriority) {
      throw badRequest({ [roleKey]: ['You do not have permission to set that org-level role'] });
    }
    newRole = requested as OrgRole;
    if (access.member && target.id === access.member.id && newRole !== target.orgRole) {
      throw badRequest({ detail: 'You cannot make changes to your own role.' });
    }
    if (rolePriority(target.orgRole) > callerPriority) {
      throw forbidden({ role: 'You do not have permission to assign a role to the given user.' });
    }
    if (newRole === 'admin' && newRole !== target.orgRole && teamRolesOn) {
      throw badRequest({ detail: "The role 'admin' is deprecated and may no longer be assigned." });
    }
  }
  // save_team_assignments replaces team memberships wholesale; none sent means none kept.
  const assignments = parseTeamAssignments(org, body, teamRolesOn) ?? [];
  const finalRole = newRole ?? target.orgRole;
  if (finalRole === 'billing' && assignments.length > 0) {
    throw badRequest({ detail: "The user with a 'billing' role cannot have team-level permissions." });
  }
  const beforeTeams = target.teams;
  const beforeRole = target.orgRole;
  target.teams = assignments;
  teamsDiffAudit(ctx, org, target, beforeTeams);
  if (newRole && newRole !== beforeRole) {
    target.orgRole = newRole;
    recordAudit(ctx, org, 'member.edit', {
      note: `edited member ${target.email} (role: ${newRole})`,
      data: { email: target.email, role: newRole, old_role: beforeRole },
      targetObject: Number(target.id),
      targetUserId: target.userId,
    });
  }
  return ok(shapeMemberDetail(serializeMemberDetail(target, org, ctx.state, ctx, access), ctx.profile));
}

function deleteMember(ctx: RequestContext): SimResponse {
  const { org, access, caller } = orgOf(ctx);
  const target = resolveMember(ctx, org, access);
  const isSelf = access.member !== undefined && target.id === access.member.id;
  if (target.flags['idp:provisioned']) {
    throw forbidden({ detail: "This user is managed through your organization's identity provider." });
  }
  if (!isSelf) {
    if (!access.scopes.has('member:admin')) {
      const inviter = caller.user?.email;
      const canRemoveOwnInvite =
        org.settings.allowMemberInvite && access.scopes.has('member:invite') && target.userId === null;
      if (!canRemoveOwnInvite || target.userId !== null) throw badRequest({ detail: 'You are missing the member:admin scope.' });
      if (target.inviterName !== inviter) throw badRequest({ detail: 'You cannot modify invitations sent by someone else.' });
    } else if (!access.member || rolePriority(access.member.orgRole) < rolePriority(target.orgRole)) {
      throw badRequest({ detail: 'You cannot remove a member who has more access than you.' });
    }
  }
  if (target.orgRole === 'owner' || target.orgRole === 'manager') {
    const remaining = org.members.filter(
      (m) => m.id !== target.id && m.userId !== null && (m.orgRole === 'owner' || m.orgRole === 'manager'),
    );
    if (remaining.length === 0) {
      throw forbidden({ detail: 'You cannot remove the only remaining owner or manager of the organization.' });
    }
  }
  org.members = org.members.filter((m) => m.id !== target.id);
  recordAudit(ctx, org, 'member.remove', {
    note: `removed member ${target.email}`,
    data: { email: target.email, role: target.orgRole },
    targetObject: Number(target.id),
    targetUserId: target.userId,
  });
  return noContent();
}

function refreshedAccess(access: OrgAccess): OrgAccess {
  return { ...access, teamIds: new Set(access.member?.teams.map((t) => t.teamId) ?? []) };
}

function isTeamAdmin(access: OrgAccess, teamId: string): boolean {
  if (!access.member) return false;
  if (rolePriority(access.member.orgRole) >= rolePriority('manager')) return true;
  const tm = access.member.teams.find((t) => t.teamId === teamId);
  return tm !== undefined && (tm.role === 'admin' || access.member.orgRole === 'admin');
}

function addMemberTeam(ctx: RequestContext): SimResponse {
  const { org, access, caller } = orgOf(ctx);
  const target = resolveMember(ctx, org, access);
  const team = findTeam(org, ctx.params.team as string);
  if (!team) throw notFound();
  if (team.idpProvisioned) throw forbidden({ detail: "This team is managed through your organization's identity provider" });
  if (target.teams.some((t) => t.teamId === team.id)) return noContent();
  const isSelf = access.member !== undefined && target.id === access.member.id;
  const s = access.scopes;
  let direct: boolean;
  if (caller.token.kind === 'internal_integration') {
    direct = org.settings.openMembership ? s.has('org:read') : s.has('org:write');
  } else {
    direct =
      s.has('org:write') ||
      (s.has('team:write') && isTeamAdmin(access, team.id)) ||
      (isSelf && org.settings.openMembership && s.has('org:read'));
  }
  if (!direct) {
    if (s.has('org:read')) return { status: 202, body: undefined };
    throw forbidden();
  }
  const before = target.teams;
  target.teams = [...before, { teamId: team.id, role: null }];
  teamsDiffAudit(ctx, org, target, before);
  return ok(serializeTeam(team, org, refreshedAccess(access), teamMemberCounts(org)), 201);
}

function removeMemberTeam(ctx: RequestContext): SimResponse {
  const { org, access } = orgOf(ctx);
  const target = resolveMember(ctx, org, access);
  const team = findTeam(org, ctx.params.team as string);
  if (!team) throw notFound();
  if (team.idpProvisioned) throw forbidden({ detail: "This team is managed through your organization's identity provider" });
  const isSelf = access.member !== undefined && target.id === access.member.id;
  const s = access.scopes;
  const allowed =
    s.has('org:write') || s.has('org:admin') || (s.has('team:admin') && (isTeamAdmin(access, team.id) || !access.member)) || (isSelf && s.has('org:read'));
  if (!allowed) throw forbidden();
  const before = target.teams;
  target.teams = before.filter((t) => t.teamId !== team.id);
  teamsDiffAudit(ctx, org, target, before);
  return ok(serializeTeam(team, org, refreshedAccess(access), teamMemberCounts(org)));
}

const MEMBER_READ = ['member:admin', 'member:read', 'member:write'];

/** OrganizationMemberInviteSerializer (src/sentry/api/serializers/models/organizationmemberinvite.py). */
function serializeInvite(m: SimMember, org: SimOrg): Record<string, unknown> {
  const flags: Record<string, boolean> = {};
  for (const k of ['idp:provisioned', 'idp:role-restricted', 'sso:linked', 'sso:invalid', 'member-limit:restricted', 'partnership:restricted']) flags[k] = m.flags[k] ?? false;
  return {
    id: m.id,
    email: m.email,
    orgRole: m.orgRole,
    expired: m.expired,
    flags,
    teams: m.teams.map((t) => ({ id: t.teamId, slug: org.teams.find((x) => x.id === t.teamId)?.slug ?? t.teamId, role: null })),
    dateCreated: m.dateCreated,
    inviteStatus: m.inviteStatus,
    inviterName: m.inviterName,
  };
}

/** GET /invited-members/ (organization_member_invite/index.py): 403 without the org feature. */
function listInvites(ctx: RequestContext): SimResponse {
  const { org } = orgOf(ctx);
  if (!invitesSeparate(org, ctx.profile)) throw forbidden({ detail: 'Your organization does not have access to this feature.' });
  const rows = org.members.filter((m) => m.userId === null && !isServiceAccount(m)).sort((a, b) => a.email.localeCompare(b.email));
  const page = paginateOffset(rows, ctx.query);
  return pageResponse({ ...page, items: page.items.map((m) => serializeInvite(m, org)) });
}

export const memberRoutes: Route[] = [
  // Absent on legacy servers (profiles.ts `memberInviteEndpoint`).
  { method: 'GET', path: '/api/0/organizations/{org}/invited-members/', scopes: MEMBER_READ, auth: 'required', silo: 'region', handler: listInvites, onProfile: (p) => (p.memberInviteEndpoint ? 'as_declared' : 'absent') },
  { method: 'GET', path: '/api/0/organizations/{org}/members/', scopes: MEMBER_READ, auth: 'required', silo: 'region', operationId: 'listOrganizationMembers', handler: listMembers },
  { method: 'GET', path: '/api/0/organizations/{org}/members/{member_id}/', scopes: MEMBER_READ, auth: 'required', silo: 'region', operationId: 'getOrganizationMember', handler: getMember },
  { method: 'PUT', path: '/api/0/organizations/{org}/members/{member_id}/', scopes: ['member:admin', 'member:invite', 'member:write'], auth: 'required', silo: 'region', operationId: 'updateOrganizationMember', handler: updateMember },
  { method: 'DELETE', path: '/api/0/organizations/{org}/members/{member_id}/', scopes: MEMBER_READ, auth: 'required', silo: 'region', operationId: 'deleteOrganizationMember', handler: deleteMember },
  { method: 'POST', path: '/api/0/organizations/{org}/members/{member_id}/teams/{team}/', scopes: ['org:read', 'org:write', 'team:write'], auth: 'required', silo: 'region', operationId: 'addOrganizationMemberTeam', handler: addMemberTeam },
  { method: 'DELETE', path: '/api/0/organizations/{org}/members/{member_id}/teams/{team}/', scopes: ['org:admin', 'org:read', 'org:write', 'team:admin'], auth: 'required', silo: 'region', operationId: 'deleteOrganizationMemberTeam', handler: removeMemberTeam },
];

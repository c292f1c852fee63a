import { expandScopes } from '../shared/scopes';
import { HttpError, NOT_PROVIDED, forbidden } from './http-types';
import type { Caller, OrgAccess } from './http-types';
import { orgRole, roleScopes } from './roles';
import type { SimOrg, SimProject, SimState } from './state';
import { findUser, memberOfUser } from './state';

/**
 * Bearer-token authentication as Sentry's api/authentication.py answers it (REFERENCE.md 0.2/0.3).
 * Returns null when no credentials were sent; throws 401 for bad ones.
 */
export function authenticate(state: SimState, authorization: string | undefined): Caller | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new HttpError(401, NOT_PROVIDED);
  const presented = match[1] as string;
  const token = state.tokens.find((t) => t.token === presented);
  if (!token) {
    throw new HttpError(401, { detail: presented.startsWith('sntrys_') ? 'Invalid org token' : 'Invalid token' });
  }
  if (token.expired) throw new HttpError(401, { detail: 'Token expired' });
  if (token.kind === 'org_auth_token' && token.orgAuthTokenId) {
    const org = state.organizations.find((o) => o.id === token.orgId);
    const row = org?.orgAuthTokens.find((r) => r.id === token.orgAuthTokenId);
    if (!row || row.dateDeactivated) throw new HttpError(401, { detail: 'Invalid org token' });
  }
  const user = findUser(state, token.userId);
  if (token.kind === 'user' && (!user || !user.isActive)) {
    throw new HttpError(401, { detail: 'User inactive or deleted' });
  }
  return { token, user, tokenScopes: expandScopes(token.scopes) };
}

/** The caller's effective access to an org, or 403 when it has none (not a member, other org). */
export function orgAccess(org: SimOrg, caller: Caller): OrgAccess {
  const { token } = caller;
  if (token.kind !== 'user') {
    if (token.orgId !== org.id) throw forbidden();
    // Integrations act org-wide with the app's scopes; org auth tokens carry their own scopes.
    return { member: undefined, scopes: new Set(caller.tokenScopes), allProjects: true, teamIds: new Set() };
  }
  const member = memberOfUser(org, token.userId);
  if (!member || member.inviteStatus !== 'approved') throw forbidden();
  const allowed = new Set(roleScopes(member.orgRole));
  const scopes = new Set([...caller.tokenScopes].filter((s) => allowed.has(s)));
  const isGlobal = orgRole(member.orgRole)?.isGlobal ?? false;
  return {
    member,
    scopes,
    allProjects: isGlobal || org.settings.openMembership,
    teamIds: new Set(member.teams.map((t) => t.teamId)),
  };
}

export function hasProjectAccess(access: OrgAccess, project: SimProject): boolean {
  return access.allProjects || project.teamIds.some((id) => access.teamIds.has(id));
}

/** Projects the caller is a team member of (internal integrations: all of them). */
export function isProjectMember(access: OrgAccess, project: SimProject): boolean {
  if (!access.member) return true;
  return project.teamIds.some((id) => access.teamIds.has(id));
}

/** 403 for a scope refusal, with the RFC 6750 challenge of newest Sentry (REFERENCE.md 0.3). */
export function insufficientScope(accepted: readonly string[]): HttpError {
  return new HttpError(
    403,
    { detail: 'You do not have permission to perform this action.' },
    { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${accepted.join(' ')}"` },
  );
}

export function requireAnyScope(held: Set<string>, accepted: readonly string[]): void {
  if (!accepted.some((s) => held.has(s))) throw insufficientScope(accepted);
}

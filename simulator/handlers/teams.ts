import type { RequestContext, SimResponse } from '../http-types';
import { hasProjectAccess } from '../auth';
import { paginateOffset, pageResponse } from '../pagination';
import type { Route } from '../router';
import { isServiceAccount, serviceAccountUser, shapeTeamMember } from '../profile-shapes';
import { serializeMember, serializeProjectSummary, serializeTeam, teamMemberCounts } from '../serializers';
import { orgIndex } from '../org-index';
import { findUser } from '../state';
import { orgOf, teamOf } from './common';

function listTeams(ctx: RequestContext): SimResponse {
  const { org, access } = orgOf(ctx);
  let teams = org.teams;
  const q = ctx.query.get('query')?.toLowerCase();
  if (q) teams = teams.filter((t) => t.slug.toLowerCase().includes(q) || t.name.toLowerCase().includes(q));
  const withProjects = ctx.query.get('detailed') !== '0';
  const page = paginateOffset(teams, ctx.query);
  const counts = teamMemberCounts(org);
  return pageResponse({
    ...page,
    items: page.items.map((t) => serializeTeam(t, org, access, counts, { projects: withProjects })),
  });
}

function listTeamMembers(ctx: RequestContext): SimResponse {
  const { org } = orgOf(ctx);
  const team = teamOf(ctx);
  // The team's approved members from the index (org-index.ts), then the roster's own filters.
  const rows = (orgIndex(org).approvedByTeam.get(team.id) ?? []).filter((m) =>
    isServiceAccount(m) ? ctx.profile.teamRosterServiceAccounts : m.userId === null || (findUser(ctx.state, m.userId)?.isActive ?? false),
  );
  const page = paginateOffset(rows, ctx.query);
  return pageResponse({
    ...page,
    items: page.items.map((m) => {
      const tm = m.teams.find((t) => t.teamId === team.id);
      const row = serializeMember(m, ctx.state);
      // team_members.py: service accounts get a user-shaped object, not null.
      if (isServiceAccount(m)) Object.assign(row, { user: serviceAccountUser(m), pending: false, expired: false });
      // The stored team role, not the effective one: DetailedOrganizationMemberTeamSerializer sets
      // `teamRole = obj.role` (src/sentry/core/endpoints/team_members.py), null when unset.
      return shapeTeamMember({ ...row, teamRole: tm?.role ?? null, teamSlug: team.slug }, ctx.profile);
    }),
  });
}

function listTeamProjects(ctx: RequestContext): SimResponse {
  const { org, access } = orgOf(ctx);
  const team = teamOf(ctx);
  const rows = (orgIndex(org).projectsByTeam.get(team.id) ?? []).filter((p) => hasProjectAccess(access, p));
  const page = paginateOffset(rows, ctx.query);
  return pageResponse({ ...page, items: page.items.map((p) => serializeProjectSummary(p, org, access)) });
}

export const teamRoutes: Route[] = [
  { method: 'GET', path: '/api/0/organizations/{org}/teams/', scopes: ['org:admin', 'org:read', 'org:write'], auth: 'required', silo: 'region', operationId: 'listOrganizationTeams', handler: listTeams },
  { method: 'GET', path: '/api/0/teams/{org}/{team}/members/', scopes: ['team:admin', 'team:read', 'team:write'], auth: 'required', silo: 'region', operationId: 'listTeamMembers', handler: listTeamMembers },
  { method: 'GET', path: '/api/0/teams/{org}/{team}/projects/', scopes: ['project:admin', 'project:read', 'project:write'], auth: 'required', silo: 'region', operationId: 'listTeamProjects', handler: listTeamProjects },
];

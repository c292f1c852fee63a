import type { OrgRole, TeamRole } from './state';

/**
 * Sentry's organization and team roles with their scope sets, as in the [S] `orgRoleList` /
 * `teamRoleList` examples (conf/server.py SENTRY_ROLES). One table, so access checks, the
 * `orgRoleList` field and member PUT rules agree.
 */
export interface OrgRoleDef {
  id: OrgRole;
  name: string;
  desc: string;
  scopes: readonly string[];
  /** Global roles see every team and project. */
  isGlobal: boolean;
  isRetired: boolean;
  isTeamRolesAllowed: boolean;
  minimumTeamRole: TeamRole;
  priority: number;
}

const MEMBER_SCOPES = [
  'event:read', 'event:write', 'event:admin', 'project:releases', 'project:read',
  'org:read', 'member:read', 'team:read', 'alerts:read', 'alerts:write',
];
const ADMIN_SCOPES = [
  ...MEMBER_SCOPES, 'project:write', 'project:admin', 'team:write', 'team:admin', 'org:integrations',
];
const MANAGER_SCOPES = [...ADMIN_SCOPES, 'member:write', 'member:admin', 'org:write'];
const OWNER_SCOPES = [...MANAGER_SCOPES, 'org:admin', 'org:billing'];

export const ORG_ROLES: readonly OrgRoleDef[] = [
  {
    id: 'billing', name: 'Billing', desc: 'Can manage subscription and billing details.',
    scopes: ['org:billing'], isGlobal: false, isRetired: false, isTeamRolesAllowed: false,
    minimumTeamRole: 'contributor', priority: 0,
  },
  {
    id: 'member', name: 'Member',
    desc: 'Members can view and act on events, as well as view most other data within the organization.',
    scopes: MEMBER_SCOPES, isGlobal: false, isRetired: false, isTeamRolesAllowed: true,
    minimumTeamRole: 'contributor', priority: 1,
  },
  {
    id: 'admin', name: 'Admin',
    desc: "Admin privileges on any teams of which they're a member.",
    scopes: ADMIN_SCOPES, isGlobal: false, isRetired: true, isTeamRolesAllowed: true,
    minimumTeamRole: 'admin', priority: 2,
  },
  {
    id: 'manager', name: 'Manager',
    desc: 'Gains admin access on all teams as well as the ability to add and remove members.',
    scopes: MANAGER_SCOPES, isGlobal: true, isRetired: false, isTeamRolesAllowed: true,
    minimumTeamRole: 'admin', priority: 3,
  },
  {
    id: 'owner', name: 'Owner',
    desc: 'Unrestricted access to the organization, its data, and its settings.',
    scopes: OWNER_SCOPES, isGlobal: true, isRetired: false, isTeamRolesAllowed: true,
    minimumTeamRole: 'admin', priority: 4,
  },
];

export interface TeamRoleDef {
  id: TeamRole;
  name: string;
  desc: string;
  scopes: readonly string[];
  isMinimumRoleFor: string | null;
}

export const TEAM_ROLES: readonly TeamRoleDef[] = [
  {
    id: 'contributor', name: 'Contributor',
    desc: "Contributors can view and act on events, as well as view most other data within the team's projects.",
    scopes: ['project:read', 'project:releases', 'member:read', 'team:read', 'event:read', 'alerts:read', 'event:write', 'org:read'],
    isMinimumRoleFor: null,
  },
  {
    id: 'admin', name: 'Team Admin',
    desc: "Admin privileges on the team. They can create and remove projects, and can manage the team's memberships.",
    scopes: [
      'project:read', 'project:releases', 'member:read', 'event:admin', 'team:write', 'project:admin', 'team:read',
      'org:integrations', 'alerts:write', 'team:admin', 'project:write', 'event:read', 'alerts:read', 'event:write', 'org:read',
    ],
    isMinimumRoleFor: 'admin',
  },
];

export const ORG_ROLE_IDS: readonly OrgRole[] = ORG_ROLES.map((r) => r.id);

export function orgRole(id: string): OrgRoleDef | undefined {
  return ORG_ROLES.find((r) => r.id === id);
}

export function roleScopes(id: string): readonly string[] {
  return orgRole(id)?.scopes ?? [];
}

export function rolePriority(id: string): number {
  return orgRole(id)?.priority ?? -1;
}

/** `orgRoleList` as Sentry serializes it; `allowed` = the caller may assign it. */
export function serializeOrgRoleList(callerRole: string | undefined): Record<string, unknown>[] {
  const callerPriority = callerRole ? rolePriority(callerRole) : -1;
  return ORG_ROLES.map((r) => {
    const allowed = callerPriority >= r.priority && !r.isRetired;
    return {
      id: r.id,
      name: r.name,
      desc: r.desc,
      scopes: [...r.scopes],
      allowed,
      isAllowed: allowed,
      isRetired: r.isRetired,
      isTeamRolesAllowed: r.isTeamRolesAllowed,
      is_global: r.isGlobal,
      isGlobal: r.isGlobal,
      minimumTeamRole: r.minimumTeamRole,
    };
  });
}

export function serializeTeamRoleList(): Record<string, unknown>[] {
  return TEAM_ROLES.map((r) => ({
    id: r.id,
    name: r.name,
    desc: r.desc,
    scopes: [...r.scopes],
    allowed: false,
    isAllowed: false,
    isRetired: false,
    isTeamRolesAllowed: true,
    isMinimumRoleFor: r.isMinimumRoleFor,
  }));
}

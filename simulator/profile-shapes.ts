import type { ServerProfile } from './profiles';
import type { SimMember, SimOrg } from './state';

/**
 * Reshapes bodies the serializers build (today's sentry.io shapes) into what an older or different
 * deployment sends, one switch of simulator/profiles.ts at a time. Kept apart from serializers.ts so
 * the era differences read in one place; each rule names its switch, whose comment names the source.
 */

type Body = Record<string, unknown>;

/** Flags the pre-#35391 member serializer sent (organization_member/base.py of early 2022). */
const LEGACY_MEMBER_FLAGS = ['sso:linked', 'sso:invalid', 'member-limit:restricted'];

/** The org feature that moves invites to /invited-members/ (organization_member_invite/index.py). */
export const NEW_INVITE_FEATURE = 'new-organization-member-invite';

/** A member row with no User that stands for a service account (team_members.py). */
export function isServiceAccount(m: SimMember): boolean {
  return m.flags['sim:service-account'] === true;
}

/** The org keeps invites out of the members list (profile has the endpoint and the org the feature). */
export function invitesSeparate(org: SimOrg, profile: ServerProfile): boolean {
  return profile.memberInviteEndpoint && org.features.includes(NEW_INVITE_FEATURE);
}

/** `memberRoleFields`, `memberFlagsLegacy`, `memberUserEmails`. */
export function shapeMember(body: Body, profile: ServerProfile): Body {
  const out: Body = { ...body };
  if (profile.memberRoleFields === 'legacy-role') delete out.orgRole;
  if (profile.memberFlagsLegacy && out.flags && typeof out.flags === 'object') {
    const flags = out.flags as Record<string, boolean>;
    out.flags = Object.fromEntries(LEGACY_MEMBER_FLAGS.map((k) => [k, flags[k] ?? false]));
  }
  if (!profile.memberUserEmails && out.user && typeof out.user === 'object') {
    const { emails: _dropped, ...user } = out.user as Body;
    out.user = user;
  }
  return out;
}

/** Member detail: legacy servers list team slugs only and the role list as `roles`. */
export function shapeMemberDetail(body: Body, profile: ServerProfile): Body {
  const out = shapeMember(body, profile);
  if (profile.memberRoleFields === 'legacy-role') {
    out.roles = out.orgRoleList;
    delete out.orgRoleList;
    delete out.teamRoles;
    delete out.teamRoleList;
  }
  return out;
}

/** Team roster row: legacy servers had no team roles. */
export function shapeTeamMember(body: Body, profile: ServerProfile): Body {
  const out = shapeMember(body, profile);
  if (profile.memberRoleFields === 'legacy-role') delete out.teamRole;
  return out;
}

/**
 * The user-shaped stand-in the serializer sends for a service account
 * (team_members.py `OrganizationMemberOnTeamResponse`: "a user-shaped compatibility object ...
 * marked with actorType=service_account"). Only the fields that comment promises, plus a name.
 */
export function serviceAccountUser(m: SimMember): Body {
  return { id: `sa-${m.id}`, name: m.name, username: m.name, actorType: 'service_account' };
}

/** `memberRoleFields` (org `orgRole`), `orgLinksAndRegions` (`links`). */
export function shapeOrg(body: Body, profile: ServerProfile): Body {
  const out: Body = { ...body };
  if (profile.memberRoleFields === 'legacy-role') {
    delete out.orgRole;
    delete out.orgRoleList;
    delete out.teamRoleList;
    // Team roles (and their feature flag) came in 2022 with the same work.
    if (Array.isArray(out.features)) out.features = (out.features as string[]).filter((f) => f !== 'team-roles');
  }
  if (!profile.orgLinksAndRegions) delete out.links;
  return out;
}

/** Legacy member PUT: `orgRole` and `teamRoles` were not fields yet, so Sentry ignored them. */
export function memberPutBody(body: Body, profile: ServerProfile): Body {
  if (profile.memberRoleFields !== 'legacy-role') return body;
  const { orgRole: _o, teamRoles: _t, ...rest } = body;
  return rest;
}

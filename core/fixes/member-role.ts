import { z } from 'zod';
import type { Finding } from '../../shared/finding';
import { memberRef } from '../controls/findings';
import { MemberDetailSchema } from '../sentry/schemas';
import { fieldPut, memberPath, paramsWithPrefix, summariseList } from './build';
import type { ChangeDraft, FixContext, FixDefinition, FixProposal, OperationRule } from './types';
import type { MemberDetail } from '../sentry/schemas';
import type { ResourceRef } from '../../shared/finding';
import { FixParamError } from './types';

const ROLES = ['billing', 'member', 'admin', 'manager', 'owner'] as const;
/** Sentry's organization roles (conf/server.py SENTRY_ROLES), each with a short description for the picker. */
const ROLE_WORDS: Record<(typeof ROLES)[number], { label: string; detail: string }> = {
  billing: { label: 'Billing', detail: 'payment and subscription only, no project access' },
  member: { label: 'Member', detail: 'sees and acts on the projects of their teams' },
  admin: { label: 'Admin', detail: 'manages the projects and teams they belong to' },
  manager: { label: 'Manager', detail: 'manages members, teams and projects of the organization' },
  owner: { label: 'Owner', detail: 'full control, including billing and deleting the organization' },
};
const RANK: Record<string, number> = { billing: 0, member: 1, admin: 2, manager: 3, owner: 4 };

/** The body always carries the team roles (echoed, or emptied for billing). */
const RULE: OperationRule = {
  op: 'member-fields',
  after: z.strictObject({ orgRole: z.enum(ROLES), teamRoles: z.array(z.strictObject({ teamSlug: z.string().max(200), role: z.string().max(100).nullable() })).max(10_000) }),
  risk: 'low',
  reversible: true,
};

/** Servers before getsentry/sentry PR #35391: the member PUT reads `role` and a list of team slugs. */
const LEGACY_RULE: OperationRule = {
  op: 'member-fields',
  after: z.strictObject({ role: z.enum(ROLES), teams: z.array(z.string().max(200)).max(10_000) }),
  risk: 'low',
  reversible: true,
};

/**
 * Member role change (REFERENCE.md 3.2). A member PUT replaces the member's team memberships
 * wholesale, and clears them when `teamRoles` is missing: the body always carries the member's
 * current team roles. Your own role and roles above your own are refused here, as Sentry would.
 */
export const memberRoleFix: FixDefinition = {
  id: 'member-role',
  title: 'Change a member\'s organization role',
  controls: ['2.3'],
  checks: ['2.3.owner-count'],
  params: [{ key: 'role.<member id>', pattern: /^role\.\d+$/, description: `The new organization role: ${ROLES.join(', ')}.` }],
  operations: [RULE, LEGACY_RULE],

  async plan(ctx, findings: readonly Finding[]): Promise<FixProposal> {
    const changes: ChangeDraft[] = [];
    const notes: FixProposal['notes'][number][] = [];
    const wanted = paramsWithPrefix(ctx, 'role');
    const owners = findings.find((f) => f.check === '2.3.owner-count' && f.status === 'fail');
    const myRole = ctx.org.orgRole;
    if (owners) notes.push(...(await ownerChoices(ctx, owners, wanted)));
    const myUserId = ctx.token.user?.id;
    for (const [id, role] of wanted) {
      if (!(ROLES as readonly string[]).includes(role)) throw new FixParamError(`"${role}" is not a role (${ROLES.join(', ')})`, `role.${id}`);
      if (myRole === undefined) throw new FixParamError(`the token is not a member of the organization, so it cannot assign roles`, `role.${id}`);
      const path = memberPath(ctx, id);
      let m;
      try {
        m = (await ctx.client.read(path, MemberDetailSchema)).value;
      } catch (e) {
        throw new FixParamError(`cannot read member ${id} (${e instanceof Error ? e.message : String(e)})`, `role.${id}`);
      }
      const res = memberRef(m);
      if (myUserId !== undefined && m.user?.id === myUserId) throw new FixParamError(`that is your own membership; Sentry does not let you change your own role`, `role.${id}`);
      if ((RANK[role] ?? 99) > (RANK[myRole] ?? -1)) throw new FixParamError(`"${role}" is above your own role (${myRole})`, `role.${id}`);
      if ((RANK[m.orgRole] ?? 99) > (RANK[myRole] ?? -1)) throw new FixParamError(`${res.name} is ${m.orgRole}, above your own role (${myRole})`, `role.${id}`);
      if (m.orgRole === role) {
        notes.push({ control: '2.3', resource: res, kind: 'info', message: `${res.name} already has the ${role} role.` });
        continue;
      }
      changes.push(roleChange(ctx, id, m, role, res));
    }
    return { changes, notes };
  },
};

/**
 * One choice per owner not chosen yet: which of them to lower is the person's call. Your own
 * membership gets no choice (Sentry refuses to change your own role), and only roles up to your
 * own are offered, so a pick is never one the fix must refuse.
 */
async function ownerChoices(ctx: FixContext, owners: Finding, wanted: ReadonlyMap<string, string>): Promise<FixProposal['notes'][number][]> {
  const list = Array.isArray(owners.details?.list) ? (owners.details.list as { id: string; name: string }[]) : [];
  const all = summariseList(list.map((m) => m.name), 'owners');
  const members = await ctx.data.members();
  const myUserId = ctx.token.user?.id;
  const mine = members.ok && myUserId !== undefined ? members.value.find((m) => m.user?.id === myUserId)?.id : undefined;
  const myRank = RANK[ctx.org.orgRole ?? ''] ?? -1;
  const roles = ROLES.filter((r) => r !== 'owner' && (RANK[r] ?? 99) <= myRank);
  const notes: FixProposal['notes'][number][] = [];
  for (const m of list) {
    if (wanted.has(m.id)) continue;
    const resource: ResourceRef = { type: 'member', id: m.id, name: m.name };
    if (m.id === mine) {
      notes.push({ control: '2.3', check: owners.check, resource, kind: 'info', message: `Too many owners (${all}); ${m.name} is you, and Sentry does not let you change your own role.` });
      continue;
    }
    notes.push({
      control: '2.3',
      check: owners.check,
      resource,
      kind: 'needs_parameter',
      message: `Too many owners (${all}): choose a lower role for ${m.name}, or leave it.`,
      param: { key: `role.${m.id}`, kind: 'role', label: `New organization role of ${m.name}`, choices: roles, options: roles.map((r) => ({ value: r, ...ROLE_WORDS[r] })) },
    });
  }
  return notes;
}

/**
 * The PUT for one member. Refuses (FixParamError) what Sentry would do silently: without the
 * `organizations:team-roles` feature the member PUT stores every sent team role as None
 * (organization_member_details.py `put`), which would drop a member's team-admin roles.
 */
function roleChange(ctx: FixContext, id: string, m: MemberDetail, role: string, res: ResourceRef): ChangeDraft {
  const common = { ref: `role:${id}`, control: '2.3', check: '2.3.owner-count', resource: res };
  if (m.roleField !== 'role' && m.teamRoles === undefined) {
    // A current server that did not say the team roles: sending the team list could reset them.
    throw new FixParamError(
      `Sentry did not report ${res.name}'s team roles (no teamRoles in GET ${memberPath(ctx, id)}), so a role change could drop them; change the role in Sentry (Settings > Members).`,
      `role.${id}`,
    );
  }
  if (m.roleField === 'role' || m.teamRoles === undefined) {
    // Servers before PR #35391: `role` is the field, teams are slugs without roles.
    const teams = [...m.teams];
    const billing = role === 'billing' && teams.length > 0;
    return fieldPut(
      ctx,
      LEGACY_RULE,
      { member: m.id },
      billing ? { role: { before: m.orgRole, after: role }, teams: { before: teams, after: [] } } : { role: { before: m.orgRole, after: role } },
      {
        ...common,
        description: `Change ${res.name}'s organization role from ${m.orgRole} to ${role}${billing ? ' and take them off their teams (billing members have no team access)' : ', keeping their teams'}.`,
        notes: ['This Sentry reports members with `role` only (before orgRole and team roles), so the change sends `role` and the team list.'],
      },
      { field: 'role', ...(billing ? {} : { echo: { teams } }) },
    );
  }
  const teamRoles = m.teamRoles.map((t) => ({ teamSlug: t.teamSlug, role: t.role }));
  // Billing members cannot be on teams: Sentry refuses unless the teams are dropped too.
  const billing = role === 'billing' && teamRoles.length > 0;
  const held = teamRoles.filter((t) => t.role !== null);
  if (!billing && held.length > 0 && ctx.org.features !== undefined && !ctx.org.features.includes('team-roles')) {
    throw new FixParamError(
      `this organization lacks Sentry's team-roles feature, and without it Sentry stores every team role sent with a member change as none: ` +
        `${res.name} would lose ${held.map((t) => `${t.role} on ${t.teamSlug}`).join(', ')}. Change the role in Sentry (Settings > Members) and re-check the team roles there.`,
      `role.${id}`,
    );
  }
  return fieldPut(
    ctx,
    RULE,
    { member: m.id },
    billing ? { orgRole: { before: m.orgRole, after: role }, teamRoles: { before: teamRoles, after: [] } } : { orgRole: { before: m.orgRole, after: role } },
    {
      ...common,
      description: `Change ${res.name}'s organization role from ${m.orgRole} to ${role}${billing ? ' and take them off their teams (billing members have no team access)' : ', keeping their team roles'}.`,
    },
    { field: 'orgRole', ...(billing ? {} : { echo: { teamRoles } }) },
  );
}

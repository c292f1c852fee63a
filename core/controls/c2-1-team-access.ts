import type { CheckDefinition, ControlDefinition } from './types';
import { memberRef, orgRef, plural, readGroup, recorder, teamRef } from './findings';
import { invalidItemsOf } from '../sentry/items';
import { mapLimit } from '../primitives/map-limit';
import { FAN_OUT } from './project-data';

const ID = '2.1';

const CHECKS = {
  openMembership: { id: '2.1.open-membership', title: 'Members cannot join any team on their own', level: 'L1', fields: ['openMembership'] },
  defaultRole: { id: '2.1.default-role', title: 'New members get the Member role', level: 'L1', fields: ['defaultRole'] },
  teamless: { id: '2.1.members-without-team', title: 'Every team-scoped member belongs to a team', level: 'L1', fields: ['email', 'orgRole', 'teams'] },
} as const satisfies Record<string, CheckDefinition>;

/**
 * Roles whose access comes from team membership. Owners and managers see every project anyway,
 * and billing members see none, so being on no team says nothing about them.
 */
const TEAM_SCOPED_ROLES = new Set(['member', 'admin']);

export const teamAccess: ControlDefinition = {
  id: ID,
  title: 'Grant access through teams',
  section: '2',
  level: 'L1',
  mappings: { cis: ['5.4'], nist: ['AC-6'], soc2: ['CC6.2'] },
  rationale:
    'Teams are how Sentry limits a member to the projects of their own product. If anyone may join any ' +
    'team, or newcomers start with a broad role, that boundary is gone; members on no team are accounts ' +
    'nobody reviewed when access was handed out.',
  manualSteps: [
    'In Settings > General Settings > Membership, turn off "Open Membership" so joining a team needs approval.',
    'Set "Default Role" to Member.',
    'In Settings > Teams, create one team per product or function and give each team only its projects.',
    'In Settings > Members, put every member with the Member or Admin role on the teams they work with; remove accounts that need none.',
    'Repeat the membership review at least quarterly.',
  ],
  requiredScopes: [
    ['org:read', 'org:write', 'org:admin'],
    ['member:read', 'member:write', 'member:admin'],
    ['team:read', 'team:write', 'team:admin'],
  ],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    // Team rosters are read as soon as the team list is in, not after the (long) member list:
    // at 5,000 members that chain is 50 pages, and waiting on it idles the request budget.
    // A team that did not validate is still read by its slug (or id) when it has one: its roster
    // says who is on a team whatever the team's own shape.
    const teamsWithRosters = ctx.data.teams().then(async (teams) => {
      if (!teams.ok) return { teams, rosters: [] };
      const odd = invalidItemsOf(teams.evidence).flatMap((i) => (i.id === undefined ? [] : [{ id: i.id, slug: i.id, name: i.id }]));
      const all = [...teams.value, ...odd];
      return { teams, rosters: await mapLimit(all, FAN_OUT, async (t) => ({ team: t, roster: await ctx.data.teamMembers(t.slug) })) };
    });
    const [org, members, { teams, rosters }] = await Promise.all([ctx.data.organization(), ctx.data.members(), teamsWithRosters]);
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);

    if (!org.ok) {
      r.error(CHECKS.openMembership, orgRes, org, 'organization');
      r.error(CHECKS.defaultRole, orgRes, org, 'organization');
    } else {
      const ev = [org.evidence];
      if (org.value.openMembership) {
        r.fail(CHECKS.openMembership, orgRes, 'Open membership is on: any member can join any team and see its projects.', ev, {
          openMembership: true,
        });
      } else {
        r.pass(CHECKS.openMembership, orgRes, 'Open membership is off: joining a team needs approval.', ev, { openMembership: false });
      }
      const role = org.value.defaultRole;
      if (role === 'member') {
        r.pass(CHECKS.defaultRole, orgRes, 'New members start with the Member role.', ev, { defaultRole: role });
      } else {
        r.fail(CHECKS.defaultRole, orgRes, `New members start with the "${role}" role instead of Member.`, ev, { defaultRole: role });
      }
    }

    if (!members.ok) {
      r.error(CHECKS.teamless, orgRes, members, 'members');
      return r.findings;
    }
    if (!teams.ok) {
      r.error(CHECKS.teamless, orgRes, teams, 'teams', { evidence: [members.evidence] });
      return r.findings;
    }
    // Every odd team is an error; one without an id hides a roster, so nobody can be called teamless.
    r.invalidItems([CHECKS.teamless], teams.evidence, 'teams');
    if (invalidItemsOf(teams.evidence).some((i) => i.id === undefined)) return r.findings;
    const failed = rosters.filter((x) => !x.roster.ok);
    if (failed.length > 0) {
      // A member may sit on the team we could not read: no verdict about anyone.
      for (const { team, roster } of failed) {
        if (!roster.ok) r.error(CHECKS.teamless, teamRef(team), roster, 'teamMembers', { arg: team.slug });
      }
      return r.findings;
    }
    // Every "no team" finding rests on every roster: one shared group, cited by id (issue 10).
    const rosterGroup = readGroup('every team roster', rosters.flatMap((x) => (x.roster.ok ? [x.roster.evidence] : [])));
    const evidence = [members.evidence, teams.evidence, rosterGroup];
    if (!teams.evidence.complete || rosterGroup.reads.some((e) => !e.complete)) {
      // Absence from a partly read roster proves nothing; the guard turns this into an error.
      r.pass(CHECKS.teamless, orgRes, 'Every team-scoped member belongs to a team.', evidence);
      return r.findings;
    }

    const onATeam = new Set<string>();
    for (const { roster } of rosters) {
      if (roster.ok) for (const tm of roster.value) onATeam.add(tm.id);
    }
    // A roster entry that did not validate still proves its member is on the team when it
    // carries an id; one without an id could be anyone, so nobody may be called teamless.
    const anonymous = rosters.flatMap(({ team, roster }) =>
      roster.ok ? invalidItemsOf(roster.evidence).filter((i) => i.id === undefined).map(() => team) : [],
    );
    for (const { team, roster } of rosters) {
      if (!roster.ok) continue;
      for (const i of invalidItemsOf(roster.evidence)) if (i.id !== undefined) onATeam.add(i.id);
      r.invalidItems([CHECKS.teamless], roster.evidence, 'teamMembers', { resourceOf: () => teamRef(team), whole: teamRef(team) });
    }
    if (anonymous.length > 0) return r.findings;
    const scoped = members.value.filter((m) => m.user !== null && TEAM_SCOPED_ROLES.has(m.orgRole));
    const teamless = scoped.filter((m) => !onATeam.has(m.id));
    for (const m of teamless) {
      r.fail(CHECKS.teamless, memberRef(m), `${memberRef(m).name} (${m.orgRole}) is on no team: remove the account or assign a team.`, evidence, {
        orgRole: m.orgRole,
      });
    }
    if (scoped.length === 0) {
      r.notApplicable(CHECKS.teamless, orgRes, 'No member holds a team-scoped role (Member or Admin).', evidence);
    } else if (teamless.length === 0) {
      r.pass(CHECKS.teamless, orgRes, `All ${plural(scoped.length, 'team-scoped member')} belong to at least one team.`, evidence, {
        members: scoped.length,
        teams: teams.value.length,
      });
    }
    return r.findings;
  },
};

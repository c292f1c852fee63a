import type { Finding } from '../../shared/finding';
import type { Operation, PlanParam } from '../../shared/plan';
import { memberRef, projectRef } from '../controls/findings';
import { MemberDetailSchema } from '../sentry/schemas';
import { LINKED, linkChange, listParam, memberPath, paramsWithPrefix, summariseList } from './build';
import type { ChangeDraft, FixContext, FixDefinition, FixProposal, OperationRule } from './types';
import { FixParamError } from './types';

type Note = FixProposal['notes'][number];

const rule = (op: Operation): OperationRule => ({ op, after: LINKED, risk: 'low', reversible: true });
const PROJECT_ADD = rule('project-team-add');
const PROJECT_REMOVE = rule('project-team-remove');
const MEMBER_ADD = rule('member-team-add');
const MEMBER_REMOVE = rule('member-team-remove');

/** Teams to pick, shown by name with the slug beside it. */
function teamParam(key: string, label: string, choices: readonly string[], names: ReadonlyMap<string, string>): PlanParam {
  return { key, kind: 'team', label, choices: [...choices], options: choices.map((slug) => ({ value: slug, label: names.get(slug) ?? slug, detail: slug })), multiple: true };
}

/**
 * Team reassignment (REFERENCE.md 3.3, 4). Which team is a person's choice, so nothing happens
 * without a parameter; the plan lists what needs one. A project move is a POST of the new team
 * and then a DELETE of the old one, and a removal that would leave a project with no team is
 * refused (only org-wide roles would reach it).
 */
export const teamAccessFix: FixDefinition = {
  id: 'team-access',
  title: 'Team reassignment (projects and members)',
  controls: ['2.1', '2.2'],
  checks: ['2.2.project-has-team', '2.2.teams-per-project', '2.1.members-without-team'],
  params: [
    { key: 'addTeam.<project>', pattern: /^addTeam\.[^.]+$/, description: 'Teams (slugs, comma-separated) to give the project.' },
    { key: 'removeTeam.<project>', pattern: /^removeTeam\.[^.]+$/, description: 'Teams to take off the project (after any addTeam of the same project).' },
    { key: 'memberAddTeam.<member id>', pattern: /^memberAddTeam\.\d+$/, description: 'Teams to put the member on.' },
    { key: 'memberRemoveTeam.<member id>', pattern: /^memberRemoveTeam\.\d+$/, description: 'Teams to take the member off.' },
  ],
  operations: [PROJECT_ADD, PROJECT_REMOVE, MEMBER_ADD, MEMBER_REMOVE],

  async plan(ctx, findings: readonly Finding[]): Promise<FixProposal> {
    const changes: ChangeDraft[] = [];
    const notes: Note[] = [];
    const teams = await ctx.data.teams();
    if (!teams.ok) throw new FixParamError(`cannot list the organization's teams (${teams.error.message})`);
    const teamSlugs = new Set(teams.value.map((t) => t.slug));
    const teamList = [...teamSlugs];
    const names = new Map(teams.value.map((t) => [t.slug, t.name]));
    const checkTeam = (key: string, slug: string): void => {
      if (!teamSlugs.has(slug)) throw new FixParamError(`no team "${slug}" (teams: ${summariseList(teamList, 'teams')})`, key);
    };

    await planProjects(ctx, findings, changes, notes, checkTeam, teamList, names);
    await planMembers(ctx, findings, changes, notes, checkTeam, teamList, names);
    return { changes, notes };
  },
};

async function planProjects(
  ctx: FixContext,
  findings: readonly Finding[],
  changes: ChangeDraft[],
  notes: Note[],
  checkTeam: (key: string, slug: string) => void,
  teamList: readonly string[],
  names: ReadonlyMap<string, string>,
): Promise<void> {
  const adds = paramsWithPrefix(ctx, 'addTeam');
  const removes = paramsWithPrefix(ctx, 'removeTeam');
  for (const f of findings) {
    if (f.status !== 'fail' || f.resource.type !== 'project') continue;
    if (f.check === '2.2.project-has-team' && !adds.has(f.resource.id)) {
      notes.push({
        control: '2.2',
        check: f.check,
        resource: f.resource,
        kind: 'needs_parameter',
        message: `Choose the team that owns ${f.resource.id}.`,
        param: teamParam(`addTeam.${f.resource.id}`, `Team that owns ${f.resource.id}`, teamList, names),
      });
    }
    if (f.check === '2.2.teams-per-project' && !removes.has(f.resource.id)) {
      const on = Array.isArray(f.details?.teams) ? (f.details.teams as unknown[]).filter((t): t is string => typeof t === 'string') : teamList;
      notes.push({
        control: '2.2',
        check: f.check,
        resource: f.resource,
        kind: 'needs_parameter',
        message: `Choose the teams to take off ${f.resource.id}.`,
        param: teamParam(`removeTeam.${f.resource.id}`, `Teams to take off ${f.resource.id}`, on, names),
      });
    }
  }
  const projects = new Set([...adds.keys(), ...removes.keys()]);
  for (const slug of projects) {
    const detail = await ctx.data.projectDetail(slug);
    const key = adds.has(slug) ? `addTeam.${slug}` : `removeTeam.${slug}`;
    if (!detail.ok) throw new FixParamError(`cannot read project "${slug}" (${detail.error.message})`, key);
    const p = detail.value;
    // The fix reads the project's teams before changing them; without them it cannot plan safely.
    if (p.teams === undefined) throw new FixParamError(`Sentry did not send the teams of project "${slug}", so the change cannot be planned; change them in Sentry's web UI.`, key);
    const current = new Set(p.teams.map((t) => t.slug));
    const res = projectRef(p);
    const addRefs: string[] = [];
    const toAdd = listParam(adds.get(slug));
    const toRemove = listParam(removes.get(slug));
    for (const team of toAdd) {
      checkTeam(`addTeam.${slug}`, team);
      if (current.has(team)) {
        notes.push({ control: '2.2', resource: res, kind: 'info', message: `${slug} already belongs to team ${team}.` });
        continue;
      }
      const ref = `project:${slug}:add:${team}`;
      addRefs.push(ref);
      changes.push(
        linkChange(ctx, PROJECT_ADD, { project: p.slug, team }, {
          ref,
          control: '2.2',
          check: '2.2.project-has-team',
          resource: res,
          field: `team ${team}`,
          description: `Give project ${slug} to team ${team}: its members get access to the project.`,
        }),
      );
    }
    const remaining = new Set([...current, ...toAdd]);
    for (const team of toRemove) {
      checkTeam(`removeTeam.${slug}`, team);
      if (!current.has(team)) {
        notes.push({ control: '2.2', resource: res, kind: 'info', message: `${slug} does not belong to team ${team}.` });
        continue;
      }
      remaining.delete(team);
      if (remaining.size === 0) {
        throw new FixParamError(`removing ${team} would leave the project with no team; choose the team that takes it over first.`, `removeTeam.${slug}`);
      }
      changes.push(
        linkChange(ctx, PROJECT_REMOVE, { project: p.slug, team }, {
          ref: `project:${slug}:remove:${team}`,
          control: '2.2',
          check: '2.2.teams-per-project',
          resource: res,
          field: `team ${team}`,
          // A move: the new team first, so the project is never without its owner.
          dependsOn: addRefs,
          description: `Take project ${slug} away from team ${team}: members of ${team} who reach it only through that team lose access.`,
        }),
      );
    }
  }
}

async function planMembers(
  ctx: FixContext,
  findings: readonly Finding[],
  changes: ChangeDraft[],
  notes: Note[],
  checkTeam: (key: string, slug: string) => void,
  teamList: readonly string[],
  names: ReadonlyMap<string, string>,
): Promise<void> {
  const adds = paramsWithPrefix(ctx, 'memberAddTeam');
  const removes = paramsWithPrefix(ctx, 'memberRemoveTeam');
  for (const f of findings) {
    if (f.status === 'fail' && f.check === '2.1.members-without-team' && f.resource.type === 'member' && !adds.has(f.resource.id)) {
      notes.push({
        control: '2.1',
        check: f.check,
        resource: f.resource,
        kind: 'needs_parameter',
        message: `Put ${f.resource.name} on a team, or remove the account by hand.`,
        param: teamParam(`memberAddTeam.${f.resource.id}`, `Teams for ${f.resource.name}`, teamList, names),
      });
    }
  }
  const ids = new Set([...adds.keys(), ...removes.keys()]);
  for (const id of ids) {
    const path = memberPath(ctx, id);
    let detail;
    try {
      detail = (await ctx.client.read(path, MemberDetailSchema)).value;
    } catch (e) {
      throw new FixParamError(`cannot read member ${id} (${e instanceof Error ? e.message : String(e)})`, adds.has(id) ? `memberAddTeam.${id}` : `memberRemoveTeam.${id}`);
    }
    const res = memberRef(detail);
    const current = new Set(detail.teams);
    for (const [team, add] of [...listParam(adds.get(id)).map((t) => [t, true] as const), ...listParam(removes.get(id)).map((t) => [t, false] as const)]) {
      checkTeam(`${add ? 'memberAddTeam' : 'memberRemoveTeam'}.${id}`, team);
      if (current.has(team) === add) {
        notes.push({ control: '2.1', resource: res, kind: 'info', message: `${res.name} is ${add ? 'already' : 'not'} on team ${team}.` });
        continue;
      }
      changes.push(
        linkChange(ctx, add ? MEMBER_ADD : MEMBER_REMOVE, { member: detail.id, team }, {
          ref: `member:${id}:${add ? 'add' : 'remove'}:${team}`,
          control: '2.1',
          check: '2.1.members-without-team',
          resource: res,
          field: `team ${team}`,
          description: add ? `Put ${res.name} on team ${team}.` : `Take ${res.name} off team ${team}.`,
        }),
      );
    }
  }
}

import type { Evidence } from '../../shared/finding';
import type { CheckDefinition, ControlDefinition } from './types';
import { orgRef, plural, projectRef, recorder } from './findings';

const ID = '2.2';

const CHECKS = {
  hasTeam: { id: '2.2.project-has-team', title: 'Every project belongs to a team', level: 'L2', fields: ['slug', 'teams'] },
  teamCount: { id: '2.2.teams-per-project', title: 'No project is shared by too many teams', level: 'L2', fields: ['slug', 'teams'] },
  sensitive: { id: '2.2.sensitive-projects', title: 'Production and sensitive projects are separated', level: 'L2' },
} as const satisfies Record<string, CheckDefinition>;

export const projectAccess: ControlDefinition = {
  id: ID,
  title: 'Limit who reaches each project',
  section: '2',
  level: 'L2',
  // SOC 2 criterion chosen by us (the guide gives none for 2.2).
  mappings: { cis: ['5.4'], nist: ['AC-6'], soc2: ['CC6.3'] },
  rationale:
    'A project\'s events can hold request bodies, user identifiers and secrets that slipped past scrubbing. ' +
    'A project with no team is managed by nobody, and a project shared by many teams is readable by most ' +
    'of the organization; both defeat the point of team-based access.',
  manualSteps: [
    'In each project\'s Settings > Project Teams, give the project to the team that owns the service.',
    'Remove teams that only needed access once; keep the number of teams per project small.',
    'Keep production projects apart from development ones, and restrict projects that handle personal or payment data to the smallest team.',
  ],
  requiredScopes: [['org:read', 'org:write', 'org:admin']],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    if (!ctx.includes('L2')) return r.findings;
    const [org, projects] = await Promise.all([ctx.data.organization(), ctx.data.projects()]);
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);
    const max = ctx.settings.maxTeamsPerProject;

    if (!projects.ok) {
      for (const check of Object.values(CHECKS)) r.error(check, orgRes, projects, 'projects');
      return r.findings;
    }
    const evidence: Evidence[] = [projects.evidence];
    let unseen = r.invalidItems([CHECKS.hasTeam, CHECKS.teamCount], projects.evidence, 'projects');
    if (projects.value.length === 0) {
      if (unseen > 0) return r.findings;
      for (const check of Object.values(CHECKS)) r.notApplicable(check, orgRes, 'The organization has no projects.', evidence);
      return r.findings;
    }

    // The project list usually carries its teams; only when it does not, ask the team list.
    const listed = new Map(projects.value.flatMap((p) => (p.teams ? [[p.slug, p.teams.map((t) => t.slug)] as const] : [])));
    let teamsOf = (slug: string): string[] | undefined => listed.get(slug);
    if (projects.value.some((p) => p.teams === undefined)) {
      const teams = await ctx.data.teams();
      if (!teams.ok) {
        r.error(CHECKS.hasTeam, orgRes, teams, 'teams', { evidence });
        r.error(CHECKS.teamCount, orgRes, teams, 'teams', { evidence });
        return r.findings;
      }
      evidence.push(teams.evidence);
      // A team that did not validate may own projects: no verdict that all have a team.
      unseen += r.invalidItems([CHECKS.hasTeam, CHECKS.teamCount], teams.evidence, 'teams');
      const byProject = new Map<string, string[]>();
      for (const t of teams.value) {
        for (const p of t.projects ?? []) byProject.set(p.slug, [...(byProject.get(p.slug) ?? []), t.slug]);
      }
      const fromList = teamsOf;
      teamsOf = (slug) => fromList(slug) ?? byProject.get(slug) ?? [];
    }

    const orphans: string[] = [];
    const crowded: string[] = [];
    for (const p of projects.value) {
      const teams = teamsOf(p.slug) ?? [];
      if (teams.length === 0) {
        orphans.push(p.slug);
        r.fail(CHECKS.hasTeam, projectRef(p), `Project "${p.slug}" belongs to no team; only org-wide roles reach it and nobody owns it.`, evidence, {
          teams: [],
        });
      } else if (teams.length > max) {
        crowded.push(p.slug);
        r.fail(
          CHECKS.teamCount,
          projectRef(p),
          `Project "${p.slug}" is shared by ${teams.length} teams (at most ${max} expected).`,
          evidence,
          { teams, maxTeamsPerProject: max },
        );
      }
    }
    const n = projects.value.length;
    if (orphans.length === 0 && unseen === 0) r.pass(CHECKS.hasTeam, orgRes, `All ${plural(n, 'project')} belong to a team.`, evidence, { projects: n });
    if (crowded.length === 0 && unseen === 0) {
      r.pass(CHECKS.teamCount, orgRes, `No project is shared by more than ${max} teams.`, evidence, { projects: n, maxTeamsPerProject: max });
    }
    r.manual(
      CHECKS.sensitive,
      orgRes,
      'The API cannot tell which projects carry production or sensitive data: confirm they are separate projects owned by small teams.',
      evidence,
      { projects: projects.value.map((p) => ({ slug: p.slug, teams: teamsOf(p.slug) ?? [] })) },
    );
    return r.findings;
  },
};

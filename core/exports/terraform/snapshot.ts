import type { Finding } from '../../../shared/finding';
import type { Loaded, OrgData } from '../../sentry/org-data';
import { mapLimit } from '../../primitives/map-limit';
import type { TerraformSnapshot } from './generate';

/** A read the export needed and did not get: that part is left out and named in the README. */
export interface SnapshotGap {
  readonly what: string;
  readonly reason: string;
}

function lines(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split('\n')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : [];
}

function gapOf(what: string, loaded: Loaded<unknown>): SnapshotGap | null {
  return loaded.ok ? null : { what, reason: loaded.error.message };
}

/** Failing findings by `type:id`, so the generator can flag what a reviewer should change. */
export function failingByResource(findings: readonly Finding[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of findings) {
    if (f.status !== 'fail') continue;
    const key = `${f.resource.type}:${f.resource.id}`;
    const list = out.get(key) ?? [];
    if (!list.includes(f.check)) list.push(f.check);
    out.set(key, list);
  }
  return out;
}

/**
 * Reads what the configuration describes through the audit's memoized reads (an audit at L2 or
 * above has made nearly all of them already). A read that fails leaves its part out and becomes a
 * gap; nothing is guessed.
 */
export async function readTerraformSnapshot(
  data: OrgData,
  org: { slug: string; name: string },
  findings: readonly Finding[],
  concurrency = 8,
): Promise<{ snapshot: TerraformSnapshot; gaps: SnapshotGap[] }> {
  const gaps: SnapshotGap[] = [];
  const note = (g: SnapshotGap | null): void => {
    if (g) gaps.push(g);
  };
  const [teamsL, projectsL, keysL, membersL] = await Promise.all([data.teams(), data.projects(), data.projectKeys(), data.members()]);
  note(gapOf('teams and team memberships', teamsL));
  note(gapOf('projects, their filters and client keys', projectsL));
  note(gapOf('client keys', keysL));
  note(gapOf('organization members', membersL));

  const teams = teamsL.ok ? teamsL.value.map((t) => ({ slug: t.slug, name: t.name })) : [];
  const projectList = projectsL.ok ? projectsL.value : [];
  const projects = (
    await mapLimit(projectList, concurrency, async (p) => {
      const [detail, filters] = await Promise.all([data.projectDetail(p.slug), data.projectFilters(p.slug)]);
      if (!detail.ok) {
        note({ what: `project ${p.slug}`, reason: detail.error.message });
        return null;
      }
      if (!filters.ok) note({ what: `inbound filters of project ${p.slug}`, reason: filters.error.message });
      const d = detail.value;
      // sentry_project requires its teams: without them the project cannot be written faithfully.
      if (d.teams === undefined) {
        note({ what: `project ${p.slug}`, reason: `GET /api/0/projects/{org}/${p.slug}/ did not report the project's teams` });
        return null;
      }
      return {
        slug: d.slug,
        name: d.name,
        platform: d.platform ?? null,
        teams: d.teams.map((t) => t.slug),
        allowedDomains: d.allowedDomains,
        blacklistedIps: lines(d.options['filters:blacklisted_ips']),
        filters: filters.ok ? filters.value.map((f) => ({ id: f.id, active: f.active })) : [],
      };
    })
  ).filter((p): p is NonNullable<typeof p> => p !== null);

  const slugById = new Map(projectList.map((p) => [p.id, p.slug]));
  const keys = projectsL.ok && keysL.ok
    ? keysL.value.flatMap((k) => {
        const projectSlug = slugById.get(String(k.projectId));
        return projectSlug ? [{ id: k.id, name: k.name, projectSlug, rateLimit: k.rateLimit ? { count: k.rateLimit.count, window: k.rateLimit.window } : null }] : [];
      })
    : [];

  const members = membersL.ok
    ? membersL.value.flatMap((m) => {
        // MemberSchema already reads the role from `orgRole` or, on older servers, `role`.
        return m.email ? [{ id: m.id, email: m.email, role: m.orgRole }] : [];
      })
    : [];
  const rosters = await mapLimit(teams, concurrency, async (t) => {
    const roster = await data.teamMembers(t.slug);
    if (!roster.ok) {
      note({ what: `members of team ${t.slug}`, reason: roster.error.message });
      return [];
    }
    return roster.value.map((m) => ({ teamSlug: t.slug, memberId: m.id, role: m.teamRole ?? null }));
  });
  return {
    snapshot: { org, teams, projects, keys, members, teamMembers: rosters.flat(), failing: failingByResource(findings) },
    gaps,
  };
}

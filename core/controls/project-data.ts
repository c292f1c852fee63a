import { mapLimit } from '../primitives/map-limit';
import type { Loaded, OrgData } from '../sentry/org-data';
import type { ProjectDetail, ProjectSummary } from '../sentry/schemas';

export interface ProjectRead {
  readonly project: ProjectSummary;
  readonly detail: Loaded<ProjectDetail>;
}

/**
 * How many reads a fan-out over every project or team keeps waiting at once. The client runs at
 * most about ten at a time; started all together, 10,000 project reads each waited as a suspended
 * call (closure, context, promise: about 30 MB of a 10,000-project audit's heap).
 */
export const FAN_OUT = 48;

/**
 * The detail of every project. OrgData memoizes each read, so 3.1, 3.2 and 3.3 asking for the same
 * project cost one request; at most FAN_OUT of them wait at once.
 */
export async function readProjectDetails(data: OrgData, projects: readonly ProjectSummary[]): Promise<ProjectRead[]> {
  return mapLimit(projects, FAN_OUT, async (project) => ({ project, detail: await data.projectDetail(project.slug) }));
}

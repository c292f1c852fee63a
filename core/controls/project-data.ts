import type { Loaded, OrgData } from '../sentry/org-data';
import type { ProjectDetail, ProjectSummary } from '../sentry/schemas';

export interface ProjectRead {
  readonly project: ProjectSummary;
  readonly detail: Loaded<ProjectDetail>;
}

/**
 * The detail of every project. OrgData memoizes each read, so 3.1, 3.2 and 3.3 asking for the same
 * project cost one request; the client bounds how many run at once.
 */
export async function readProjectDetails(data: OrgData, projects: readonly ProjectSummary[]): Promise<ProjectRead[]> {
  return Promise.all(projects.map(async (project) => ({ project, detail: await data.projectDetail(project.slug) })));
}

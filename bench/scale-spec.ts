/** The generated organization of the audit-scale benchmark at a number of projects. */
export interface SizeSpec {
  readonly projects: number;
  readonly keysPerProject: number;
  readonly members: number;
  readonly teams: number;
  readonly integrations: number;
  readonly latencyMs: number;
  readonly concurrentLimit: number;
}

/**
 * Keys, members and teams scale with the projects (2 keys and 5 members a project, a team per 5
 * projects), as in issue 2's 1,000-project organization; integrations stay at 30.
 */
export function specFor(projects: number, latencyMs = 50): SizeSpec {
  return { projects, keysPerProject: 2, members: projects * 5, teams: Math.max(1, Math.round(projects / 5)), integrations: 30, latencyMs, concurrentLimit: 10 };
}

// Child process of the audit-scale benchmark: serves a generated organization, so the
// benchmark's own peak RSS measures the client and engine, not the simulator.
import { generateOrg, startSimulator } from '../simulator/index';
import { minimumRequests, type OrgShape } from './minimum';

const spec = JSON.parse(process.argv[2] ?? '{}') as {
  projects: number; keysPerProject: number; members: number; teams: number; integrations: number;
  latencyMs: number; concurrentLimit: number;
};
const generated = generateOrg({ ...spec, seed: 42 });
const org = generated.org;
const approved = org.members.filter((m) => m.inviteStatus === 'approved');
const shape: OrgShape = {
  members: approved.length,
  teams: org.teams.length,
  teamMemberCounts: org.teams.map((t) => approved.filter((m) => m.teams.some((tm) => tm.teamId === t.id)).length),
  projects: org.projects.filter((p) => p.status === 'active').length,
  keys: org.projects.reduce((n, p) => n + (p.status === 'active' ? p.keys.length : 0), 0),
  integrations: org.integrations.length,
  sentryApps: org.sentryApps.length,
  sentryAppInstallations: org.sentryAppInstallations.length,
};
const sim = await startSimulator({ state: generated.state, latencyMs: spec.latencyMs, concurrentLimit: spec.concurrentLimit });
// Warm-up, before the benchmark measures anything: every route the audit reads is served a few
// times, so the simulator's own cold start (its lazily built indexes, its code not yet compiled:
// the first ten answers took 60 to 170 ms instead of 50) is not counted as the engine's wall time.
// Real Sentry has no such cold start; the simulator's CPU is measured after this, too.
await warmUp();
process.stdout.write(`${JSON.stringify({ url: sim.url, org: org.slug, token: generated.tokens.admin, shape, minimum: { L1: minimumRequests(shape, 'L1'), L2: minimumRequests(shape, 'L2'), L3: minimumRequests(shape, 'L3') } })}\n`);
// The benchmark asks for this process's CPU time over IPC, to report the simulator's cost apart.
process.on('message', () => {
  const cpu = process.cpuUsage();
  process.send?.({ cpuMs: (cpu.user + cpu.system) / 1000 });
});
// Dies with the benchmark (an out-of-memory crash there must not leave it serving).
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));

async function warmUp(): Promise<void> {
  const team = org.teams[0]?.slug;
  const project = org.projects.find((p) => p.status === 'active')?.slug;
  const paths = [
    '/api/0/',
    `/api/0/organizations/${org.slug}/`,
    `/api/0/organizations/${org.slug}/members/?per_page=100`,
    `/api/0/organizations/${org.slug}/projects/?per_page=100`,
    `/api/0/organizations/${org.slug}/project-keys/?per_page=100`,
    `/api/0/organizations/${org.slug}/teams/?per_page=100`,
    `/api/0/organizations/${org.slug}/auth-provider/`,
    `/api/0/organizations/${org.slug}/org-auth-tokens/`,
    `/api/0/organizations/${org.slug}/audit-logs/?per_page=100`,
    `/api/0/organizations/${org.slug}/integrations/?per_page=100`,
    `/api/0/organizations/${org.slug}/sentry-apps/?per_page=100`,
    `/api/0/organizations/${org.slug}/sentry-app-installations/?per_page=100`,
    ...(team ? [`/api/0/teams/${org.slug}/${team}/members/?per_page=100`] : []),
    ...(project ? [`/api/0/projects/${org.slug}/${project}/`] : []),
  ];
  const headers = { Authorization: `Bearer ${generated.tokens.admin}` };
  // Each route alone, a few rounds (under the concurrent limit: it is per route).
  for (let round = 0; round < 3; round++) {
    await Promise.all(paths.map((p) => fetch(`${sim.url}${p}`, { headers }).then((r) => r.arrayBuffer())));
  }
}

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
process.stdout.write(`${JSON.stringify({ url: sim.url, org: org.slug, token: generated.tokens.admin, shape, minimum: { L1: minimumRequests(shape, 'L1'), L2: minimumRequests(shape, 'L2'), L3: minimumRequests(shape, 'L3') } })}\n`);
// The benchmark asks for this process's CPU time over IPC, to report the simulator's cost apart.
process.on('message', () => {
  const cpu = process.cpuUsage();
  process.send?.({ cpuMs: (cpu.user + cpu.system) / 1000 });
});
// Dies with the benchmark (an out-of-memory crash there must not leave it serving).
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));

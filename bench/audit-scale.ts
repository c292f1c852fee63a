// Audit-scale benchmark: a generated organization of 1,000 projects x 2 keys, 5,000
// members, 200 teams and 30 integrations behind a simulator with 50 ms latency a request and a
// concurrency limit of 10 (advertised and enforced with 429). Prints the figures and whether each
// goal holds; the simulator runs in a child process so peak RSS is the engine's own.
//   npm run bench:audit-scale [-- --level L2] [-- --skip-serial]
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { auditOrganization } from '../core/engine/audit-session';
import { LevelSchema, type Level } from '../shared/levels';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const SPEC = { projects: 1000, keysPerProject: 2, members: 5000, teams: 200, integrations: 30, latencyMs: Number(option('--latency') ?? 50), concurrentLimit: 10 };

interface ServerInfo { url: string; org: string; token: string; minimum: Record<Level, number> }

async function startServer(): Promise<{ child: ChildProcess; info: ServerInfo }> {
  const tsx = path.resolve(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [path.join(import.meta.dirname, 'sim-server.ts'), JSON.stringify(SPEC)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited (${code})`)));
  });
  return { child, info: JSON.parse(line) as ServerInfo };
}

async function run(info: ServerInfo, level: Level, maxConcurrency?: number) {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let lastResponseAt = started;
  const outcome = await auditOrganization({
    onResponse: () => {
      lastResponseAt = performance.now();
    },
    baseUrl: info.url,
    orgSlug: info.org,
    getToken: () => info.token,
    tokenPrefix: 'sntryu_',
    level,
    timeoutMs: 30_000,
    ...(maxConcurrency ? { scheduler: { initialConcurrency: maxConcurrency, maxConcurrency } } : {}),
  });
  const wallMs = performance.now() - started;
  const tailMs = started + wallMs - lastResponseAt;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const r = outcome.report;
  const affected = r.findings.filter((f) => f.errorCode === 'rate_limited').length;
  return { wallMs, tailMs, cpuMs, requests: r.summary.requests, rateLimited: r.summary.rateLimited, affected, counts: r.summary.counts };
}

const level = LevelSchema.parse(option('--level') ?? 'L1');
const { child, info } = await startServer();
try {
  const minimum = info.minimum[level];
  const boundMs = Math.ceil(minimum / SPEC.concurrentLimit) * SPEC.latencyMs;
  const fast = await run(info, level);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const ratioReq = fast.requests / minimum;
  const ratioWall = fast.wallMs / boundMs;
  const goal = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  console.log(`audit-scale (${level}): ${SPEC.projects} projects x ${SPEC.keysPerProject} keys, ${SPEC.members} members, ${SPEC.teams} teams, ${SPEC.integrations} integrations; latency ${SPEC.latencyMs} ms, concurrency limit ${SPEC.concurrentLimit}`);
  console.log(`  requests made         ${fast.requests}`);
  console.log(`  minimum for ${level}       ${minimum}`);
  console.log(`  requests / minimum    ${ratioReq.toFixed(3)}   (goal <= 1.05: ${goal(ratioReq <= 1.05)})`);
  console.log(`  wall time             ${(fast.wallMs / 1000).toFixed(2)} s`);
  console.log(`  after the last answer  ${(fast.tailMs / 1000).toFixed(2)} s (evaluating the last controls, building the report)`);
  console.log(`  engine CPU time       ${(fast.cpuMs / 1000).toFixed(2)} s (this process: client, validation, controls)`);
  console.log(`  bound ceil(min/10)x50 ${(boundMs / 1000).toFixed(2)} s`);
  console.log(`  wall / bound          ${ratioWall.toFixed(3)}   (goal <= 1.3: ${goal(ratioWall <= 1.3)})`);
  console.log(`  429s received         ${fast.rateLimited}`);
  console.log(`  checks affected       ${fast.affected}   (goal 0: ${goal(fast.affected === 0)})`);
  console.log(`  peak RSS              ${rssMb.toFixed(0)} MB   (goal < 300: ${goal(rssMb < 300)})`);
  console.log(`  findings              ${JSON.stringify(fast.counts)}`);
  if (!argv.includes('--skip-serial')) {
    const serial = await run(info, level, 1);
    console.log(`  one-at-a-time client  ${(serial.wallMs / 1000).toFixed(2)} s, ${serial.requests} requests`);
    console.log(`  speed-up              ${(serial.wallMs / fast.wallMs).toFixed(1)}x`);
  }
} finally {
  child.kill('SIGTERM');
}

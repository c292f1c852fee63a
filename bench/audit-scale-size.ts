// One size of the audit-scale benchmark, in its own process (so peak RSS is this size's alone):
// starts the simulator in a child process, audits, writes the evidence package, verifies it, and
// prints one JSON line of figures for bench/audit-scale.ts.
//   tsx bench/audit-scale-size.ts '{"projects":1000,"level":"L1","latencyMs":50,"out":"/tmp/x"}'
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Session } from 'node:inspector/promises';
import { writeFile } from 'node:fs/promises';
import { writeHeapSnapshot } from 'node:v8';
import { auditOrganization } from '../core/engine/audit-session';
import { applyHeapPolicy } from '../core/primitives/heap-policy';
import { generateSigningKey } from '../core/evidence/keys';
import { verifyEvidencePackage } from '../core/evidence/verify';
import { writeEvidencePackage } from '../core/evidence/writer';
import { ResponseSpool } from '../core/sentry/response-spool';
import type { Level } from '../shared/levels';
import { specFor, type SizeSpec } from './scale-spec';

interface SizeArgs { projects: number; level: Level; latencyMs: number; out?: string; serial?: boolean; skipPackage?: boolean; keep?: boolean }
interface ServerInfo { url: string; org: string; token: string; minimum: Record<Level, number> }

const args = JSON.parse(process.argv[2] ?? '{}') as SizeArgs;
// The product's entries (the CLI, the desktop app) apply the heap policy first; so does the benchmark.
if (process.env.BENCH_DEFAULT_HEAP !== '1') applyHeapPolicy();

// Where memory sits after each phase (BENCH_MEMORY=1 prints it to stderr; BENCH_HEAP_SNAPSHOT_DIR=DIR
// also writes a heap snapshot there after the audit, to see what holds it).
let responsesSeen = 0;
const phases: Record<string, { rssMb: number; heapMb: number; externalMb: number }> = {};
const maxima = { heapTotalMb: 0, heapUsedMb: 0, externalMb: 0, arrayBuffersMb: 0 };
if (process.env.BENCH_MEMORY === '1') {
  setInterval(() => {
    const m = process.memoryUsage();
    maxima.heapTotalMb = Math.max(maxima.heapTotalMb, Math.round(m.heapTotal / 1e6));
    maxima.heapUsedMb = Math.max(maxima.heapUsedMb, Math.round(m.heapUsed / 1e6));
    maxima.externalMb = Math.max(maxima.externalMb, Math.round(m.external / 1e6));
    maxima.arrayBuffersMb = Math.max(maxima.arrayBuffersMb, Math.round(m.arrayBuffers / 1e6));
  }, 100).unref();
}
// BENCH_MEMORY_TRACE=1: heap and RSS every 250 ms with the responses seen so far, to see when the peak happens.
if (process.env.BENCH_MEMORY_TRACE === '1') {
  const t0 = performance.now();
  setInterval(() => {
    const m = process.memoryUsage();
    process.stderr.write(`trace ${((performance.now() - t0) / 1000).toFixed(1)}s responses ${responsesSeen} heapUsed ${Math.round(m.heapUsed / 1e6)} heapTotal ${Math.round(m.heapTotal / 1e6)} external ${Math.round(m.external / 1e6)} rss ${Math.round(m.rss / 1e6)}\n`);
  }, 250).unref();
}
function phase(name: string): void {
  if (process.env.BENCH_MEMORY === '1') process.stderr.write(`maxima until ${name}: ${JSON.stringify(maxima)}\n`);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const m = process.memoryUsage();
  phases[name] = { rssMb: Math.round(m.rss / 1e6), heapMb: Math.round(m.heapUsed / 1e6), externalMb: Math.round((m.external + m.arrayBuffers) / 1e6) };
  if (process.env.BENCH_MEMORY === '1') process.stderr.write(`memory after ${name}: ${JSON.stringify(phases[name])} peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`);
  const dir = process.env.BENCH_HEAP_SNAPSHOT_DIR;
  if (dir && name === 'audit') writeHeapSnapshot(path.join(dir, `audit-${args.projects}.heapsnapshot`));
}
const spec: SizeSpec = specFor(args.projects, args.latencyMs);

async function startServer(): Promise<{ child: ChildProcess; info: ServerInfo }> {
  const tsx = path.resolve(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
  const script = [path.join(import.meta.dirname, 'sim-server.ts'), JSON.stringify(spec)];
  // BENCH_SIM_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" profiles the simulator.
  const nodeArgs = process.env.BENCH_SIM_NODE_ARGS?.split(' ').filter(Boolean);
  const child = nodeArgs
    ? spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ...script], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
    : spawn(tsx, script, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited (${code})`)));
  });
  return { child, info: JSON.parse(line) as ServerInfo };
}

/** The simulator's CPU time so far (it answers over IPC), so its cost is reported apart from the engine's. */
function simulatorCpuMs(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(Number((m as { cpuMs: number }).cpuMs)));
    child.send('cpu');
  });
}

// As `audit --out` does: bodies go to disk as they arrive (BENCH_NO_SPOOL=1 keeps them in memory, as before).
const spool = process.env.BENCH_NO_SPOOL === '1' ? null : ResponseSpool.create();

// BENCH_CPU_PROFILE=FILE profiles the audit alone (not start-up, not the package) into FILE (.cpuprofile).
async function startProfile(): Promise<(() => Promise<void>) | null> {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  };
}

async function audit(info: ServerInfo, maxConcurrency?: number) {
  const stopProfile = maxConcurrency ? null : await startProfile();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let lastResponseAt = started;
  const outcome = await auditOrganization({
    ...(spool ? { spool } : {}),
    onResponse: (r) => {
      lastResponseAt = performance.now();
      if (process.env.BENCH_TIMELINE === '1') process.stderr.write(`response ${(lastResponseAt - started).toFixed(0)} ${r.url.split('?')[0]}\n`);
      responsesSeen += 1;
      if (process.env.BENCH_HEAP_SNAPSHOT_DIR && responsesSeen === Number(process.env.BENCH_HEAP_SNAPSHOT_AT ?? -1)) {
        writeHeapSnapshot(path.join(process.env.BENCH_HEAP_SNAPSHOT_DIR, `during-${args.projects}.heapsnapshot`));
      }
    },
    baseUrl: info.url,
    orgSlug: info.org,
    getToken: () => info.token,
    tokenPrefix: 'sntryu_',
    level: args.level,
    timeoutMs: 30_000,
    ...(maxConcurrency ? { scheduler: { initialConcurrency: maxConcurrency, maxConcurrency } } : {}),
  });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  await stopProfile?.();
  const r = outcome.report;
  return {
    outcome,
    wallMs,
    tailMs: started + wallMs - lastResponseAt,
    cpuMs: (cpu.user + cpu.system) / 1000,
    requests: r.summary.requests,
    rateLimited: r.summary.rateLimited,
    affected: r.findings.filter((f: { errorCode?: string }) => f.errorCode === 'rate_limited').length,
    counts: r.summary.counts,
    findings: r.findings.length,
  };
}

/** Bytes of the package, and by top-level entry (raw/ summed), to see which file grows. */
async function dirBytes(dir: string): Promise<{ total: number; byEntry: Record<string, number> }> {
  let total = 0;
  const byEntry: Record<string, number> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const bytes = (await stat(path.join(e.parentPath, e.name))).size;
    total += bytes;
    const top = path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep)[0]!;
    byEntry[top] = (byEntry[top] ?? 0) + bytes;
  }
  return { total, byEntry };
}

const size = async (file: string): Promise<number | null> => stat(file).then((s) => s.size, () => null);

phase('start');
const { child, info } = await startServer();
const result: Record<string, unknown> = { spec, level: args.level, minimum: info.minimum[args.level] };
try {
  const simCpuBefore = await simulatorCpuMs(child);
  let run: Awaited<ReturnType<typeof audit>> | null = await audit(info);
  result.simCpuMs = (await simulatorCpuMs(child)) - simCpuBefore;
  const { outcome, ...figures } = run;
  Object.assign(result, figures);
  result.auditRssMb = process.resourceUsage().maxRSS / 1024;
  phase('audit');
  if (!args.skipPackage && args.out) {
    await rm(args.out, { recursive: true, force: true });
    const t0 = performance.now();
    try {
      await writeEvidencePackage(args.out, { final: outcome }, { key: generateSigningKey() });
      result.writeMs = performance.now() - t0;
      result.packageRssMb = process.resourceUsage().maxRSS / 1024;
      phase('package');
      result.reportJsonBytes = await size(path.join(args.out, 'report.json'));
      result.reportHtmlBytes = await size(path.join(args.out, 'report.html'));
      const bytes = await dirBytes(args.out);
      result.packageBytes = bytes.total;
      result.packageFiles = bytes.byEntry;
    } catch (e) {
      result.packageError = e instanceof Error ? e.message : String(e);
      result.packageRssMb = process.resourceUsage().maxRSS / 1024;
    }
  }
  run = null;
  if (args.serial) {
    const serial = await audit(info, 1);
    result.serialWallMs = serial.wallMs;
    result.serialRequests = serial.requests;
  }
} finally {
  child.kill('SIGTERM');
  await spool?.dispose();
}
if (!args.skipPackage && args.out && result.packageError === undefined) {
  const t0 = performance.now();
  try {
    const v = await verifyEvidencePackage(args.out);
    result.verifyMs = performance.now() - t0;
    result.verifyRssMb = process.resourceUsage().maxRSS / 1024;
    phase('verify');
    result.verifyValid = v.valid;
    if (!v.valid) result.verifyProblems = v.problems.slice(0, 3);
  } catch (e) {
    result.verifyError = e instanceof Error ? e.message : String(e);
  }
  if (!args.keep) await rm(args.out, { recursive: true, force: true });
}
result.phases = phases;
process.stdout.write(`${JSON.stringify(result)}\n`);

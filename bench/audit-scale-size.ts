// One size of the audit-scale benchmark, in its own process (so peak RSS is this size's alone):
// starts the simulator in a child process, audits, writes the evidence package, verifies it, and
// prints one JSON line of figures for bench/audit-scale.ts.
//   tsx bench/audit-scale-size.ts '{"projects":1000,"level":"L1","latencyMs":50,"out":"/tmp/x"}'
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { auditOrganization } from '../core/engine/audit-session';
import { generateSigningKey } from '../core/evidence/keys';
import { verifyEvidencePackage } from '../core/evidence/verify';
import { writeEvidencePackage } from '../core/evidence/writer';
import { ResponseSpool } from '../core/sentry/response-spool';
import type { Level } from '../shared/levels';
import { specFor, type SizeSpec } from './scale-spec';

interface SizeArgs { projects: number; level: Level; latencyMs: number; out?: string; serial?: boolean; skipPackage?: boolean; keep?: boolean }
interface ServerInfo { url: string; org: string; token: string; minimum: Record<Level, number> }

const args = JSON.parse(process.argv[2] ?? '{}') as SizeArgs;
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

async function audit(info: ServerInfo, maxConcurrency?: number) {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let lastResponseAt = started;
  const outcome = await auditOrganization({
    ...(spool ? { spool } : {}),
    onResponse: () => {
      lastResponseAt = performance.now();
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

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) total += (await stat(path.join(e.parentPath, e.name))).size;
  }
  return total;
}

const size = async (file: string): Promise<number | null> => stat(file).then((s) => s.size, () => null);

const { child, info } = await startServer();
const result: Record<string, unknown> = { spec, level: args.level, minimum: info.minimum[args.level] };
try {
  const simCpuBefore = await simulatorCpuMs(child);
  let run: Awaited<ReturnType<typeof audit>> | null = await audit(info);
  result.simCpuMs = (await simulatorCpuMs(child)) - simCpuBefore;
  const { outcome, ...figures } = run;
  Object.assign(result, figures);
  result.auditRssMb = process.resourceUsage().maxRSS / 1024;
  if (!args.skipPackage && args.out) {
    await rm(args.out, { recursive: true, force: true });
    const t0 = performance.now();
    try {
      await writeEvidencePackage(args.out, { final: outcome }, { key: generateSigningKey() });
      result.writeMs = performance.now() - t0;
      result.packageRssMb = process.resourceUsage().maxRSS / 1024;
      result.reportJsonBytes = await size(path.join(args.out, 'report.json'));
      result.reportHtmlBytes = await size(path.join(args.out, 'report.html'));
      result.packageBytes = await dirBytes(args.out);
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
    result.verifyValid = v.valid;
    if (!v.valid) result.verifyProblems = v.problems.slice(0, 3);
  } catch (e) {
    result.verifyError = e instanceof Error ? e.message : String(e);
  }
  if (!args.keep) await rm(args.out, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(result)}\n`);

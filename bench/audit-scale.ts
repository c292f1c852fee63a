// Audit-scale benchmark: a generated organization (by default 1,000 projects x 2
// keys, 5,000 members, 200 teams and 30 integrations; keys, members and teams scale with
// --projects) behind a simulator with 50 ms latency a request and a concurrency limit of 10
// (advertised and enforced with 429). Each size runs in a fresh process (bench/audit-scale-size.ts)
// that audits, writes the evidence package and verifies it; the simulator runs in its own child
// process, so peak RSS is the engine's and the simulator's CPU is reported apart.
//   npm run bench:audit-scale [-- --level L2] [-- --projects N] [-- --skip-serial] [-- --skip-package] [-- --skip-cli]
// After the in-process run, `sentry-harden audit --out` itself runs against a fresh simulator
// (bench/cli-run.ts): its peak RSS is the figure the memory goal is about.
//   npm run bench:audit-scale -- --sweep [100,1000,3000,10000]
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { LevelSchema } from '../shared/levels';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const level = LevelSchema.parse(option('--level') ?? 'L1');
const latencyMs = Number(option('--latency') ?? 50);
const sweepArg = argv.includes('--sweep') ? option('--sweep') : undefined;
const sizes = argv.includes('--sweep')
  ? (sweepArg && !sweepArg.startsWith('--') ? sweepArg : '100,1000,3000,10000').split(',').map(Number)
  : [Number(option('--projects') ?? 1000)];
const WALL_GOAL = 1.1;

type Figures = Record<string, unknown> & {
  spec: { projects: number; keysPerProject: number; members: number; teams: number; integrations: number; latencyMs: number; concurrentLimit: number };
  minimum: number; requests: number; wallMs: number; tailMs: number; cpuMs: number; simCpuMs: number; rateLimited: number; affected: number;
  auditRssMb: number; packageRssMb?: number; reportJsonBytes?: number; reportHtmlBytes?: number; packageBytes?: number; verifyMs?: number;
  verifyValid?: boolean; verifyRssMb?: number; packageFiles?: Record<string, number>;
  phases?: Record<string, { rssMb: number; heapMb: number; externalMb: number }>; packageError?: string; verifyError?: string; writeMs?: number; counts: Record<string, number>; findings: number;
  serialWallMs?: number; serialRequests?: number;
  cli?: { exitCode: number | null; wallMs: number; rssMb: number; error?: string } | { failed: string };
};

function runSize(projects: number, serial: boolean): Promise<{ figures: Figures } | { failed: string }> {
  const tsx = path.resolve(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
  const out = path.join(os.tmpdir(), `audit-scale-${process.pid}-${projects}`);
  const args = { projects, level, latencyMs, out, serial, skipPackage: argv.includes('--skip-package') };
  return new Promise((resolve) => {
    const child = spawn(tsx, [path.join(import.meta.dirname, 'audit-scale-size.ts'), JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve({ figures: JSON.parse(line) as Figures });
      } catch {
        resolve({ failed: `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ') || 'no output'}` });
      }
    });
  });
}

/** `sentry-harden audit --out` itself, in a fresh process against a fresh simulator (bench/cli-run.ts). */
function runCli(projects: number): Promise<NonNullable<Figures['cli']>> {
  const tsx = path.resolve(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
  return new Promise((resolve) => {
    const child = spawn(tsx, [path.join(import.meta.dirname, 'cli-run.ts'), JSON.stringify({ projects, level, latencyMs })], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => {
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as NonNullable<Figures['cli']>);
      } catch {
        resolve({ failed: `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ') || 'no output'}` });
      }
    });
  });
}

const mb = (b: number | undefined): string => (b === undefined || b === null ? '-' : `${(b / 1e6).toFixed(1)} MB`);
const goal = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
const boundOf = (f: Figures): number => Math.ceil(f.minimum / f.spec.concurrentLimit) * f.spec.latencyMs;

function printOne(f: Figures): void {
  const s = f.spec;
  const boundMs = boundOf(f);
  const ratioReq = f.requests / f.minimum;
  const ratioWall = f.wallMs / boundMs;
  console.log(`audit-scale (${level}): ${s.projects} projects x ${s.keysPerProject} keys, ${s.members} members, ${s.teams} teams, ${s.integrations} integrations; latency ${s.latencyMs} ms, concurrency limit ${s.concurrentLimit}`);
  console.log(`  requests made         ${f.requests}`);
  console.log(`  minimum for ${level}       ${f.minimum}`);
  console.log(`  requests / minimum    ${ratioReq.toFixed(3)}   (goal <= 1.05: ${goal(ratioReq <= 1.05)})`);
  console.log(`  wall time             ${(f.wallMs / 1000).toFixed(2)} s`);
  console.log(`  after the last answer  ${(f.tailMs / 1000).toFixed(2)} s (evaluating the last controls, building the report)`);
  console.log(`  engine CPU time       ${(f.cpuMs / 1000).toFixed(2)} s (this process: client, validation, controls), ${(f.cpuMs / f.requests).toFixed(2)} ms a request (goal < 1: ${goal(f.cpuMs / f.requests < 1)})`);
  console.log(`  simulator CPU time    ${(f.simCpuMs / 1000).toFixed(2)} s (its own process), ${(f.simCpuMs / f.requests).toFixed(2)} ms a request`);
  console.log(`  bound ceil(min/10)x50 ${(boundMs / 1000).toFixed(2)} s`);
  console.log(`  wall / bound          ${ratioWall.toFixed(3)}   (goal <= ${WALL_GOAL}: ${goal(ratioWall <= WALL_GOAL)})`);
  console.log(`  429s received         ${f.rateLimited}`);
  console.log(`  checks affected       ${f.affected}   (goal 0: ${goal(f.affected === 0)})`);
  const rssGoal = s.projects <= 1000 ? 200 : 300;
  console.log(`  peak RSS              ${f.auditRssMb.toFixed(0)} MB   (goal < ${rssGoal}: ${goal(f.auditRssMb < rssGoal)})`);
  if (f.packageRssMb !== undefined) console.log(`  peak RSS with package ${f.packageRssMb.toFixed(0)} MB   (in this process, tsx's loader thread included)`);
  if (f.cli && 'failed' in f.cli) console.log(`  CLI audit --out       FAILED: ${f.cli.failed}`);
  else if (f.cli) {
    const ok = f.cli.error === undefined;
    console.log(`  CLI audit --out       ${(f.cli.wallMs / 1000).toFixed(2)} s, exit ${f.cli.exitCode}, peak RSS ${f.cli.rssMb.toFixed(0)} MB   (goal < ${rssGoal}: ${goal(ok && f.cli.rssMb < rssGoal)})${ok ? '' : `: ${f.cli.error}`}`);
  }
  if (f.packageError) console.log(`  package               FAILED: ${f.packageError}`);
  if (f.packageBytes !== undefined) {
    console.log(`  report.json           ${mb(f.reportJsonBytes)}   report.html ${mb(f.reportHtmlBytes)}   package ${mb(f.packageBytes)} (written in ${((f.writeMs ?? 0) / 1000).toFixed(2)} s)`);
  }
  if (f.packageFiles) {
    const largest = Object.entries(f.packageFiles).sort((a, b) => b[1] - a[1]).slice(0, 5);
    console.log(`  largest entries       ${largest.map(([name, bytes]) => `${name} ${mb(bytes)}`).join(', ')}`);
  }
  if (f.verifyMs !== undefined) console.log(`  verify                ${(f.verifyMs / 1000).toFixed(2)} s, ${f.verifyValid ? 'valid' : 'INVALID'}${f.verifyRssMb === undefined ? '' : ` (peak RSS so far ${f.verifyRssMb.toFixed(0)} MB)`}`);
  if (f.phases) console.log(`  memory after phases   ${Object.entries(f.phases).map(([name, p]) => `${name}: heap ${p.heapMb} MB, rss ${p.rssMb} MB`).join('; ')}`);
  if (f.verifyError) console.log(`  verify                FAILED: ${f.verifyError}`);
  console.log(`  findings              ${f.findings} ${JSON.stringify(f.counts)}`);
  if (f.serialWallMs !== undefined) {
    console.log(`  one-at-a-time client  ${(f.serialWallMs / 1000).toFixed(2)} s, ${f.serialRequests} requests`);
    console.log(`  speed-up              ${(f.serialWallMs / f.wallMs).toFixed(1)}x`);
  }
}

const rows: string[] = [];
for (const projects of sizes) {
  const outcome = await runSize(projects, sizes.length === 1 && !argv.includes('--skip-serial'));
  if ('failed' in outcome) {
    console.log(`audit-scale (${level}): ${projects} projects: FAILED (${outcome.failed})`);
    rows.push(`| ${projects} | failed: ${outcome.failed.slice(0, 120)} |`);
    continue;
  }
  const f = outcome.figures;
  if (!argv.includes('--skip-package') && !argv.includes('--skip-cli')) f.cli = await runCli(projects);
  printOne(f);
  const cell = (v: number | undefined, digits = 0, unit = ''): string => (v === undefined ? '-' : `${v.toFixed(digits)}${unit}`);
  rows.push(
    `| ${projects} | ${(f.requests / f.minimum).toFixed(3)} | ${(f.wallMs / boundOf(f)).toFixed(3)} | ${(f.cpuMs / f.requests).toFixed(2)} | ${(f.simCpuMs / f.requests).toFixed(2)} ms/req (${(f.simCpuMs / 1000).toFixed(1)} s) | ${cell(f.auditRssMb)} MB | ${f.packageError ? 'failed' : `${cell(f.packageRssMb)} MB`} | ${f.cli === undefined ? '-' : 'failed' in f.cli ? 'failed' : `${cell(f.cli.rssMb)} MB`} | ${mb(f.reportJsonBytes)} | ${mb(f.reportHtmlBytes)} | ${mb(f.packageBytes)} | ${f.verifyMs === undefined ? '-' : `${(f.verifyMs / 1000).toFixed(1)} s`} |`,
  );
}
if (sizes.length > 1) {
  console.log(`\nsweep (${level}):`);
  console.log('| projects | req/min | wall/bound | engine CPU ms/req | simulator CPU | peak RSS audit | peak RSS package | peak RSS CLI audit --out | report.json | report.html | package | verify |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

// Child of the audit-scale benchmark: the product as a CI job runs it, `sentry-harden audit --out`
// (bin/sentry-harden.mjs, from its bundle) against a fresh simulator of the same organization,
// signed with a key file. Prints one JSON line: the CLI's exit status, wall time and peak RSS
// (the CLI process alone: read at its exit through a preloaded hook, not the simulator's).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { specFor } from './scale-spec';

const args = JSON.parse(process.argv[2] ?? '{}') as { projects: number; level: string; latencyMs: number };
const root = path.resolve(import.meta.dirname, '..');
const spec = specFor(args.projects, args.latencyMs);
const work = await mkdtemp(path.join(os.tmpdir(), 'audit-scale-cli-'));
const sim = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(import.meta.dirname, 'sim-server.ts'), JSON.stringify(spec)], {
  stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
});
try {
  const info = JSON.parse(
    await new Promise<string>((resolve, reject) => {
      createInterface({ input: sim.stdout! }).once('line', resolve);
      sim.once('exit', (code) => reject(new Error(`simulator exited (${code})`)));
    }),
  ) as { url: string; org: string; token: string };
  const bin = path.join(root, 'bin', 'sentry-harden.mjs');
  const run = (argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stderr: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
  const key = path.join(work, 'ci.key');
  await run([bin, 'keys', 'create', '--out', key]);
  const rssFile = path.join(work, 'maxrss');
  // Written at the CLI's exit: its peak RSS in kB, as getrusage reports it.
  const hook = `data:text/javascript,import{writeFileSync}from'node:fs';process.on('exit',()=>writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS)))`;
  const t0 = performance.now();
  const audit = await run(['--import', hook, bin, 'audit', '--org', info.org, '--url', info.url, '--level', args.level, '--out', path.join(work, 'evidence'), '--sign-key', key], {
    SENTRY_AUTH_TOKEN: info.token,
  });
  const wallMs = performance.now() - t0;
  const maxRssKb = Number(await readFile(rssFile, 'utf8').catch(() => 'NaN'));
  process.stdout.write(`${JSON.stringify({ exitCode: audit.code, wallMs, rssMb: maxRssKb / 1024, error: audit.code === 0 || audit.code === 1 ? undefined : audit.stderr.trim().split('\n').slice(-2).join(' | ') })}\n`);
} finally {
  sim.kill('SIGTERM');
  await rm(work, { recursive: true, force: true });
}

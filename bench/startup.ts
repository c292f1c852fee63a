// Start-up benchmark: wall time of `node bin/sentry-harden.mjs --help` (goal
// under 0.3 s), `--version` (tsx and main only) and `verify` with no argument (loads one command),
// each run N times in a fresh process; prints median, mean and min.
//   npm run bench:startup [-- --runs 10] [-- --bin PATH/TO/sentry-harden.mjs]
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const runs = Number(option('--runs') ?? 10);
const bin = path.resolve(option('--bin') ?? path.join(import.meta.dirname, '..', 'bin', 'sentry-harden.mjs'));
const GOAL_HELP_S = 0.3;

function time(args: string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const r = spawnSync(process.execPath, [bin, ...args], { stdio: 'ignore' });
    out.push((performance.now() - started) / 1000);
    if (r.error) throw r.error;
  }
  return out;
}

function stats(xs: number[]): { median: number; mean: number; min: number } {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { median, mean: xs.reduce((a, b) => a + b, 0) / xs.length, min: sorted[0] ?? 0 };
}

console.log(`start-up of ${path.relative(process.cwd(), bin) || bin}, ${runs} runs each (node ${process.version})`);
let helpMedian = Infinity;
for (const [label, args] of [['--help', ['--help']], ['--version', ['--version']], ['verify (usage error)', ['verify']]] as const) {
  const s = stats(time([...args]));
  if (label === '--help') helpMedian = s.median;
  console.log(`  ${label.padEnd(22)} median ${s.median.toFixed(3)} s  mean ${s.mean.toFixed(3)} s  min ${s.min.toFixed(3)} s`);
}
console.log(`--help median ${helpMedian.toFixed(3)} s: goal under ${GOAL_HELP_S} s ${helpMedian < GOAL_HELP_S ? 'met' : 'NOT met'}`);

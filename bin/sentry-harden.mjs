#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npx sentry-harden` works right after `npm ci`
// with no build step and can never run stale output. `--help` is answered before tsx loads (it
// costs about half the start-up budget); every command is imported only when it runs.
import { readFileSync } from 'node:fs';

const [first, ...rest] = process.argv.slice(2);
if (rest.length === 0 && (first === '--help' || first === '-h' || first === 'help')) {
  process.stdout.write(readFileSync(new URL('../cli/usage.txt', import.meta.url), 'utf8'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  // Before any work: a long audit's heap stays near its live set (core/primitives/heap-policy.ts).
  (await import('../core/primitives/heap-policy.ts')).applyHeapPolicy();
  const { main } = await import('../cli/main.ts');
  const { processIo } = await import('../cli/io.ts');
  // main reports unexpected errors itself (one line and a log file, exit 2).
  process.exitCode = await main(process.argv.slice(2), processIo());
}

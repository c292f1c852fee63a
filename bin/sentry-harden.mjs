#!/usr/bin/env node
// Runs the TypeScript CLI, so `npx sentry-harden` works right after `npm ci` with no build step
// and can never run stale output. `--help` is answered before anything else loads (loading costs
// about half the start-up budget); every command is imported only when it runs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [first, ...rest] = process.argv.slice(2);
if (rest.length === 0 && (first === '--help' || first === '-h' || first === 'help')) {
  process.stdout.write(readFileSync(new URL('../cli/usage.txt', import.meta.url), 'utf8'));
} else {
  // From the prebuilt bundle (bin/cli-bundle.mjs: built on first use, rebuilt when a source
  // changes), or from the sources through tsx where no bundle can be built.
  // SENTRY_HARDEN_FROM_SOURCE=1 always runs the sources (stack traces name the .ts files).
  const bundle = process.env.SENTRY_HARDEN_FROM_SOURCE === '1' ? null : await (await import('./cli-bundle.mjs')).cliBundle((line) => process.stderr.write(`${line}\n`));
  const load = async (built, source) => {
    if (bundle) return import(pathToFileURL(path.join(bundle, built)).href);
    return import(source);
  };
  if (!bundle) {
    const { register } = await import('tsx/esm/api');
    register();
  }
  // Before any work: a long audit's heap stays near its live set (core/primitives/heap-policy.ts).
  (await load('heap-policy.js', '../core/primitives/heap-policy.ts')).applyHeapPolicy();
  const { main } = await load('main.js', '../cli/main.ts');
  const { processIo } = await load('io.js', '../cli/io.ts');
  // main reports unexpected errors itself (one line and a log file, exit 2).
  process.exitCode = await main(process.argv.slice(2), processIo());
}

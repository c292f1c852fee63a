#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npx sentry-harden` works right after `npm ci`
// with no build step and can never run stale output.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
const { processIo } = await import('../cli/io.ts');
try {
  process.exitCode = await main(process.argv.slice(2), processIo());
} catch (e) {
  // Unexpected failure: say what broke without dumping objects that might hold request data.
  process.stderr.write(`sentry-harden: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
}

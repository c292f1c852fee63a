import { createDemoState, DEMO_TOKENS } from './fixtures/demo-org';
import { startSimulator } from './server';

/**
 * Starts the demo organization on a port: `npx tsx simulator/serve.ts [port] [--prefix /sentry] [--self-hosted]`.
 * Prints the base URL and the demo tokens (fake strings, safe to show).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const portArg = args.find((a) => /^\d+$/.test(a));
  const prefixAt = args.indexOf('--prefix');
  const sim = await startSimulator({
    state: createDemoState(),
    port: portArg ? Number(portArg) : 0,
    pathPrefix: prefixAt >= 0 ? args[prefixAt + 1] : undefined,
    selfHosted: args.includes('--self-hosted'),
  });
  console.log(`Sentry simulator (demo org "acme-demo") listening at ${sim.url}`);
  console.log(`admin token:     ${DEMO_TOKENS.admin}`);
  console.log(`read-only token: ${DEMO_TOKENS.readOnly}`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();

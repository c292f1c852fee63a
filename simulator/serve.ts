import { isServerProfileName, SERVER_PROFILE_NAMES } from './profiles';
import { createDemoState, DEMO_TOKENS } from './fixtures/demo-org';
import { startSimulator } from './server';

/**
 * Starts the demo organization on a port: `npx tsx simulator/serve.ts [port] [--prefix /sentry] [--self-hosted] [--profile saas|self-hosted|self-hosted-legacy]`.
 * Prints the base URL and the demo tokens (fake strings, safe to show).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const portArg = args.find((a) => /^\d+$/.test(a));
  const prefixAt = args.indexOf('--prefix');
  const profileAt = args.indexOf('--profile');
  const profileArg = profileAt >= 0 ? args[profileAt + 1] : undefined;
  if (profileArg !== undefined && !isServerProfileName(profileArg)) {
    console.error(`unknown --profile "${profileArg}": use one of ${SERVER_PROFILE_NAMES.join(', ')}`);
    process.exit(2);
  }
  const sim = await startSimulator({
    state: createDemoState(),
    port: portArg ? Number(portArg) : 0,
    pathPrefix: prefixAt >= 0 ? args[prefixAt + 1] : undefined,
    profile: profileArg,
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

import { createDemoState, DEMO_ORG_SLUG, DEMO_TOKENS } from './fixtures/demo-org';
import { generateOrg, type GenerateOptions } from './fixtures/generate';
import type { ServerProfileName } from './profiles';
import { startSimulator, type RunningSimulator } from './server';

/**
 * The built-in simulator seeded with the demo organization, as the fronts open it; `profile`
 * (default sentry.io) lets tests run the same session against another server shape.
 */
export async function startDemoBackend(profile: ServerProfileName = 'saas'): Promise<{
  readonly simulator: RunningSimulator;
  readonly backend: { url: string; orgSlug: string; token: string; reset(): void };
}> {
  const simulator = await startSimulator({ state: createDemoState(), profile });
  return {
    simulator,
    backend: {
      url: simulator.url,
      orgSlug: DEMO_ORG_SLUG,
      token: DEMO_TOKENS.admin,
      reset: () => {
        Object.assign(simulator.state, createDemoState());
        simulator.faults.clear();
      },
    },
  };
}

/**
 * A generated organization playing the demo (the 5,000-member wizard test and benchmark): the same
 * backend shape as the demo's, with the generated admin token; reset generates it again.
 */
export async function startGeneratedDemoBackend(
  options: GenerateOptions,
  server: { readonly latencyMs?: number; readonly concurrentLimit?: number } = {},
): Promise<Awaited<ReturnType<typeof startDemoBackend>>> {
  const generated = generateOrg(options);
  const simulator = await startSimulator({ state: generated.state, ...server });
  return {
    simulator,
    backend: {
      url: simulator.url,
      orgSlug: generated.org.slug,
      token: generated.tokens.admin,
      reset: () => {
        Object.assign(simulator.state, generateOrg(options).state);
        simulator.faults.clear();
      },
    },
  };
}

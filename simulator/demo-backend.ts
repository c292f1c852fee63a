import { createDemoState, DEMO_ORG_SLUG, DEMO_TOKENS } from './fixtures/demo-org';
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

import { createDemoState, DEMO_ORG_SLUG, DEMO_TOKENS } from './fixtures/demo-org';
import { startSimulator, type RunningSimulator } from './server';

/** The built-in simulator seeded with the demo organization, as the fronts open it. */
export async function startDemoBackend(): Promise<{
  readonly simulator: RunningSimulator;
  readonly backend: { url: string; orgSlug: string; token: string; reset(): void };
}> {
  const simulator = await startSimulator({ state: createDemoState() });
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

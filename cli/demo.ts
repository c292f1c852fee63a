import { createDemoState, DEMO_ORG_SLUG, DEMO_TOKENS, startSimulator } from '../simulator/index';

export interface DemoTarget {
  readonly url: string;
  readonly orgSlug: string;
  /** The demo's fake admin token: only the built-in simulator accepts it. */
  readonly token: string;
  close(): Promise<void>;
}

/** Starts the built-in simulator on loopback, seeded with the demo organization. */
export async function startDemo(): Promise<DemoTarget> {
  const sim = await startSimulator({ state: createDemoState() });
  return { url: sim.url, orgSlug: DEMO_ORG_SLUG, token: DEMO_TOKENS.admin, close: () => sim.close() };
}

import { startSimulator } from './server';
import type { RunningSimulator, SimulatorOptions } from './server-types';
import { emptyState } from './state';

export interface RegionPair {
  /** sentry.io's role: control-silo endpoints; region endpoints 404 here. */
  control: RunningSimulator;
  /** us.sentry.io's role: every endpoint. */
  region: RunningSimulator;
  close(): Promise<void>;
}

/**
 * Two instances over one state, so a client can be tested following `links.regionUrl` and
 * `/users/me/regions/` from the control host to the region host.
 */
export async function startRegionPair(options: Omit<SimulatorOptions, 'silo' | 'regionUrl' | 'regions'> = {}): Promise<RegionPair> {
  const state = options.state ?? emptyState();
  const region = await startSimulator({ ...options, port: undefined, state, silo: 'region' });
  const control = await startSimulator({
    ...options,
    state,
    silo: 'control',
    regionUrl: region.url,
    regions: [{ name: 'us', url: region.url }],
  });
  return {
    control,
    region,
    async close() {
      await Promise.all([control.close(), region.close()]);
    },
  };
}

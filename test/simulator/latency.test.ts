import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoState, startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator';
import { call } from './helpers';

const O = '/api/0/organizations/acme-demo';
let sim: RunningSimulator;
afterEach(async () => {
  await sim?.close();
});

// simulator/server.ts: latencyMs is how long a request takes. A read's answer is computed when it
// is admitted and sent once the latency has passed, so the simulator's own work overlaps the
// latency (the audit-scale benchmark's bound assumes each request takes exactly the latency); a
// write waits the latency before it is applied.
describe('latency', () => {
  it('answers a read after latencyMs with the state it found on arrival', async () => {
    const state = createDemoState();
    sim = await startSimulator({ state, latencyMs: 300 });
    const org = state.organizations.find((o) => o.slug === 'acme-demo')!;
    const before = org.name;
    const t0 = performance.now();
    const pending = call(sim.url, `${O}/`);
    await sleep(100);
    org.name = 'Renamed while the read was under way';
    const res = await pending;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(295);
    expect(res.status).toBe(200);
    expect((res.json() as { name: string }).name).toBe(before);
  });

  it('applies a write only once the latency has passed', async () => {
    const state = createDemoState();
    sim = await startSimulator({ state, latencyMs: 300 });
    const org = state.organizations.find((o) => o.slug === 'acme-demo')!;
    const t0 = performance.now();
    const was = org.settings.enhancedPrivacy;
    const pending = call(sim.url, `${O}/`, { method: 'PUT', body: { enhancedPrivacy: !was } });
    await sleep(100);
    expect(org.settings.enhancedPrivacy).toBe(was);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(295);
    expect(org.settings.enhancedPrivacy).toBe(!was);
  });
});

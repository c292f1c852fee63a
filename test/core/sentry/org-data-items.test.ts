import { afterEach, describe, expect, it } from 'vitest';
import { SentryClient } from '../../../core/sentry/client';
import { createOrgData } from '../../../core/sentry/org-data';
import type { RunningSimulator } from '../../../simulator/index';
import { DEMO_ORG_SLUG, DEMO_TOKENS, createDemoState, startSimulator } from '../../../simulator/index';
import { FAST_SCHEDULER } from '../../helpers/demo-audit';

/** OrgData's list reads set odd items aside per item, over the real simulator. */
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function data(s: RunningSimulator) {
  const client = new SentryClient({ baseUrl: s.url, getToken: () => DEMO_TOKENS.admin, timeoutMs: 2_000, scheduler: FAST_SCHEDULER });
  return createOrgData(client, DEMO_ORG_SLUG);
}

describe('OrgData per-item reads', () => {
  it('keeps the invalid items of per-project key lists apart, indexed over the merged list', async () => {
    sim = await startSimulator({ state: createDemoState() });
    sim.faults.add({ method: 'GET', path: '/api/0/organizations/:org/project-keys/', kind: 'server_error', status: 404 });
    sim.faults.add({ method: 'GET', path: '/api/0/projects/:org/:project/keys/', kind: 'wrong_shape', field: 'isActive', value: 'yes', index: 0 });
    const keys = await data(sim).projectKeys();
    expect(keys.ok).toBe(true);
    if (!keys.ok) return;
    const invalid = keys.evidence.invalid ?? [];
    const projects = sim.state.organizations[0]?.projects.filter((p) => p.keys.length > 0) ?? [];
    expect(invalid).toHaveLength(projects.length);
    expect(new Set(invalid.map((i) => i.index)).size).toBe(invalid.length);
    expect(invalid.every((i) => i.field === 'isActive' && i.id !== undefined)).toBe(true);
    expect(keys.value.length + invalid.length).toBe(keys.evidence.items);
  });

  it('validates unpaginated lists (filters, org auth tokens) item by item', async () => {
    sim = await startSimulator({ state: createDemoState() });
    sim.faults.add({ method: 'GET', path: '/api/0/projects/:org/:project/filters/', kind: 'wrong_shape', field: 'active', value: 3, index: 1 });
    const project = sim.state.organizations[0]?.projects[0]?.slug ?? '';
    const filters = await data(sim).projectFilters(project);
    expect(filters.ok).toBe(true);
    if (!filters.ok) return;
    expect(filters.evidence.invalid).toEqual([{ index: 1, id: expect.any(String), field: 'active', message: expect.any(String) }]);
    expect(filters.value.length).toBe(filters.evidence.items - 1);
  });
});

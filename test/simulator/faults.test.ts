import { afterEach, describe, expect, it } from 'vitest';
import { createDemoState, generateOrg, startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator';
import { call, parseLink } from './helpers';

const O = '/api/0/organizations/acme-demo';
const KEYS = '/api/0/projects/:org/:project/keys/';
let sim: RunningSimulator;
afterEach(async () => {
  await sim?.close();
});

describe('fault injection', () => {
  it('latency delays matching requests only', async () => {
    sim = await startSimulator({ state: createDemoState() });
    sim.faults.add({ path: KEYS, kind: 'latency', latencyMs: 120 });
    const t0 = Date.now();
    expect((await call(sim.url, '/api/0/projects/acme-demo/ios-app/keys/')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
    const t1 = Date.now();
    await call(sim.url, `${O}/`);
    expect(Date.now() - t1).toBeLessThan(100);
  });

  it('rate_limited answers 429 with reset headers N times, then recovers', async () => {
    sim = await startSimulator({ state: createDemoState() });
    sim.faults.add({ method: 'GET', path: KEYS, kind: 'rate_limited', times: 2, resetInSec: 3 });
    const a = await call(sim.url, '/api/0/projects/acme-demo/ios-app/keys/');
    const b = await call(sim.url, '/api/0/projects/acme-demo/ios-app/keys/');
    const c = await call(sim.url, '/api/0/projects/acme-demo/ios-app/keys/');
    expect([a.status, b.status, c.status]).toEqual([429, 429, 200]);
    expect(a.headers.get('x-sentry-rate-limit-remaining')).toBe('0');
    expect(Number(a.headers.get('x-sentry-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(a.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((JSON.parse(a.text) as { detail: string }).detail).toMatch(/too frequently/);
  });

  it('server_error uses the configured status', async () => {
    sim = await startSimulator({ state: createDemoState() });
    sim.faults.add({ path: `${O}/members/`, kind: 'server_error', status: 502, times: 1 });
    expect((await call(sim.url, `${O}/members/`)).status).toBe(502);
    expect((await call(sim.url, `${O}/members/`)).status).toBe(200);
    sim.faults.add({ path: /\/teams\/$/, kind: 'server_error', status: 503 });
    expect((await call(sim.url, `${O}/teams/`)).status).toBe(503);
  });

  it('hang never answers (the client times out); close() still works', async () => {
    sim = await startSimulator({ state: createDemoState() });
    sim.faults.add({ path: `${O}/`, kind: 'hang' });
    const err = await fetch(`${sim.url}${O}/`, { signal: AbortSignal.timeout(150) }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as Error).name).toBe('TimeoutError');
  });

  it('reset destroys the socket', async () => {
    sim = await startSimulator({ state: createDemoState() });
    sim.faults.add({ path: `${O}/`, kind: 'reset', times: 1 });
    const err = await fetch(`${sim.url}${O}/`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TypeError);
    expect((await call(sim.url, `${O}/`)).status).toBe(200);
    expect(sim.requests.some((r) => r.status === 0)).toBe(true);
  });

  it('malformed_json sends invalid JSON with 200', async () => {
    sim = await startSimulator({ state: createDemoState() });
    sim.faults.add({ path: `${O}/projects/`, kind: 'malformed_json' });
    const res = await call(sim.url, `${O}/projects/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(() => JSON.parse(res.text)).toThrow();
  });

  it('wrong_shape: an object instead of an array, wrong field types, or a chosen field value', async () => {
    sim = await startSimulator({ state: createDemoState() });
    sim.faults.add({ path: `${O}/members/`, kind: 'wrong_shape' });
    const members = (await call(sim.url, `${O}/members/`)).json();
    expect(Array.isArray(members)).toBe(false);
    sim.faults.add({ path: `${O}/`, kind: 'wrong_shape' });
    expect(((await call(sim.url, `${O}/`)).json() as { require2FA: unknown }).require2FA).toBe('false');
    sim.faults.add({ path: '/api/0/projects/{org}/{project}/filters/', kind: 'wrong_shape', field: 'active', value: 42 });
    const filters = (await call(sim.url, '/api/0/projects/acme-demo/api-backend/filters/')).json() as { active: unknown }[];
    expect(filters.every((f) => f.active === 42)).toBe(true);
  });

  it('truncated_pagination: results="true" then a failing next page, or a later page without Link', async () => {
    sim = await startSimulator({ state: createDemoState() });
    sim.faults.add({ path: `${O}/teams/`, kind: 'truncated_pagination', status: 500 });
    const first = await call(sim.url, `${O}/teams/`);
    const next = parseLink(first.headers.get('link'))[1];
    expect(next?.results).toBe(true); // only 4 teams, but the Link says there are more
    const second = await call(sim.url, `${O}/teams/?cursor=${next?.cursor}`);
    expect(second.status).toBe(500);

    const gen = generateOrg({ projects: 150, keysPerProject: 1, members: 2, teams: 1, integrations: 0, seed: 5 });
    const big = await startSimulator({ state: gen.state });
    try {
      big.faults.add({ path: '/api/0/organizations/:org/projects/', kind: 'truncated_pagination', mode: 'missing_link' });
      const p1 = await call(big.url, `/api/0/organizations/${gen.org.slug}/projects/`, { token: gen.tokens.admin });
      const cursor = parseLink(p1.headers.get('link'))[1]?.cursor;
      const p2 = await call(big.url, `/api/0/organizations/${gen.org.slug}/projects/?cursor=${cursor}`, { token: gen.tokens.admin });
      expect(p2.status).toBe(200);
      expect(p2.headers.get('link')).toBeNull();
    } finally {
      await big.close();
    }
  });

  it('keeps a request log without tokens, and can reset it', async () => {
    sim = await startSimulator({ state: createDemoState() });
    await call(sim.url, `${O}/members/?per_page=5`);
    await call(sim.url, '/api/0/projects/acme-demo/ios-app/');
    expect(sim.requests.map((r) => [r.method, r.path, r.route, r.status])).toEqual([
      ['GET', `${O}/members/`, '/api/0/organizations/{org}/members/', 200],
      ['GET', '/api/0/projects/acme-demo/ios-app/', '/api/0/projects/{org}/{project}/', 200],
    ]);
    expect(sim.requests[0]?.query).toEqual({ per_page: '5' });
    expect(JSON.stringify(sim.requests)).not.toContain('sntryu_');
    sim.resetRequests();
    expect(sim.requests.length).toBe(0);
  });
});

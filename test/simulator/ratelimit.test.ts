import { afterEach, describe, expect, it } from 'vitest';
import { createDemoState, startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator';
import { call } from './helpers';

const O = '/api/0/organizations/acme-demo';
let sim: RunningSimulator;
afterEach(async () => {
  await sim?.close();
});

describe('rate limiting (REFERENCE.md 0.5)', () => {
  it('sends Limit/Remaining/Reset (epoch seconds) and no concurrent headers by default', async () => {
    sim = await startSimulator({ state: createDemoState() });
    const res = await call(sim.url, `${O}/`);
    const reset = Number(res.headers.get('x-sentry-rate-limit-reset'));
    expect(res.headers.get('x-sentry-rate-limit-limit')).toMatch(/^\d+$/);
    expect(res.headers.get('x-sentry-rate-limit-remaining')).toMatch(/^\d+$/);
    expect(Math.abs(reset - Date.now() / 1000)).toBeLessThan(5);
    expect(res.headers.get('x-sentry-rate-limit-concurrentlimit')).toBeNull();
    expect(res.headers.get('retry-after')).toBeNull();
  });

  it('self-hosted sends no rate-limit headers', async () => {
    sim = await startSimulator({ state: createDemoState(), selfHosted: true, concurrentLimit: 1 });
    const res = await call(sim.url, `${O}/`);
    expect(res.status).toBe(200);
    expect([...res.headers.keys()].filter((k) => k.startsWith('x-sentry-rate-limit'))).toEqual([]);
  });

  it('enforces the concurrency limit with the real 429 body, as text/html', async () => {
    sim = await startSimulator({ state: createDemoState(), concurrentLimit: 2, latencyMs: 150 });
    const results = await Promise.all([1, 2, 3, 4].map(() => call(sim.url, `${O}/`)));
    const ok = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 429);
    expect(ok.length).toBe(2);
    expect(limited.length).toBe(2);
    for (const r of ok) {
      expect(r.headers.get('x-sentry-rate-limit-concurrentlimit')).toBe('2');
      expect(['0', '1']).toContain(r.headers.get('x-sentry-rate-limit-concurrentremaining'));
    }
    for (const r of limited) {
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(JSON.parse(r.text)).toEqual({
        detail: 'You are attempting to go above the allowed concurrency for this endpoint. Concurrency limit is 2',
      });
      expect(r.headers.get('x-sentry-rate-limit-concurrentremaining')).toBe('0');
    }
    // Slots are released: the next request passes.
    expect((await call(sim.url, `${O}/`)).status).toBe(200);
    // Another endpoint has its own bucket.
    const parallel = await Promise.all([call(sim.url, `${O}/`), call(sim.url, `${O}/members/`), call(sim.url, `${O}/teams/`)]);
    expect(parallel.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('enforces an optional fixed window; the 429 omits ConcurrentRemaining', async () => {
    sim = await startSimulator({ state: createDemoState(), rateLimit: { limit: 2, windowSec: 60 }, concurrentLimit: 5 });
    const a = await call(sim.url, `${O}/`);
    const b = await call(sim.url, `${O}/`);
    const c = await call(sim.url, `${O}/`);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 429]);
    expect(a.headers.get('x-sentry-rate-limit-remaining')).toBe('1');
    expect(b.headers.get('x-sentry-rate-limit-remaining')).toBe('0');
    expect(JSON.parse(c.text)).toEqual({ detail: 'You are attempting to use this endpoint too frequently. Limit is 2 requests in 60 seconds' });
    expect(c.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(c.headers.get('x-sentry-rate-limit-concurrentlimit')).toBe('5');
    expect(c.headers.get('x-sentry-rate-limit-concurrentremaining')).toBeNull();
    expect(Number(c.headers.get('x-sentry-rate-limit-reset')) % 60).toBe(0);
  });
});

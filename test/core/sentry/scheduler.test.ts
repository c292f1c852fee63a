import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SentryClient } from '../../../core/sentry/client';
import { FAST_RETRIES, makeClient } from './helpers/client';
import { rejection, serverPool } from './helpers/lifecycle';
import { TOKEN, virtualTime } from './helpers/fake-sentry';

const Obj = z.looseObject({ ok: z.boolean() });
const PATH = '/api/0/organizations/acme/';

const server = serverPool();

const RATE_BODY = 'You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds';

describe('rate limits', () => {
  it('on 429 waits until X-Sentry-Rate-Limit-Reset (epoch seconds), then succeeds', async () => {
    const time = virtualTime();
    let calls = 0;
    const s = await server(() => {
      calls += 1;
      if (calls === 1) {
        const reset = Math.floor(time.now() / 1000) + 3;
        return {
          status: 429,
          // Sentry's 429 is a bare Django response: JSON bytes labelled text/html.
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'x-sentry-rate-limit-limit': '40',
            'x-sentry-rate-limit-remaining': '0',
            'x-sentry-rate-limit-reset': String(reset),
          },
          body: JSON.stringify({ detail: RATE_BODY }),
        };
      }
      return { body: { ok: true } };
    });
    const client = makeClient(s, { scheduler: { ...FAST_RETRIES, jitterMs: 0, sleep: time.sleep, now: time.now } });
    const value = await client.request('GET', PATH, { schema: Obj });
    expect(value.ok).toBe(true);
    expect(time.slept).toEqual([3000]);
    expect(client.stats()).toMatchObject({ requestsSent: 2, rateLimited: 1, retries: 1 });
  });

  it('corrects Reset for a server clock that is off (Date header)', async () => {
    const time = virtualTime();
    const serverSkewMs = 3_600_000;
    let calls = 0;
    const s = await server(() => {
      if (++calls > 1) return { body: { ok: true } };
      const serverNow = time.now() + serverSkewMs;
      return {
        status: 429,
        headers: {
          date: new Date(serverNow).toUTCString(),
          'x-sentry-rate-limit-reset': String(Math.floor(serverNow / 1000) + 2),
        },
        body: RATE_BODY,
      };
    });
    const client = makeClient(s, { scheduler: { ...FAST_RETRIES, jitterMs: 0, sleep: time.sleep, now: time.now } });
    await client.request('GET', PATH, { schema: Obj });
    expect(time.slept).toEqual([2000]);
  });

  it('honours Retry-After when a proxy adds one', async () => {
    const time = virtualTime();
    let calls = 0;
    const s = await server(() => (++calls === 1 ? { status: 429, headers: { 'retry-after': '7' }, body: { detail: RATE_BODY } } : { body: { ok: true } }));
    const client = makeClient(s, { scheduler: { ...FAST_RETRIES, jitterMs: 0, sleep: time.sleep, now: time.now } });
    await client.request('GET', PATH, { schema: Obj });
    expect(time.slept).toEqual([7000]);
  });

  it('429 forever ends as rate_limited after a bounded number of retries', async () => {
    const time = virtualTime();
    const s = await server(() => ({
      status: 429,
      headers: { 'x-sentry-rate-limit-reset': String(Math.floor(time.now() / 1000) + 1), 'x-sentry-rate-limit-remaining': '0' },
      body: RATE_BODY,
    }));
    const client = makeClient(s, { scheduler: { maxRateLimitRetries: 3, jitterMs: 0, sleep: time.sleep, now: time.now } });
    const e = await rejection(client.request('GET', PATH, { schema: Obj }));
    expect(e.code).toBe('rate_limited');
    expect(e.message).toContain(`GET ${PATH}`);
    expect(s.requests).toHaveLength(4);
    expect(client.stats()).toMatchObject({ requestsSent: 4, rateLimited: 4, retries: 3 });
  });

  it('retries a rate-limited PUT (Sentry did not process it)', async () => {
    const time = virtualTime();
    let calls = 0;
    const s = await server(() => (++calls === 1 ? { status: 429, body: RATE_BODY } : { body: { ok: true } }));
    const client = makeClient(s, { scheduler: { ...FAST_RETRIES, sleep: time.sleep, now: time.now } });
    await client.request('PUT', PATH, { body: { require2FA: true }, schema: Obj });
    expect(s.hits('PUT', PATH)).toBe(2);
  });

  it('waits for Reset when Remaining reaches 0 before sending the next request', async () => {
    const time = virtualTime();
    const s = await server(() => ({
      headers: {
        'x-sentry-rate-limit-remaining': '0',
        'x-sentry-rate-limit-reset': String(Math.floor(time.now() / 1000) + 2),
      },
      body: { ok: true },
    }));
    const client = makeClient(s, { scheduler: { jitterMs: 0, sleep: time.sleep, now: time.now } });
    await client.request('GET', PATH, { schema: Obj });
    expect(time.slept).toEqual([]);
    await client.request('GET', PATH, { schema: Obj });
    expect(time.slept).toEqual([2000]);
  });

  it('never has more requests in flight than the advertised ConcurrentLimit', async () => {
    const s = await server(() => ({
      delayMs: 15,
      headers: { 'x-sentry-rate-limit-concurrentlimit': '3', 'x-sentry-rate-limit-concurrentremaining': '1' },
      body: { ok: true },
    }));
    const client = makeClient(s);
    await Promise.all(Array.from({ length: 24 }, () => client.request('GET', PATH, { schema: Obj })));
    expect(s.maxInFlight()).toBeLessThanOrEqual(3);
    expect(s.maxInFlight()).toBeGreaterThanOrEqual(2);
    expect(client.stats().concurrencyLimit).toBe(3);
    expect(client.stats().requestsSent).toBe(24);
  });

  it('uses a higher advertised limit exactly, and a modest default without one', async () => {
    const advertised = await server(() => ({ delayMs: 30, headers: { 'x-sentry-rate-limit-concurrentlimit': '6' }, body: { ok: true } }));
    const c1 = makeClient(advertised);
    await Promise.all(Array.from({ length: 30 }, () => c1.request('GET', PATH, { schema: Obj })));
    expect(advertised.maxInFlight()).toBe(6);
    const silent = await server(() => ({ delayMs: 30, body: { ok: true } }));
    const c2 = makeClient(silent);
    await Promise.all(Array.from({ length: 30 }, () => c2.request('GET', PATH, { schema: Obj })));
    // No advertised limit: it starts at 4 and probes upwards slowly, never past 8 (issue 10).
    expect(silent.maxInFlight()).toBeGreaterThanOrEqual(4);
    expect(silent.maxInFlight()).toBeLessThanOrEqual(8);
    const serial = await server(() => ({ delayMs: 5, headers: { 'x-sentry-rate-limit-concurrentlimit': '6' }, body: { ok: true } }));
    const c3 = makeClient(serial, { scheduler: { maxConcurrency: 1 } });
    await Promise.all(Array.from({ length: 10 }, () => c3.request('GET', PATH, { schema: Obj })));
    expect(serial.maxInFlight()).toBe(1);
  });
});

describe('no rate-limit headers (self-hosted)', () => {
  it('starts at 4, grows slowly and halves on 429s, settling under a limit it was never told', async () => {
    let busy = 0;
    let served = 0;
    const s = await server(async () => {
      // A server that enforces 3 at once but advertises nothing, as a proxy in front of self-hosted Sentry may.
      if (busy >= 3) return { status: 429, body: RATE_BODY };
      busy += 1;
      await new Promise((r) => setTimeout(r, 10));
      busy -= 1;
      served += 1;
      return { body: { ok: true } };
    });
    const client = makeClient(s, { scheduler: { ...FAST_RETRIES, maxRateLimitRetries: 8, backoffBaseMs: 1, backoffMaxMs: 5, jitterMs: 0 } });
    const results = await Promise.all(Array.from({ length: 60 }, () => client.request('GET', PATH, { schema: Obj })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(served).toBe(60);
    const stats = client.stats();
    expect(stats.rateLimited).toBeGreaterThan(0);
    // After the 429s it runs below the server's real limit, not at the default of 4.
    expect(stats.concurrencyLimit).toBeLessThanOrEqual(3);
  });

  it('grows to the adaptive ceiling on a server that never objects', async () => {
    const s = await server(() => ({ delayMs: 5, body: { ok: true } }));
    const client = makeClient(s, { scheduler: { maxAdaptiveConcurrency: 6 } });
    await Promise.all(Array.from({ length: 200 }, () => client.request('GET', PATH, { schema: Obj })));
    expect(client.stats().concurrencyLimit).toBe(6);
    expect(s.maxInFlight()).toBe(6);
  });
});

describe('retries', () => {
  it('retries a 5xx GET, then succeeds', async () => {
    let calls = 0;
    const s = await server(() => (++calls <= 2 ? { status: 502, body: 'bad gateway' } : { body: { ok: true } }));
    const client = makeClient(s);
    expect((await client.request('GET', PATH, { schema: Obj })).ok).toBe(true);
    expect(client.stats()).toMatchObject({ requestsSent: 3, retries: 2 });
  });

  it('a 5xx that persists ends as server_error', async () => {
    const s = await server(() => ({ status: 503, body: { detail: 'down' } }));
    const e = await rejection(makeClient(s).request('GET', PATH, { schema: Obj }));
    expect(e.code).toBe('server_error');
    expect(s.requests).toHaveLength(4);
  });

  it('does not retry a 5xx PUT (Sentry may have applied it)', async () => {
    const s = await server(() => ({ status: 500, body: { detail: 'oops' } }));
    const e = await rejection(makeClient(s).request('PUT', PATH, { body: {}, schema: Obj }));
    expect(e.code).toBe('server_error');
    expect(s.requests).toHaveLength(1);
  });

  it('a hanging GET is retried, then fails as timeout naming the endpoint', async () => {
    const s = await server(() => 'hang');
    const client = makeClient(s, { timeoutMs: 100, scheduler: { ...FAST_RETRIES, maxTransientRetries: 2 } });
    const e = await rejection(client.request('GET', PATH, { schema: Obj }));
    expect(e.code).toBe('timeout');
    expect(e.networkCause).toBe('timeout');
    expect(e.message).toContain(`GET ${PATH}`);
    expect(e.message).toContain('100 ms');
    expect(s.requests).toHaveLength(3);
  });

  it('a connection reset on GET is retried, then succeeds', async () => {
    let calls = 0;
    const s = await server(() => (++calls === 1 ? 'reset' : { body: { ok: true } }));
    const client = makeClient(s);
    expect((await client.request('GET', PATH, { schema: Obj })).ok).toBe(true);
    expect(s.requests).toHaveLength(2);
  });

  it('a connection reset that persists is unreachable', async () => {
    const s = await server(() => 'reset');
    const e = await rejection(makeClient(s).request('GET', PATH, { schema: Obj }));
    expect(e.code).toBe('unreachable');
    expect(e.networkCause).toBe('reset');
    expect(s.requests).toHaveLength(4);
  });

  it('a PUT is not retried after a reset or a timeout', async () => {
    const reset = await server(() => 'reset');
    const e1 = await rejection(makeClient(reset).request('PUT', PATH, { body: { a: 1 }, schema: Obj }));
    expect(e1.code).toBe('unreachable');
    expect(reset.requests).toHaveLength(1);
    const hang = await server(() => 'hang');
    const e2 = await rejection(makeClient(hang, { timeoutMs: 100 }).request('PUT', PATH, { body: { a: 1 }, schema: Obj }));
    expect(e2.code).toBe('timeout');
    expect(hang.requests).toHaveLength(1);
  });

  it('a refused connection is retried even for a write, then reported as unreachable', async () => {
    // A port that was just free: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as net.AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    const client = new SentryClient({
      baseUrl: `http://127.0.0.1:${port}`,
      getToken: () => TOKEN,
      scheduler: { ...FAST_RETRIES, maxTransientRetries: 2 },
    });
    const e = await rejection(client.request('DELETE', PATH, { expectNoContent: true }));
    expect(e.code).toBe('unreachable');
    expect(e.networkCause).toBe('refused');
    expect(e.message).toMatch(/refused the connection/);
    expect(client.stats()).toMatchObject({ requestsSent: 3, retries: 2 });
  });

  it('cancellation stops waiting and reports cancelled', async () => {
    const s = await server(() => 'hang');
    const controller = new AbortController();
    const client = makeClient(s, { signal: controller.signal, timeoutMs: 5000 });
    const p = rejection(client.request('GET', PATH, { schema: Obj }));
    setTimeout(() => controller.abort(), 30);
    const e = await p;
    expect(e.code).toBe('cancelled');
    expect(s.requests).toHaveLength(1);
  });
});

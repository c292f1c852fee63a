import { describe, expect, it } from 'vitest';
import { RequestScheduler } from '../../../core/sentry/scheduler';
import type { TransportResponse } from '../../../core/sentry/transport';

// The order in which waiting requests are served (the queues behind the concurrency limit).

const OK: TransportResponse = { status: 200, headers: {}, body: Buffer.from('{}') };

function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('waiting requests', () => {
  it('are served one slot at a time, urgent ones (next pages) first, each kind in arrival order; a cancelled one leaves the queue', async () => {
    const s = new RequestScheduler({ maxConcurrency: 1 });
    const order: string[] = [];
    const first = gate();
    const run = (name: string, opts: { urgent?: boolean; signal?: AbortSignal } = {}) =>
      s.run({ method: 'GET', endpoint: `GET /${name}/`, ...opts }, async () => {
        order.push(name);
        if (name === 'first') await first.promise;
        return OK;
      });
    const running = [run('first')];
    await new Promise((r) => setImmediate(r));
    const cancel = new AbortController();
    running.push(run('a'), run('gone', { signal: cancel.signal }), run('b'), run('u1', { urgent: true }), run('c'), run('u2', { urgent: true }));
    cancel.abort();
    first.open();
    const results = await Promise.allSettled(running);
    expect(order).toEqual(['first', 'u1', 'u2', 'a', 'b', 'c']);
    expect(results[2]?.status).toBe('rejected');
    expect(s.stats().maxInFlight).toBe(1);
  });

  it('thousands waiting drain in order without quadratic cost', async () => {
    const s = new RequestScheduler({ maxConcurrency: 10 });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 20_000 }, (_, i) => s.run({ method: 'GET', endpoint: 'GET /x/' }, async () => {
      order.push(i);
      return OK;
    })));
    expect(order).toHaveLength(20_000);
    expect(order.every((v, i) => i === 0 || v > (order[i - 1] as number))).toBe(true);
  });
});

import { SentryApiError } from './errors';
import type { HttpMethod, TransportResponse } from './transport';

export interface SchedulerOptions {
  /** Parallel requests until Sentry advertises X-Sentry-Rate-Limit-ConcurrentLimit. */
  readonly initialConcurrency?: number;
  /**
   * With no advertised limit (self-hosted Sentry often sends no rate-limit headers), the
   * concurrency grows from `initialConcurrency` by one after each run of successes, up to this,
   * and halves on every 429 (default 8).
   */
  readonly maxAdaptiveConcurrency?: number;
  /** Our own ceiling, below any advertised limit (e.g. 1 for a serial run). */
  readonly maxConcurrency?: number;
  /** Retries after a 429. */
  readonly maxRateLimitRetries?: number;
  /** Retries after a 5xx, a reset or a timeout (idempotent methods only). */
  readonly maxTransientRetries?: number;
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** Longest we wait for a rate-limit window; a later Reset is treated as this. */
  readonly maxRateLimitWaitMs?: number;
  /** Upper bound of the random delay added to every computed wait. */
  readonly jitterMs?: number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Epoch milliseconds. */
  readonly now?: () => number;
  /** In [0, 1). */
  readonly random?: () => number;
}

export interface SchedulerStats {
  /** Every HTTP attempt, retries included. */
  readonly requestsSent: number;
  readonly rateLimited: number;
  readonly retries: number;
  /** The concurrency now in force. */
  readonly concurrencyLimit: number;
  /** The most requests we ever had in flight at once. */
  readonly maxInFlight: number;
}

export interface ScheduledRequest {
  readonly method: HttpMethod;
  /** `METHOD /path` for messages. */
  readonly endpoint: string;
  readonly signal?: AbortSignal;
  /**
   * A request a chain waits on (the next page of a list): served before other waiting requests,
   * so a 50-page member list keeps moving while 1,000 project reads fan out behind it.
   */
  readonly urgent?: boolean;
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD']);

function intHeader(headers: Readonly<Record<string, string>>, name: string): number | undefined {
  const v = headers[name];
  if (v === undefined || !/^\s*-?\d+(\.\d+)?\s*$/.test(v)) return undefined;
  return Math.floor(Number(v));
}

/**
 * Runs requests within Sentry's advertised limits (REFERENCE.md 0.5): bounded concurrency that
 * adopts X-Sentry-Rate-Limit-ConcurrentLimit, a pause until Reset when Remaining reaches 0 or a
 * 429 arrives, and bounded retries. Writes are retried only when Sentry certainly did not
 * process them (429, connection refused).
 */
export class RequestScheduler {
  private readonly initialConcurrency: number;
  private readonly maxConcurrency: number;
  private readonly maxRateLimitRetries: number;
  private readonly maxTransientRetries: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly maxRateLimitWaitMs: number;
  private readonly jitterMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;

  /** Lowest ConcurrentLimit seen: limits are per endpoint, so the lowest is safe for all. */
  private advertisedLimit: number | undefined;
  private inFlight = 0;
  private pauseUntil = 0;
  /** Set when ConcurrentRemaining hit 0: start nothing until one of ours completes. */
  private hold = false;
  /** The concurrency we allow ourselves while no limit is advertised (additive increase, halved on 429). */
  private adaptiveLimit: number;
  private maxAdaptive: number;
  private successStreak = 0;
  /** Bumped at each cut: the 429s of one burst cut once, not once each. */
  private adaptEpoch = 0;
  /** Until the first answer arrives we send one request alone: it may advertise a lower limit. */
  private probed = false;
  /** Waiting requests, urgent ones served first, each queue FIFO (a slot is null once its waiter left). */
  private readonly queues = { urgent: new WaitQueue(), normal: new WaitQueue() };
  /** Waiters woken whose turn has not run yet. */
  private woken = 0;
  private counters = { requestsSent: 0, rateLimited: 0, retries: 0, maxInFlight: 0 };

  constructor(options: SchedulerOptions = {}) {
    this.maxConcurrency = Math.max(1, options.maxConcurrency ?? Number.POSITIVE_INFINITY);
    this.initialConcurrency = Math.max(1, options.initialConcurrency ?? 4);
    this.adaptiveLimit = this.initialConcurrency;
    this.maxAdaptive = Math.max(this.initialConcurrency, options.maxAdaptiveConcurrency ?? 8);
    this.maxRateLimitRetries = options.maxRateLimitRetries ?? 4;
    this.maxTransientRetries = options.maxTransientRetries ?? 3;
    this.backoffBaseMs = options.backoffBaseMs ?? 500;
    this.backoffMaxMs = options.backoffMaxMs ?? 10_000;
    this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 60_000;
    this.jitterMs = options.jitterMs ?? 250;
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  get limit(): number {
    return Math.min(this.maxConcurrency, this.advertisedLimit ?? this.adaptiveLimit);
  }

  stats(): SchedulerStats {
    return { ...this.counters, concurrencyLimit: this.limit };
  }

  /**
   * Runs `attempt` (one HTTP exchange) until it yields a final response: a 429 or 5xx is
   * returned as is once retries are spent, for the caller to map to an error.
   */
  async run(req: ScheduledRequest, attempt: () => Promise<TransportResponse>): Promise<TransportResponse> {
    const idempotent = IDEMPOTENT.has(req.method);
    let rateLimitRetries = 0;
    let transientRetries = 0;
    for (;;) {
      await this.acquire(req);
      const ourInFlight = this.inFlight;
      const epoch = this.adaptEpoch;
      let res: TransportResponse;
      try {
        this.counters.requestsSent += 1;
        res = await attempt();
      } catch (e) {
        this.release();
        const retryable =
          e instanceof SentryApiError &&
          (e.networkCause === 'refused' ||
            (idempotent && (e.networkCause === 'reset' || e.networkCause === 'timeout' || (e.networkCause === 'dns' && e.retryable))));
        if (!retryable || transientRetries >= this.maxTransientRetries) throw e;
        transientRetries += 1;
        this.counters.retries += 1;
        await this.sleepOrCancel(this.backoff(transientRetries), req);
        continue;
      }
      this.release();
      this.observe(res, ourInFlight, epoch);
      if (res.status === 429) {
        this.counters.rateLimited += 1;
        if (rateLimitRetries >= this.maxRateLimitRetries) return res;
        rateLimitRetries += 1;
        this.counters.retries += 1;
        // Every caller shares the window, so everyone waits, not only this request.
        this.pauseAll(this.rateLimitWait(res, rateLimitRetries));
        continue;
      }
      if (res.status >= 500 && idempotent && transientRetries < this.maxTransientRetries) {
        transientRetries += 1;
        this.counters.retries += 1;
        await this.sleepOrCancel(this.backoff(transientRetries), req);
        continue;
      }
      return res;
    }
  }

  private backoff(attempt: number): number {
    const exp = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (attempt - 1));
    return exp + this.random() * this.jitterMs;
  }

  /** How long to wait after a 429: Retry-After if an edge proxy set it, else until Reset. */
  private rateLimitWait(res: TransportResponse, attempt: number): number {
    const retryAfter = res.headers['retry-after'];
    if (retryAfter !== undefined) {
      const secs = /^\s*\d+\s*$/.test(retryAfter) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - this.now();
      if (Number.isFinite(secs)) return this.clampWait(secs) + this.random() * this.jitterMs;
    }
    const untilReset = this.untilReset(res);
    if (untilReset !== undefined) return this.clampWait(untilReset) + this.random() * this.jitterMs;
    return this.backoff(attempt);
  }

  /** Milliseconds until X-Sentry-Rate-Limit-Reset, corrected for a skewed server clock. */
  private untilReset(res: TransportResponse): number | undefined {
    const reset = intHeader(res.headers, 'x-sentry-rate-limit-reset');
    if (reset === undefined) return undefined;
    let resetMs = reset * 1000;
    const date = res.headers['date'] === undefined ? NaN : Date.parse(res.headers['date']);
    if (Number.isFinite(date)) {
      // Date has one-second resolution: only correct a skew that matters.
      const skew = this.now() - date;
      if (Math.abs(skew) > 2000) resetMs += skew;
    }
    return resetMs - this.now();
  }

  private clampWait(ms: number): number {
    return Math.min(this.maxRateLimitWaitMs, Math.max(0, ms));
  }

  private pauseAll(ms: number): void {
    this.pauseUntil = Math.max(this.pauseUntil, this.now() + ms);
  }

  /**
   * Learns the limits a response advertises. `ourInFlight` is how many of our requests were in
   * flight when this one started, itself included.
   */
  private observe(res: TransportResponse, ourInFlight: number, epoch: number): void {
    const limit = intHeader(res.headers, 'x-sentry-rate-limit-concurrentlimit');
    if (limit !== undefined && limit >= 1) {
      const before = this.limit;
      this.advertisedLimit = this.advertisedLimit === undefined ? limit : Math.min(this.advertisedLimit, limit);
      if (this.limit > before) this.wakeAll();
    }
    if (this.advertisedLimit === undefined) this.adapt(res.status === 429, epoch);
    const concurrentRemaining = intHeader(res.headers, 'x-sentry-rate-limit-concurrentremaining');
    // No slot left although we did not fill them all: another client of the same user holds
    // some, so start nothing more until one of ours completes.
    if (
      concurrentRemaining !== undefined &&
      concurrentRemaining <= 0 &&
      ourInFlight < this.limit &&
      this.inFlight > 0
    ) {
      this.hold = true;
    }
    const remaining = intHeader(res.headers, 'x-sentry-rate-limit-remaining');
    if (remaining !== undefined && remaining <= 0 && res.status !== 429) {
      const untilReset = this.untilReset(res);
      if (untilReset !== undefined && untilReset > 0) this.pauseAll(this.clampWait(untilReset) + this.random() * this.jitterMs);
    }
  }

  /**
   * No advertised limit: probe upwards slowly (one more slot after twice the current limit of
   * successes in a row); on a 429 halve, and never again reach the level that drew it, so a
   * server that only answers 429 settles below its real limit instead of being hammered.
   */
  private adapt(rateLimited: boolean, epoch: number): void {
    if (rateLimited) {
      if (epoch !== this.adaptEpoch) return;
      this.adaptEpoch += 1;
      this.maxAdaptive = Math.max(1, Math.min(this.maxAdaptive, this.adaptiveLimit - 1));
      this.adaptiveLimit = Math.max(1, Math.floor(this.adaptiveLimit / 2));
      this.successStreak = 0;
      return;
    }
    this.successStreak += 1;
    if (this.successStreak >= 2 * this.adaptiveLimit && this.adaptiveLimit < this.maxAdaptive) {
      this.adaptiveLimit += 1;
      this.successStreak = 0;
    }
  }

  private async acquire(req: ScheduledRequest): Promise<void> {
    for (;;) {
      if (req.signal?.aborted) throw this.cancelled(req);
      const wait = this.pauseUntil - this.now();
      if (wait > 0) {
        await this.sleepOrCancel(wait, req);
        continue;
      }
      const limit = this.probed ? this.limit : 1;
      if (this.inFlight < limit && !this.hold) {
        this.inFlight += 1;
        this.counters.maxInFlight = Math.max(this.counters.maxInFlight, this.inFlight);
        return;
      }
      let wokenUp = false;
      await new Promise<void>((resolve) => {
        const waiter = (): void => {
          wokenUp = true;
          req.signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const queue = req.urgent ? this.queues.urgent : this.queues.normal;
        // An aborted waiter leaves the queue, so a wake-up is never spent on it.
        const onAbort = (): void => {
          queue.remove(waiter);
          resolve();
        };
        req.signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
      });
      if (wokenUp) this.woken -= 1;
    }
  }

  private release(): void {
    this.probed = true;
    this.inFlight -= 1;
    this.hold = false;
    this.wakeFree();
  }

  /**
   * Wakes as many waiters as there are free slots, oldest first. Waking every waiter on each
   * release made a queue of n requests cost O(n^2) wake-ups (1,000 project reads at once).
   */
  private wakeFree(): void {
    const limit = this.probed ? this.limit : 1;
    // Woken waiters that have not run yet hold their slot: waking more would send the surplus
    // back to the end of the queue, out of order.
    let free = limit - this.inFlight - this.woken;
    while (free > 0) {
      const wake = this.queues.urgent.shift() ?? this.queues.normal.shift();
      if (!wake) return;
      this.woken += 1;
      wake();
      free -= 1;
    }
  }

  private wakeAll(): void {
    for (const queue of [this.queues.urgent, this.queues.normal]) {
      for (let wake = queue.shift(); wake; wake = queue.shift()) {
        this.woken += 1;
        wake();
      }
    }
  }

  private async sleepOrCancel(ms: number, req: ScheduledRequest): Promise<void> {
    try {
      await this.sleep(ms, req.signal);
    } catch {
      throw this.cancelled(req);
    }
    if (req.signal?.aborted) throw this.cancelled(req);
  }

  private cancelled(req: ScheduledRequest): SentryApiError {
    return new SentryApiError({ code: 'cancelled', endpoint: req.endpoint, message: `${req.endpoint}: cancelled.` });
  }
}

/**
 * A FIFO of waiters with O(1) push and shift (Array#shift moved all 10,000 waiting project reads
 * on every wake-up at 10,000 projects) and removal by blanking the slot.
 */
class WaitQueue {
  private items: ((() => void) | null)[] = [];
  private head = 0;

  push(waiter: () => void): void {
    this.items.push(waiter);
  }

  shift(): (() => void) | undefined {
    while (this.head < this.items.length) {
      const w = this.items[this.head];
      this.items[this.head++] = null;
      if (w) return w;
    }
    // Drained: start over so the array does not grow forever.
    this.items = [];
    this.head = 0;
    return undefined;
  }

  remove(waiter: () => void): void {
    const i = this.items.indexOf(waiter, this.head);
    if (i >= 0) this.items[i] = null;
  }
}

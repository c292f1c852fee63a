/**
 * Sentry's API rate limiter (REFERENCE.md 0.5): a fixed window per (caller, endpoint, method)
 * and, when configured, a concurrency limit. Headers on every response that went through it;
 * the 429 body is JSON sent as text/html, as Django's bare HttpResponse does.
 */

export interface RateLimitConfig {
  limit: number;
  windowSec: number;
}

export interface Admission {
  headers: Record<string, string>;
  /** Set when refused: the 429 body. */
  refused?: { detail: string };
  release: () => void;
}

/** Advertised when no fixed window is configured; not enforced. */
const ADVERTISED_DEFAULT: RateLimitConfig = { limit: 1000, windowSec: 1 };

export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  private inflight = new Map<string, number>();

  constructor(
    private readonly fixed: RateLimitConfig | undefined,
    private readonly concurrentLimit: number | undefined,
    private readonly nowMs: () => number,
  ) {}

  admit(key: string): Admission {
    const cfg = this.fixed ?? ADVERTISED_DEFAULT;
    const nowSec = this.nowMs() / 1000;
    const start = Math.floor(nowSec / cfg.windowSec) * cfg.windowSec;
    let w = this.windows.get(key);
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    const headers: Record<string, string> = {
      'X-Sentry-Rate-Limit-Limit': String(cfg.limit),
      'X-Sentry-Rate-Limit-Remaining': String(Math.max(0, cfg.limit - w.count)),
      'X-Sentry-Rate-Limit-Reset': String(start + cfg.windowSec),
    };
    if (this.concurrentLimit !== undefined) headers['X-Sentry-Rate-Limit-ConcurrentLimit'] = String(this.concurrentLimit);
    const noop = (): void => {};
    if (this.fixed && w.count > this.fixed.limit) {
      // The concurrent check is skipped on a fixed-window breach: no ConcurrentRemaining.
      return {
        headers,
        refused: {
          detail: `You are attempting to use this endpoint too frequently. Limit is ${this.fixed.limit} requests in ${this.fixed.windowSec} seconds`,
        },
        release: noop,
      };
    }
    if (this.concurrentLimit === undefined) return { headers, release: noop };
    const current = this.inflight.get(key) ?? 0;
    if (current >= this.concurrentLimit) {
      headers['X-Sentry-Rate-Limit-ConcurrentRemaining'] = '0';
      return {
        headers,
        refused: {
          detail: `You are attempting to go above the allowed concurrency for this endpoint. Concurrency limit is ${this.concurrentLimit}`,
        },
        release: noop,
      };
    }
    this.inflight.set(key, current + 1);
    headers['X-Sentry-Rate-Limit-ConcurrentRemaining'] = String(this.concurrentLimit - current - 1);
    let released = false;
    return {
      headers,
      release: () => {
        if (released) return;
        released = true;
        const n = (this.inflight.get(key) ?? 1) - 1;
        if (n <= 0) this.inflight.delete(key);
        else this.inflight.set(key, n);
      },
    };
  }
}

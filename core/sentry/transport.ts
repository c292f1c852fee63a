import { sha256Hex } from '../primitives/hash';
import { SentryApiError } from './errors';
import { endpointOf } from './http-transport';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

export interface TransportRequest {
  readonly method: HttpMethod;
  /** Validated base (origin + path prefix), e.g. `https://us.sentry.io`. */
  readonly base: string;
  /** `/api/0/...` with an encoded query string when there is one. */
  readonly pathAndQuery: string;
  /** JSON text. */
  readonly body?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface TransportResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body bytes as received (after content decoding); we parse JSON ourselves. */
  readonly body: Buffer;
  /** When it was fetched (UTC ISO), if not now: a replayed response keeps its original time. */
  readonly fetchedAt?: string;
  /**
   * Set by the replay transport alone: the body is an evidence package's stored body, redacted
   * when it was first recorded, with its SHA-256 checked against the record. The client records
   * it as it is instead of redacting it again (verify replays 12,800 of them at 10,000 projects).
   */
  readonly stored?: { readonly text: string; readonly sha256: string };
}

/**
 * Sends one HTTP request. Implementations throw only `SentryApiError` (`unreachable`, `timeout`,
 * `tls`, `cancelled`, ...), never a library error: those carry the request headers, hence the token.
 */
export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
  close?(): void;
}

/** One HTTP response as evidence may cite it. Never holds request headers. */
export interface ResponseRecord {
  readonly method: HttpMethod;
  /** Base the request went to (origin + path prefix). */
  readonly origin: string;
  /** `/api/0/...` path plus query. */
  readonly url: string;
  readonly status: number;
  /** UTC ISO-8601 */
  readonly fetchedAt: string;
  /** Hex SHA-256 of `body` (UTF-8): the redacted text an evidence package stores. */
  readonly sha256: string;
  /** The body with credentials redacted (DSN secrets, tokens, our own token). */
  readonly body: string;
  /** True when anything was redacted from the body as received. */
  readonly bodyRedacted?: boolean;
  /** Response headers that matter for replay and audit (Link, rate limits, Location...). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Headers kept in a ResponseRecord; everything else (cookies...) is dropped. */
export const RECORDED_HEADERS: readonly string[] = [
  'content-type',
  'link',
  'location',
  'retry-after',
  'www-authenticate',
  'x-hits',
  'x-max-hits',
  'x-sentry-rate-limit-limit',
  'x-sentry-rate-limit-remaining',
  'x-sentry-rate-limit-reset',
  'x-sentry-rate-limit-concurrentlimit',
  'x-sentry-rate-limit-concurrentremaining',
];

// One SHA-256 helper for the whole core (core/primitives/hash.ts).
export { sha256Hex };

export { createHttpTransport, type HttpTransportOptions } from './http-transport';

/**
 * Answers from recorded responses (offline verification of a past audit). Requests are matched by
 * method and path+query; repeated requests get the recorded answers in order, then the last again.
 */
export function createReplayTransport(records: readonly ResponseRecord[]): Transport {
  const byKey = new Map<string, ResponseRecord[]>();
  for (const r of records) {
    const key = `${r.method} ${r.url}`;
    const list = byKey.get(key) ?? [];
    list.push(r);
    byKey.set(key, list);
  }
  const served = new Map<string, number>();
  return {
    async send(req: TransportRequest): Promise<TransportResponse> {
      const key = `${req.method} ${req.pathAndQuery}`;
      const endpoint = endpointOf(req.method, req.pathAndQuery);
      const list = byKey.get(key);
      if (!list || list.length === 0) {
        throw new SentryApiError({
          code: 'unreachable',
          endpoint,
          networkCause: 'other',
          message: `${endpoint}: no recorded response for this request.`,
        });
      }
      const n = served.get(key) ?? 0;
      served.set(key, n + 1);
      const rec = list[Math.min(n, list.length - 1)] as ResponseRecord;
      const text = rec.body;
      const body = Buffer.from(text, 'utf8');
      const sha256 = sha256Hex(body);
      if (sha256 !== rec.sha256) {
        throw new SentryApiError({
          code: 'malformed_response',
          endpoint,
          message: `${endpoint}: the recorded body does not match its SHA-256.`,
        });
      }
      return { status: rec.status, headers: { ...rec.headers }, body, fetchedAt: rec.fetchedAt, stored: { text, sha256 } };
    },
  };
}

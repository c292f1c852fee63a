import { sha256Hex } from '../primitives/hash';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import axios from 'axios';
import type { AxiosInstance } from 'axios';
import type { NetworkCause } from './errors';
import { SentryApiError } from './errors';

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

export interface HttpTransportOptions {
  /** Called at send time so the token lives in one place (the keychain adapter), not here. */
  readonly getToken: () => string;
  /** Path of a PEM file with extra CA certificates (self-hosted behind a private CA). */
  readonly caFile?: string;
  readonly userAgent?: string;
  /** Largest body we accept. */
  readonly maxBodyBytes?: number;
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

function endpointOf(method: string, pathAndQuery: string): string {
  return `${method} ${pathAndQuery.split('?')[0] ?? pathAndQuery}`;
}

function readCa(caFile: string): string {
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'unknown error';
    throw new SentryApiError({ code: 'invalid_input', message: `Cannot read the CA certificate file ${caFile} (${code}).` });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new SentryApiError({
      code: 'invalid_input',
      message: `The CA certificate file ${caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`,
    });
  }
  return pem;
}

/** Axios-based transport. TLS verification is always on; `caFile` only adds trust anchors. */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const ca = options.caFile === undefined ? undefined : [...tls.rootCertificates, readCa(options.caFile)];
  // Reads reuse connections. Writes get a fresh one: a write on a pooled socket the server has
  // just closed fails with a reset, and a write is not retried after a reset.
  const httpsAgent = new https.Agent({ keepAlive: true, ...(ca ? { ca } : {}) });
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsWriteAgent = new https.Agent({ keepAlive: false, ...(ca ? { ca } : {}) });
  const httpWriteAgent = new http.Agent({ keepAlive: false });
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  // No baseURL: the client talks to the control and region hosts and builds every absolute URL
  // itself from validated bases, so axios never resolves a URL on our behalf.
  const instance: AxiosInstance = axios.create({
    responseType: 'arraybuffer',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 0,
    // Environment proxies are not honoured: axios' proxy support would bypass our CA handling.
    proxy: false,
    maxContentLength: maxBodyBytes,
    maxBodyLength: maxBodyBytes,
    httpAgent,
    httpsAgent,
  });

  return {
    async send(req: TransportRequest): Promise<TransportResponse> {
      const endpoint = endpointOf(req.method, req.pathAndQuery);
      const url = req.base + req.pathAndQuery;
      const host = new URL(url).host;
      const token = options.getToken();
      if (token === '') {
        throw new SentryApiError({ code: 'unauthorized', endpoint, message: `${endpoint}: no API token is set.` });
      }
      if (!/^[\x21-\x7e]+$/.test(token)) {
        throw new SentryApiError({
          code: 'invalid_input',
          endpoint,
          message: 'The API token contains spaces or characters a token cannot have; paste it again.',
        });
      }
      if (req.signal?.aborted) throw cancelled(endpoint);
      // Our own wall-clock deadline: axios' timeout is a socket idle timer that a trickling
      // server can keep from firing.
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, req.timeoutMs);
      const onAbort = (): void => controller.abort();
      req.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const res = await instance.request<ArrayBuffer>({
          method: req.method,
          url,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            'User-Agent': options.userAgent ?? 'sentry-harden',
            ...(req.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          data: req.body,
          signal: controller.signal,
          ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { httpAgent: httpWriteAgent, httpsAgent: httpsWriteAgent }),
        });
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers as Record<string, unknown>)) {
          if (value === undefined || value === null) continue;
          headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
        }
        const data: unknown = res.data;
        const body = Buffer.isBuffer(data)
          ? data
          : data instanceof ArrayBuffer
            ? Buffer.from(data)
            : Buffer.from(typeof data === 'string' ? data : '');
        return { status: res.status, headers, body };
      } catch (e) {
        if (req.signal?.aborted && !timedOut) throw cancelled(endpoint);
        // Deliberately no `cause`: the axios error holds the request config and its headers.
        throw networkError(e, endpoint, host, timedOut, req.timeoutMs);
      } finally {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
      }
    },
    close(): void {
      for (const agent of [httpsAgent, httpAgent, httpsWriteAgent, httpWriteAgent]) agent.destroy();
    },
  };
}

function cancelled(endpoint: string): SentryApiError {
  return new SentryApiError({ code: 'cancelled', endpoint, message: `${endpoint}: cancelled.` });
}

/** Maps a failure below HTTP to a typed error, reading only the error's code. */
function networkError(e: unknown, endpoint: string, host: string, timedOut: boolean, timeoutMs: number): SentryApiError {
  const err = e as { code?: unknown; cause?: { code?: unknown }; message?: unknown };
  const code = typeof err.code === 'string' ? err.code : typeof err.cause?.code === 'string' ? err.cause.code : '';
  const text = typeof err.message === 'string' ? err.message : '';
  const make = (c: 'unreachable' | 'timeout' | 'tls', cause: NetworkCause, what: string, retryable: boolean) =>
    new SentryApiError({ code: c, endpoint, networkCause: cause, retryable, message: `${endpoint}: ${what}` });
  if (timedOut || code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return make('timeout', 'timeout', `no answer from ${host} within ${formatMs(timeoutMs)}.`, true);
  }
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) {
    return make(
      'tls',
      'tls',
      `the TLS certificate of ${host} could not be verified (${code}). If the instance uses a private CA, add its certificate file.`,
      false,
    );
  }
  if (code === 'ECONNREFUSED') return make('unreachable', 'refused', `${host} refused the connection.`, true);
  if (code === 'ENOTFOUND') return make('unreachable', 'dns', `the host name ${host} could not be resolved.`, false);
  if (code === 'EAI_AGAIN') return make('unreachable', 'dns', `the host name ${host} could not be resolved (DNS temporarily failed).`, true);
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return make('unreachable', 'reset', `the connection to ${host} was closed before the answer was complete.`, true);
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ENETDOWN') {
    return make('unreachable', 'refused', `${host} cannot be reached from this network (${code}).`, true);
  }
  if (code === 'ERR_BAD_RESPONSE' && /maxContentLength/i.test(text)) {
    return new SentryApiError({ code: 'malformed_response', endpoint, message: `${endpoint}: the response is too large.` });
  }
  return make('unreachable', 'other', `the request to ${host} failed${code ? ` (${code})` : ''}.`, false);
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${ms} ms`;
}

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
      const body = Buffer.from(rec.body, 'utf8');
      if (sha256Hex(body) !== rec.sha256) {
        throw new SentryApiError({
          code: 'malformed_response',
          endpoint,
          message: `${endpoint}: the recorded body does not match its SHA-256.`,
        });
      }
      return { status: rec.status, headers: { ...rec.headers }, body, fetchedAt: rec.fetchedAt };
    },
  };
}

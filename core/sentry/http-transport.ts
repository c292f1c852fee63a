import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import zlib from 'node:zlib';
import type { NetworkCause } from './errors';
import { SentryApiError } from './errors';
import type { Transport, TransportRequest, TransportResponse } from './transport';

/**
 * The HTTP transport, on node:http/node:https directly. It was axios until issue 10: at 1,000
 * projects axios' request set-up (config merging, header normalisation, adapters) cost about as
 * much CPU per request as all of redaction, and the benchmark holds the engine under 1 ms a
 * request. What axios did for us is kept here, each with its test (test/core/sentry/http-transport.test.ts):
 * a wall-clock deadline, extra CA certificates, no redirect followed, no environment proxy, a
 * body size limit, gzip/deflate/br decoding, lower-case headers.
 */

export interface HttpTransportOptions {
  /** Called at send time so the token lives in one place (the keychain adapter), not here. */
  readonly getToken: () => string;
  /** Path of a PEM file with extra CA certificates (self-hosted behind a private CA). */
  readonly caFile?: string;
  readonly userAgent?: string;
  /** Largest body we accept (after content decoding). */
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

export function endpointOf(method: string, pathAndQuery: string): string {
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

/** Raised inside the transport for a body over the limit; mapped to `malformed_response`. */
class TooLarge extends Error {
  readonly code = 'BODY_TOO_LARGE';
}

/** The body as sent, decoded per Content-Encoding, within `max` bytes. */
function decodeBody(raw: Buffer, encoding: string | undefined, max: number): Buffer {
  const enc = (encoding ?? '').trim().toLowerCase();
  if (enc === '' || enc === 'identity') return raw;
  const opts = { maxOutputLength: max };
  try {
    if (enc === 'gzip' || enc === 'x-gzip') return zlib.gunzipSync(raw, { ...opts, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    if (enc === 'deflate') return zlib.inflateSync(raw, opts);
    if (enc === 'br') return zlib.brotliDecompressSync(raw, opts);
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new TooLarge();
    throw Object.assign(new Error('bad content encoding'), { code: 'ERR_BAD_CONTENT_ENCODING' });
  }
  return raw; // an encoding we did not ask for: the bytes as they are (JSON parsing then decides)
}

/** TLS verification is always on; `caFile` only adds trust anchors. */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const ca = options.caFile === undefined ? undefined : [...tls.rootCertificates, readCa(options.caFile)];
  // Reads reuse connections. Writes get a fresh one: a write on a pooled socket the server has
  // just closed fails with a reset, and a write is not retried after a reset.
  const httpsAgent = new https.Agent({ keepAlive: true, ...(ca ? { ca } : {}) });
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsWriteAgent = new https.Agent({ keepAlive: false, ...(ca ? { ca } : {}) });
  const httpWriteAgent = new http.Agent({ keepAlive: false });
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;

  return {
    async send(req: TransportRequest): Promise<TransportResponse> {
      const endpoint = endpointOf(req.method, req.pathAndQuery);
      // The client builds every absolute URL from validated bases; nothing is resolved here.
      const url = new URL(req.base + req.pathAndQuery);
      const host = url.host;
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
      const secure = url.protocol === 'https:';
      if (!secure && url.protocol !== 'http:') {
        throw new SentryApiError({ code: 'invalid_url', endpoint, message: `${endpoint}: not an http(s) URL.` });
      }
      const read = req.method === 'GET' || req.method === 'HEAD';
      const agent = secure ? (read ? httpsAgent : httpsWriteAgent) : read ? httpAgent : httpWriteAgent;
      const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
      const headers: Record<string, string> = {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        'Accept-Encoding': 'gzip, deflate, br',
        'User-Agent': options.userAgent ?? 'sentry-harden',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': String(body.length) }),
      };
      // A wall-clock deadline of our own: a socket idle timer is one a trickling server can
      // keep from firing. The deadline and a cancellation destroy the request directly (no
      // AbortController a request: the transport sends thousands).
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      try {
        return await new Promise<TransportResponse>((resolve, reject) => {
          const request = (secure ? https : http).request(
            url,
            { method: req.method, headers, agent },
            (res) => {
              const chunks: Buffer[] = [];
              let size = 0;
              res.on('data', (chunk: Buffer) => {
                size += chunk.length;
                if (size > maxBodyBytes) {
                  res.destroy();
                  reject(new TooLarge());
                  return;
                }
                chunks.push(chunk);
              });
              res.on('error', reject);
              // A connection closed mid-body is a reset, whatever the stream reports.
              res.on('close', () => {
                if (!res.complete) reject(Object.assign(new Error('closed before the end of the body'), { code: 'ECONNRESET' }));
              });
              res.on('end', () => {
                try {
                  const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
                  const out: Record<string, string> = {};
                  for (const [name, value] of Object.entries(res.headers)) {
                    if (value === undefined) continue;
                    out[name] = Array.isArray(value) ? value.join(', ') : value;
                  }
                  resolve({ status: res.statusCode ?? 0, headers: out, body: decodeBody(raw, out['content-encoding'], maxBodyBytes) });
                } catch (e) {
                  reject(e);
                }
              });
            },
          );
          request.on('error', reject);
          timer = setTimeout(() => {
            timedOut = true;
            request.destroy(Object.assign(new Error('deadline'), { code: 'ETIMEDOUT' }));
          }, req.timeoutMs);
          onAbort = () => request.destroy(Object.assign(new Error('cancelled'), { code: 'ABORT_ERR' }));
          req.signal?.addEventListener('abort', onAbort, { once: true });
          request.end(body);
        });
      } catch (e) {
        if (req.signal?.aborted && !timedOut) throw cancelled(endpoint);
        // Deliberately no `cause`: a library error may hold the request and its headers.
        throw networkError(e, endpoint, host, timedOut, req.timeoutMs);
      } finally {
        clearTimeout(timer);
        if (onAbort) req.signal?.removeEventListener('abort', onAbort);
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
  const err = e as { code?: unknown; cause?: { code?: unknown } };
  const code = typeof err.code === 'string' ? err.code : typeof err.cause?.code === 'string' ? err.cause.code : '';
  const make = (c: 'unreachable' | 'timeout' | 'tls', cause: NetworkCause, what: string, retryable: boolean) =>
    new SentryApiError({ code: c, endpoint, networkCause: cause, retryable, message: `${endpoint}: ${what}` });
  if (timedOut || code === 'ETIMEDOUT') {
    return make('timeout', 'timeout', `no answer from ${host} within ${formatMs(timeoutMs)}.`, true);
  }
  if (e instanceof TooLarge) {
    return new SentryApiError({ code: 'malformed_response', endpoint, message: `${endpoint}: the response is too large.` });
  }
  if (code === 'ERR_BAD_CONTENT_ENCODING') {
    return new SentryApiError({ code: 'malformed_response', endpoint, message: `${endpoint}: the response body could not be decoded.` });
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
  return make('unreachable', 'other', `the request to ${host} failed${code ? ` (${code})` : ''}.`, false);
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${ms} ms`;
}

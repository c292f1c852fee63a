import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Result } from '../../shared/errors';
import { channels, events } from '../../shared/ipc/contract';
import { WEB_API_PREFIX, WEB_EVENTS_PATH, WEB_SECRET_HEADER, WEB_SECRET_PARAM } from '../../shared/ipc/web';
import { CONTENT_SECURITY_POLICY } from './csp';
import type { Emit, Handlers, Router } from './router';
import { createRouter } from './router';
import { mimeTypeOf } from './mime';
import { serveReport } from './report-routes';
import type { ReportViews } from './report-views';
import { REPORTS_PREFIX } from './report-views';

/**
 * Web mode: the same contract as the desktop app's IPC, over HTTP on loopback, for machines
 * where Electron cannot run (and for the browser tests).
 *
 * - Listens on 127.0.0.1 only. Every request must name us in `Host` (127.0.0.1:PORT or
 *   localhost:PORT), which defeats DNS rebinding.
 * - A per-launch secret (32 random bytes) travels in the URL's fragment (`#secret=...`), which
 *   browsers never send to a server nor put in a Referer. The page sends it back in
 *   `X-Sentry-Harden-Secret` on every API call; the event stream (EventSource cannot set headers)
 *   takes it as `?secret=`. Nothing logs URLs.
 * - `POST /api/<channel>`: JSON body, `Origin` equal to our origin, `Content-Type:
 *   application/json`; the answer is the channel's Result as JSON. `GET /api/events`: the
 *   contract's events as Server-Sent Events (`event: <name>`, `data: <json>`).
 * - `GET /reports/<id>/...`: the saved packages of this process (report-routes.ts), by an
 *   unguessable id per package; no script may run there.
 * - Everything else under `/` is the built renderer (GET/HEAD), with the app's CSP.
 * The Sentry token never crosses: the router checks each answer against the contract, which
 * has no token field, and the token stays in the keychain and this process.
 */

/** Node lower-cases the names of incoming headers. */
const SECRET_HEADER = WEB_SECRET_HEADER.toLowerCase();
/** A request body larger than this is refused (registers of 1,000 entries fit comfortably). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
const KEEPALIVE_MS = 15_000;

export interface WebServerOptions {
  readonly handlers: Handlers;
  /** The built renderer (dist/renderer); served as is. */
  readonly rendererDir: string;
  /** 0 or omitted: an ephemeral port. */
  readonly port?: number;
  /** The packages this process saved, readable under /reports/ ("Open report"). */
  readonly reports?: ReportViews;
  /** For tests; default 32 random bytes. */
  readonly secret?: string;
  /** Told about bugs (never with request data). */
  readonly onUnexpectedError?: (what: string, error: unknown) => void;
}

export interface RunningWebServer {
  /** What to open: `http://127.0.0.1:PORT/#secret=...`. Print it; never log it elsewhere. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly secret: string;
  /** Sends an event to every connected page. */
  readonly emit: Emit;
  close(): Promise<void>;
}

/** Headers on every answer, errors included. */
export function webSecurityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
  };
}


/** The file under `root` a URL path names, or null when it would leave the folder. */
export function resolveStaticPath(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((s) => s === '..')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = path.resolve(root);
  const file = path.resolve(base, relative);
  const inside = path.relative(base, file);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return file;
}

function sameSecret(given: string | null, secret: Buffer): boolean {
  if (given === null) return false;
  const buf = Buffer.from(given, 'utf8');
  return buf.length === secret.length && timingSafeEqual(buf, secret);
}

/** True when the renderer has been built (its index.html exists). */
export async function rendererBuilt(rendererDir: string): Promise<boolean> {
  try {
    return (await stat(path.join(rendererDir, 'index.html'))).isFile();
  } catch {
    return false;
  }
}

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const secretBytes = Buffer.from(secret, 'utf8');
  const report = options.onUnexpectedError ?? (() => undefined);
  const streams = new Set<http.ServerResponse>();
  let port = 0;
  let router: Router | null = null;

  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const emit: Emit = (event, payload) => {
    const parsed = events[event].safeParse(payload);
    if (!parsed.success) {
      report(`event ${event}`, new Error('event does not match the contract'));
      return;
    }
    const frame = `event: ${event}\ndata: ${JSON.stringify(parsed.data)}\n\n`;
    for (const res of streams) res.write(frame);
  };

  function send(res: http.ServerResponse, status: number, body: string | Buffer, headers: Record<string, string>): void {
    res.writeHead(status, { ...webSecurityHeaders(), ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(body);
  }

  function sendResult(res: http.ServerResponse, status: number, result: Result<unknown>): void {
    send(res, status, JSON.stringify(result), { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  }

  function refuse(res: http.ServerResponse, status: number, message: string): void {
    sendResult(res, status, { ok: false, error: { code: 'forbidden', message, retryable: false } });
  }

  async function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return null;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'Method not allowed', { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' });
      return;
    }
    const file = resolveStaticPath(options.rendererDir, pathname);
    if (file === null) {
      send(res, 403, 'Refused', { 'Content-Type': 'text/plain; charset=utf-8' });
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      if (!(await rendererBuilt(options.rendererDir))) {
        send(res, 503, 'The UI has not been built: run `npm run build:renderer`, then start `sentry-harden ui` again.\n', {
          'Content-Type': 'text/plain; charset=utf-8',
          'Cache-Control': 'no-store',
        });
        return;
      }
      send(res, 404, 'Not found', { 'Content-Type': 'text/plain; charset=utf-8' });
      return;
    }
    const type = mimeTypeOf(file);
    res.writeHead(200, { ...webSecurityHeaders(), 'Content-Type': type, 'Content-Length': String(body.length), 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  function openEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      ...webSecurityHeaders(),
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    streams.add(res);
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    const done = (): void => {
      clearInterval(keepalive);
      streams.delete(res);
    };
    req.on('close', done);
    res.on('close', done);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // 1. Host: only our own name, so a page of another site resolved to 127.0.0.1 gets nothing.
    const host = req.headers.host ?? '';
    if (!allowedHosts().has(host)) {
      refuse(res, 403, 'Refused: unexpected Host header');
      return;
    }
    const origin = `http://${host}`;
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      refuse(res, 400, 'Refused: malformed URL');
      return;
    }
    const pathname = url.pathname;
    if (pathname.startsWith(REPORTS_PREFIX)) {
      await serveReport(req, res, pathname, options.reports ?? null, send);
      return;
    }
    if (pathname !== WEB_EVENTS_PATH && !pathname.startsWith(WEB_API_PREFIX)) {
      await serveStatic(req, res, pathname);
      return;
    }

    // 2. Origin: the API answers only pages of our own origin. A browser always sends Origin on
    //    POST; EventSource sends it on GET only cross-origin, so a missing Origin on the event
    //    stream must come with Sec-Fetch-Site: same-origin.
    const requestOrigin = req.headers.origin;
    const fetchSite = req.headers['sec-fetch-site'];
    const isEvents = pathname === WEB_EVENTS_PATH;
    const originOk =
      requestOrigin === origin || (isEvents && req.method === 'GET' && requestOrigin === undefined && fetchSite === 'same-origin');
    if (!originOk) {
      refuse(res, 403, 'Refused: the request did not come from the sentry-harden page');
      return;
    }

    // 3. The per-launch secret.
    const headerSecret = req.headers[SECRET_HEADER];
    const given = typeof headerSecret === 'string' ? headerSecret : isEvents ? url.searchParams.get(WEB_SECRET_PARAM) : null;
    if (!sameSecret(given, secretBytes)) {
      refuse(res, 401, 'Refused: open the exact URL `sentry-harden ui` printed (the launch key is missing or wrong)');
      return;
    }

    if (isEvents) {
      if (req.method !== 'GET') {
        refuse(res, 405, 'The event stream is GET only');
        return;
      }
      openEvents(req, res);
      return;
    }

    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendResult(res, 405, { ok: false, error: { code: 'invalid_input', message: 'API calls are POST', retryable: false } });
      return;
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      sendResult(res, 415, { ok: false, error: { code: 'invalid_input', message: 'API calls send JSON (Content-Type: application/json)', retryable: false } });
      return;
    }
    const channel = pathname.slice(WEB_API_PREFIX.length);
    if (!Object.hasOwn(channels, channel)) {
      sendResult(res, 404, { ok: false, error: { code: 'invalid_input', message: `Unknown channel "${channel.slice(0, 64)}"`, retryable: false } });
      return;
    }
    const body = await readBody(req);
    if (body === null) {
      sendResult(res, 413, { ok: false, error: { code: 'invalid_input', message: `The request is larger than ${MAX_BODY_BYTES} bytes`, retryable: false } });
      return;
    }
    let payload: unknown;
    try {
      payload = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      sendResult(res, 400, { ok: false, error: { code: 'invalid_input', message: `Invalid request for ${channel}: the body is not JSON`, retryable: false } });
      return;
    }
    const result = await (router as Router)(channel, { webContentsId: 0, frameUrl: `${origin}/`, isMainFrame: true }, payload, emit);
    sendResult(res, 200, result);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      report('request', error);
      if (!res.headersSent) sendResult(res, 500, { ok: false, error: { code: 'internal', message: 'Internal error', retryable: false } });
      else res.destroy();
    });
  });
  // Loopback only: nothing on the network can reach the API, whatever the firewall says.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  router = createRouter(
    channels,
    options.handlers,
    // The HTTP checks above stand for the sender check; the router still refuses other origins.
    (sender) => sender.isMainFrame && typeof sender.frameUrl === 'string' && allowedHosts().has(new URL(sender.frameUrl).host),
    { onUnexpectedError: (channel, error) => report(channel, error) },
  );

  return {
    url: `${origin}/#${WEB_SECRET_PARAM}=${secret}`,
    origin,
    port,
    secret,
    emit,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of streams) res.end();
        streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

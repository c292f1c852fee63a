// A small purpose-built HTTP server for the client's tests: each test answers requests with its
// own handler and may inject faults (hang, reset, delay). It measures what the client cannot
// hide: hits per path and the most requests in flight at once.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const TOKEN = 'sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeResponse {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  readonly body?: unknown;
  readonly delayMs?: number;
}

/** `hang`: never answer; `reset`: destroy the socket without an answer. */
export type FakeAnswer = FakeResponse | 'hang' | 'reset';
export type FakeHandler = (req: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeSentry {
  readonly url: string;
  readonly port: number;
  readonly requests: FakeRequest[];
  /** Hits per `METHOD path`. */
  hits(method: string, path: string): number;
  readonly maxInFlight: () => number;
  setHandler(handler: FakeHandler): void;
  close(): Promise<void>;
}

export async function startFakeSentry(handler: FakeHandler, options: { requireToken?: boolean } = {}): Promise<FakeSentry> {
  let current = handler;
  const requests: FakeRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = (): void => {
      if (!done) {
        done = true;
        inFlight -= 1;
      }
    };
    res.on('close', finish);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const fr: FakeRequest = {
        method: req.method ?? 'GET',
        path: u.pathname,
        query: u.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(fr);
      void (async () => {
        if ((options.requireToken ?? true) && req.headers.authorization !== `Bearer ${TOKEN}`) {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ detail: 'Invalid token' }));
          return;
        }
        const answer = await current(fr);
        if (answer === 'hang') return;
        if (answer === 'reset') {
          req.socket.destroy();
          finish();
          return;
        }
        if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
        const body =
          answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        const headers: Record<string, string> = { ...(answer.headers ?? {}) };
        if (body !== '' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
          headers['content-type'] = 'application/json';
        }
        if (!res.destroyed) {
          res.writeHead(answer.status ?? 200, headers);
          res.end(body);
        }
      })();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    hits: (method, path) => requests.filter((r) => r.method === method && r.path === path).length,
    maxInFlight: () => maxInFlight,
    setHandler: (h) => {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Answers a paginated list the way Sentry does: `per_page` items per page and a Link header
 * with `previous` and `next` entries built on `linkBase` (Sentry's url-prefix, not necessarily
 * the host called).
 */
export function paginate(
  req: FakeRequest,
  items: readonly unknown[],
  options: { linkBase: string; extraHeaders?: Record<string, string> },
): FakeResponse {
  const perPage = Number(req.query.get('per_page') ?? '100');
  const cursor = req.query.get('cursor') ?? '0:0:0';
  const offset = Number(cursor.split(':')[1] ?? '0');
  const page = items.slice(offset, offset + perPage);
  const q = new URLSearchParams(req.query);
  q.delete('cursor');
  const base = `${options.linkBase}${req.path}?${q.toString()}&cursor=`;
  const prev = `0:${Math.max(0, offset - perPage)}:1`;
  const next = `0:${offset + perPage}:0`;
  const hasNext = offset + perPage < items.length;
  const link =
    `<${base}${prev}>; rel="previous"; results="${offset > 0}"; cursor="${prev}", ` +
    `<${base}${next}>; rel="next"; results="${hasNext}"; cursor="${next}"`;
  return { status: 200, headers: { link, ...(options.extraHeaders ?? {}) }, body: page };
}

/**
 * Sleep and clock for the scheduler: sleeping advances a virtual clock at once. It starts at the
 * real time (whole second) because the server's Date header is real and the scheduler corrects
 * Reset for clock skew.
 */
export function virtualTime(startMs = Math.floor(Date.now() / 1000) * 1000): {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  slept: number[];
} {
  let t = startMs;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms);
      t += Math.max(0, ms);
      await new Promise((r) => setImmediate(r));
    },
    slept,
  };
}

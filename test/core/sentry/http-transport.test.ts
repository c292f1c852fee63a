import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { SentryApiError } from '../../../core/sentry/errors';
import { createHttpTransport } from '../../../core/sentry/http-transport';

// What the transport keeps of axios' behaviour now that it is on node:http directly (issue 10).

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

async function serve(handler: Handler): Promise<string> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const TOKEN = 'sntryu_transporttesttoken0123456789';

async function caught(p: Promise<unknown>): Promise<SentryApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SentryApiError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('HTTP transport (node:http)', () => {
  it('sends the token, JSON headers and the body; answers status, lower-case headers and bytes', async () => {
    let seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string } = { headers: {}, body: '' };
    const base = await serve((req, res, body) => {
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      res.setHeader('X-Sentry-Rate-Limit-ConcurrentLimit', '10');
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
    const t = createHttpTransport({ getToken: () => TOKEN, userAgent: 'ua-test' });
    const res = await t.send({ method: 'PUT', base, pathAndQuery: '/api/0/x/?a=1', body: '{"é":1}', timeoutMs: 5_000 });
    t.close?.();
    expect(seen.method).toBe('PUT');
    expect(seen.url).toBe('/api/0/x/?a=1');
    expect(seen.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen.headers.accept).toBe('application/json');
    expect(seen.headers['user-agent']).toBe('ua-test');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['content-length']).toBe(String(Buffer.byteLength('{"é":1}')));
    expect(seen.body).toBe('{"é":1}');
    expect(res.status).toBe(201);
    expect(res.headers['x-sentry-rate-limit-concurrentlimit']).toBe('10');
    expect(res.headers['set-cookie']).toBe('a=1, b=2');
    expect(res.body.toString('utf8')).toBe('{"ok":true}');
  });

  it('never follows a redirect: the 3xx comes back as it is', async () => {
    let hits = 0;
    const base = await serve((req, res) => {
      hits += 1;
      res.writeHead(302, { Location: `${req.url}elsewhere/` });
      res.end();
    });
    const t = createHttpTransport({ getToken: () => TOKEN });
    const res = await t.send({ method: 'GET', base, pathAndQuery: '/api/0/p/', timeoutMs: 5_000 });
    t.close?.();
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/api/0/p/elsewhere/');
    expect(hits).toBe(1);
  });

  it('decodes gzip, deflate and br bodies', async () => {
    const json = JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => ({ id: String(i) })) });
    const encoders: Record<string, (b: Buffer) => Buffer> = { gzip: zlib.gzipSync, deflate: zlib.deflateSync, br: zlib.brotliCompressSync };
    const base = await serve((req, res) => {
      const enc = req.url?.split('/')[3] ?? '';
      expect(req.headers['accept-encoding']).toContain(enc);
      res.writeHead(200, { 'Content-Encoding': enc, 'Content-Type': 'application/json' });
      res.end(encoders[enc]!(Buffer.from(json)));
    });
    const t = createHttpTransport({ getToken: () => TOKEN });
    for (const enc of Object.keys(encoders)) {
      const res = await t.send({ method: 'GET', base, pathAndQuery: `/api/0/${enc}/`, timeoutMs: 5_000 });
      expect(res.body.toString('utf8')).toBe(json);
    }
    t.close?.();
  });

  it('refuses a body over the limit, as sent or once decoded, as malformed_response', async () => {
    const big = Buffer.alloc(10_000, 'a');
    const base = await serve((req, res) => {
      if (req.url === '/api/0/gzip/') {
        res.writeHead(200, { 'Content-Encoding': 'gzip' });
        res.end(zlib.gzipSync(big)); // small on the wire, over the limit decoded
        return;
      }
      res.writeHead(200);
      res.end(big);
    });
    const t = createHttpTransport({ getToken: () => TOKEN, maxBodyBytes: 1_000 });
    for (const p of ['/api/0/plain/', '/api/0/gzip/']) {
      const e = await caught(t.send({ method: 'GET', base, pathAndQuery: p, timeoutMs: 5_000 }));
      expect(e.code).toBe('malformed_response');
      expect(e.message).toContain('too large');
    }
    t.close?.();
  });

  it('keeps a wall-clock deadline a trickling server cannot stretch', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200);
      const tick = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(tick));
    });
    const t = createHttpTransport({ getToken: () => TOKEN });
    const started = Date.now();
    const e = await caught(t.send({ method: 'GET', base, pathAndQuery: '/api/0/slow/', timeoutMs: 200 }));
    t.close?.();
    expect(e.code).toBe('timeout');
    expect(e.networkCause).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a connection closed mid-body is a reset; an abort is cancelled; neither message holds the token', async () => {
    const base = await serve((req, res) => {
      if (req.url === '/api/0/cut/') {
        res.writeHead(200, { 'Content-Length': '1000' });
        res.write('{"partial":');
        setTimeout(() => req.socket.destroy(), 10);
      }
      // /api/0/never/ is never answered
    });
    const t = createHttpTransport({ getToken: () => TOKEN });
    const reset = await caught(t.send({ method: 'GET', base, pathAndQuery: '/api/0/cut/', timeoutMs: 5_000 }));
    expect(reset.code).toBe('unreachable');
    expect(reset.networkCause).toBe('reset');
    const controller = new AbortController();
    const pending = caught(t.send({ method: 'GET', base, pathAndQuery: '/api/0/never/', timeoutMs: 5_000, signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const cancelled = await pending;
    expect(cancelled.code).toBe('cancelled');
    t.close?.();
    for (const e of [reset, cancelled]) expect(`${e.message} ${JSON.stringify(e)}`).not.toContain(TOKEN);
  });

  it('a refused connection is unreachable (refused), retryable', async () => {
    const base = await serve(() => undefined);
    const port = new URL(base).port;
    await new Promise<void>((r) => servers.pop()!.close(() => r()));
    const t = createHttpTransport({ getToken: () => TOKEN });
    const e = await caught(t.send({ method: 'GET', base: `http://127.0.0.1:${port}`, pathAndQuery: '/api/0/', timeoutMs: 5_000 }));
    t.close?.();
    expect(e.code).toBe('unreachable');
    expect(e.networkCause).toBe('refused');
    expect(e.retryable).toBe(true);
  });
});

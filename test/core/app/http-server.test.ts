import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, createUnwiredEngine } from '../../../core/app/handlers';
import { resolveStaticPath, startWebServer, type RunningWebServer } from '../../../core/app/http-server';
import { createAppStore } from '../../../core/store/index';
import { CONTENT_SECURITY_POLICY } from '../../../core/app/csp';
import { apiCaller, fakeRenderer, noKeychain, openEvents, request } from './web-client';

const dirs: string[] = [];
let server: RunningWebServer;
let port: number;
let secret: string;
let rendererDir: string;

function tmp(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

beforeAll(async () => {
  const store = createAppStore({ cwd: tmp('web-store-') });
  rendererDir = fakeRenderer();
  dirs.push(rendererDir, `${rendererDir}-secret.txt`);
  const handlers = createHandlers({
    store,
    keychain: noKeychain(),
    engine: createUnwiredEngine(),
    app: { version: '0.1.0', platform: 'linux', packaged: false, mode: 'web' },
    openExternal: async () => false,
  });
  server = await startWebServer({ handlers, rendererDir });
  port = server.port;
  secret = server.secret;
});

afterAll(async () => {
  await server.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const json = { 'Content-Type': 'application/json' };

function expectSecurityHeaders(headers: Record<string, unknown>): void {
  expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['access-control-allow-origin']).toBeUndefined();
}

describe('web mode server: the URL and the page', () => {
  it('listens on 127.0.0.1 only and puts a long random secret in the fragment', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/#secret=[A-Za-z0-9_-]{43}$`));
    expect(server.origin).toBe(`http://127.0.0.1:${port}`);
  });

  it('serves the renderer with the strict CSP, and refuses paths that leave its folder', async () => {
    const page = await request(port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>sentry-harden</title>');
    expectSecurityHeaders(page.headers);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    const script = await request(port, { path: '/app.js' });
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    // A file beside the renderer folder must stay out of reach however the path is spelled.
    fs.writeFileSync(path.join(path.dirname(rendererDir), `${path.basename(rendererDir)}-secret.txt`), 'do not serve');
    for (const [p, status] of [
      [`/%2e%2e/${path.basename(rendererDir)}-secret.txt`, 404], // URL parsing resolves %2e%2e: stays inside
      [`/..%2f${path.basename(rendererDir)}-secret.txt`, 403],
      ['/..%2f..%2fetc%2fpasswd', 403],
      ['/a%5c..%5cb', 403],
    ] as const) {
      const r = await request(port, { path: p });
      expect(r.status, p).toBe(status);
      expect(r.body).not.toContain('do not serve');
      expectSecurityHeaders(r.headers);
    }
    expect((await request(port, { path: '/missing.js' })).status).toBe(404);
    expect(resolveStaticPath('/srv/r', '/')).toBe(path.resolve('/srv/r/index.html'));
    expect(resolveStaticPath('/srv/r', '/%2e%2e/x')).toBeNull();
  });

  it('says clearly when the renderer has not been built', async () => {
    const handlers = createHandlers({
      store: createAppStore({ cwd: tmp('web-store2-') }),
      keychain: noKeychain(),
      engine: createUnwiredEngine(),
      app: { version: '0', platform: 'linux', packaged: false, mode: 'web' },
      openExternal: async () => false,
    });
    const bare = await startWebServer({ handlers, rendererDir: tmp('no-renderer-') });
    try {
      const r = await request(bare.port, { path: '/' });
      expect(r.status).toBe(503);
      expect(r.body).toContain('npm run build:renderer');
    } finally {
      await bare.close();
    }
  });
});

describe('web mode server: who may call the API', () => {
  it('answers a call from our own page with the channel Result, and no-store', async () => {
    const { call } = apiCaller(port, secret);
    const r = await call('app:info', {});
    expect(r).toMatchObject({ ok: true, value: { mode: 'web', keychain: { available: false } } });
    const raw = await request(port, { method: 'POST', path: '/api/settings:get', headers: { ...json, Origin: server.origin, 'X-Sentry-Harden-Secret': secret }, body: '{}' });
    expect(raw.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(raw.headers);
  });

  it('accepts localhost:PORT as Host, but refuses any other Host (DNS rebinding), even for the page', async () => {
    const viaLocalhost = await request(port, {
      method: 'POST',
      path: '/api/app:info',
      headers: { ...json, Host: `localhost:${port}`, Origin: `http://localhost:${port}`, 'X-Sentry-Harden-Secret': secret },
      body: '{}',
    });
    expect(JSON.parse(viaLocalhost.body)).toMatchObject({ ok: true });
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `[::1]:${port}`]) {
      const api = await request(port, { method: 'POST', path: '/api/app:info', headers: { ...json, Host: host, Origin: `http://${host}`, 'X-Sentry-Harden-Secret': secret }, body: '{}' });
      expect(api.status, host).toBe(403);
      expect(JSON.parse(api.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expectSecurityHeaders(api.headers);
      expect((await request(port, { path: '/', headers: { Host: host } })).status, host).toBe(403);
    }
  });

  it('refuses a missing or foreign Origin on every API call', async () => {
    const base = { ...json, 'X-Sentry-Harden-Secret': secret };
    for (const origin of [undefined, 'null', 'http://evil.example', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      const headers: Record<string, string> = origin === undefined ? base : { ...base, Origin: origin };
      const r = await request(port, { method: 'POST', path: '/api/app:info', headers, body: '{}' });
      expect(r.status, String(origin)).toBe(403);
      expect(JSON.parse(r.body).error.code).toBe('forbidden');
    }
    // Sec-Fetch-Site stands in for Origin on the event stream only, never on a POST.
    const r = await request(port, { method: 'POST', path: '/api/app:info', headers: { ...base, 'Sec-Fetch-Site': 'same-origin' }, body: '{}' });
    expect(r.status).toBe(403);
  });

  it('refuses a missing, wrong or differently sized secret', async () => {
    const headers = { ...json, Origin: server.origin };
    for (const s of [undefined, '', 'x', secret.slice(0, -1), `${secret}x`, secret.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))]) {
      const h: Record<string, string> = s === undefined ? headers : { ...headers, 'X-Sentry-Harden-Secret': s };
      const r = await request(port, { method: 'POST', path: '/api/app:info', headers: h, body: '{}' });
      expect(r.status, String(s)).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(r.body).not.toContain(secret);
    }
    // The secret in the query string is for the event stream only.
    const q = await request(port, { method: 'POST', path: `/api/app:info?secret=${secret}`, headers, body: '{}' });
    expect(q.status).toBe(401);
  });

  it('refuses unknown channels, payloads that do not match the schema, non-JSON and other methods', async () => {
    const { call } = apiCaller(port, secret);
    const h = { Origin: server.origin, 'X-Sentry-Harden-Secret': secret };
    const unknown = await request(port, { method: 'POST', path: '/api/app:shell', headers: { ...h, ...json }, body: '{}' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'Unknown channel "app:shell"' } });
    expect((await request(port, { method: 'POST', path: '/api/__proto__', headers: { ...h, ...json }, body: '{}' })).status).toBe(404);
    expect(await call('profile:list', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('profile:save', { profile: { label: 'x', token: 'sntryu_leak' } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const notJson = await request(port, { method: 'POST', path: '/api/app:info', headers: { ...h, ...json }, body: '{nope' });
    expect(notJson.status).toBe(400);
    // A form post (a "simple" cross-site request) is not JSON: refused before any handler.
    const form = await request(port, { method: 'POST', path: '/api/app:info', headers: { ...h, 'Content-Type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
    const get = await request(port, { method: 'GET', path: '/api/app:info', headers: h });
    expect(get.status).toBe(405);
    const preflight = await request(port, { method: 'OPTIONS', path: '/api/app:info', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const big = await request(port, { method: 'POST', path: '/api/app:info', headers: { ...h, ...json }, body: JSON.stringify({ pad: 'x'.repeat(3 * 1024 * 1024) }) });
    expect(big.status).toBe(413);
  });
});

describe('web mode server: events', () => {
  it('streams contract events to our page (same-origin EventSource has no Origin, only Sec-Fetch-Site)', async () => {
    const stream = openEvents(port, secret);
    expect(await stream.ready).toBe(200);
    server.emit('audit:progress', { runId: 'run-1', completed: 1, total: 11, control: '1.1' });
    // Not in the contract's shape: dropped, never sent.
    server.emit('audit:progress', { runId: 'run-1', completed: -1 } as never);
    await new Promise((r) => setTimeout(r, 50));
    stream.close();
    expect(stream.events).toEqual([{ event: 'audit:progress', data: { runId: 'run-1', completed: 1, total: 11, control: '1.1' } }]);
  });

  it('accepts our Origin on the stream, and refuses a foreign one, a cross-site fetch, or a wrong secret', async () => {
    const ok = openEvents(port, secret, { Origin: server.origin });
    expect(await ok.ready).toBe(200);
    ok.close();
    for (const headers of [{ Origin: 'http://evil.example' }, { 'Sec-Fetch-Site': 'cross-site' }, {}, { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' }] as Record<string, string>[]) {
      const s = openEvents(port, secret, headers);
      expect(await s.ready, JSON.stringify(headers)).toBe(403);
      s.close();
    }
    const wrong = openEvents(port, 'wrong-secret');
    expect(await wrong.ready).toBe(401);
    wrong.close();
  });
});

import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../core/app/errors';
import type { Handlers } from '../../core/app/router';
import { startWebServer } from '../../core/app/http-server';
import type { RunningWebServer } from '../../core/app/http-server';
import { createHttpBridge, parseResult, resolveBridge, secretFromUrl } from '../../renderer/bridge';
import { BRIDGE_GLOBAL } from '../../shared/ipc/channel-names';
import type { EventPayloadOf } from '../../shared/ipc/contract';

/**
 * The web-mode bridge against the real web server (core/app/http-server.ts) on 127.0.0.1: the
 * same SentryHardenBridge as the preload's, over POST /api/<channel> and Server-Sent Events.
 */

const servers: RunningWebServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const APP_INFO = {
  version: '9.9.9',
  platform: 'linux',
  packaged: false,
  mode: 'web' as const,
  keychain: { available: false, backend: null, message: 'no keychain here' },
};

async function serve(handlers: Partial<Handlers>): Promise<RunningWebServer> {
  const server = await startWebServer({ handlers: handlers as Handlers, rendererDir: '/nonexistent', port: 0, secret: 'launch-secret-for-tests' });
  servers.push(server);
  return server;
}

/** Node's fetch sends no Origin; a page of the app's origin does. */
function pageFetch(origin: string): typeof fetch {
  return (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), Origin: origin } });
}

/** Just enough of EventSource for the bridge: named events from a text/event-stream. */
function nodeEventSource(): typeof EventSource {
  class NodeEventSource {
    private readonly listeners = new Map<string, ((e: { data: string }) => void)[]>();
    private readonly req: http.ClientRequest;
    constructor(url: string) {
      this.req = http.get(url, { headers: { 'Sec-Fetch-Site': 'same-origin' } }, (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(frame)?.[1];
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (event && data !== undefined) for (const l of this.listeners.get(event) ?? []) l({ data });
          }
        });
      });
      this.req.on('error', () => undefined);
      opened.push(this);
    }
    addEventListener(name: string, listener: (e: { data: string }) => void): void {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    }
    close(): void {
      this.req.destroy();
    }
  }
  return NodeEventSource as unknown as typeof EventSource;
}
const opened: { close(): void }[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

describe('web-mode bridge (HTTP + SSE)', () => {
  it('invokes a channel and parses its answer against the contract', async () => {
    let seen: unknown = null;
    const server = await serve({
      'app:info': async () => APP_INFO,
      'auth:status': async (request) => {
        seen = request;
        return { hasToken: false, info: null };
      },
    });
    const bridge = createHttpBridge({ origin: server.origin, secret: server.secret, fetch: pageFetch(server.origin) });
    expect(await bridge.invoke['app:info']({})).toEqual({ ok: true, value: APP_INFO });
    expect(await bridge.invoke['auth:status']({ profileId: 'p1', verify: true })).toEqual({ ok: true, value: { hasToken: false, info: null } });
    expect(seen).toEqual({ profileId: 'p1', verify: true });
  });

  it('passes main’s error through with its code', async () => {
    const server = await serve({
      'org:list': async () => {
        throw new AppError('missing_scope', 'GET /api/0/organizations/ needs org:read');
      },
    });
    const bridge = createHttpBridge({ origin: server.origin, secret: server.secret, fetch: pageFetch(server.origin) });
    const result = await bridge.invoke['org:list']({ profileId: 'p1' });
    expect(result).toEqual({ ok: false, error: { code: 'missing_scope', message: 'GET /api/0/organizations/ needs org:read', retryable: false } });
  });

  it('a wrong launch secret is refused as forbidden, and nothing runs', async () => {
    let ran = false;
    const server = await serve({
      'app:info': async () => {
        ran = true;
        return APP_INFO;
      },
    });
    const bridge = createHttpBridge({ origin: server.origin, secret: 'not-the-secret', fetch: pageFetch(server.origin) });
    const result = await bridge.invoke['app:info']({});
    expect(result.ok === false && result.error.code).toBe('forbidden');
    expect(ran).toBe(false);
  });

  it('a server that is gone is `unreachable`, not a thrown error', async () => {
    const server = await serve({});
    const { origin, secret } = server;
    await server.close();
    servers.length = 0;
    const bridge = createHttpBridge({ origin, secret, fetch: pageFetch(origin) });
    const result = await bridge.invoke['app:info']({});
    expect(result.ok === false && result.error).toMatchObject({ code: 'unreachable', retryable: true });
  });

  it('delivers the events of the stream to subscribers, checked against the contract', async () => {
    const server = await serve({});
    const bridge = createHttpBridge({ origin: server.origin, secret: server.secret, fetch: pageFetch(server.origin), EventSource: nodeEventSource() });
    const got: EventPayloadOf<'audit:progress'>[] = [];
    const unsubscribe = bridge.on['audit:progress']((p) => got.push(p));
    // The stream connects asynchronously: emit until the first event arrives.
    const payload = { runId: 'run-123456', completed: 1, total: 3, control: '1.1' };
    for (let i = 0; i < 200 && got.length === 0; i += 1) {
      server.emit('audit:progress', payload);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(got[0]).toEqual(payload);
    unsubscribe();
    const count = got.length;
    server.emit('audit:progress', { ...payload, completed: 2 });
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toHaveLength(count);
  });

  it('refuses answers that break the contract', () => {
    expect(parseResult('app:info', { ok: true, value: { version: 1 } })).toMatchObject({ ok: false, error: { code: 'malformed_response' } });
    expect(parseResult('app:info', 'nope')).toMatchObject({ ok: false, error: { code: 'malformed_response' } });
    expect(parseResult('app:info', { ok: false, error: { code: 'made_up', message: 'x' } })).toMatchObject({ ok: false, error: { code: 'malformed_response' } });
    // Fields the contract does not name are dropped, never passed on to the window.
    const parsed = parseResult('auth:status', { ok: true, value: { hasToken: true, info: null, token: 'sntryu_leak' } });
    expect(parsed).toEqual({ ok: true, value: { hasToken: true, info: null } });
  });
});

describe('choosing the bridge', () => {
  function fakeWindow(href: string, exposed?: unknown): Window {
    const url = new URL(href);
    return {
      [BRIDGE_GLOBAL]: exposed,
      location: { href, origin: url.origin, pathname: url.pathname },
      fetch: () => Promise.reject(new Error('no network in this test')),
    } as unknown as Window;
  }

  it('uses the preload’s bridge in Electron', () => {
    const exposed = { invoke: {}, on: {} };
    const r = resolveBridge(fakeWindow('app://sentry-harden/index.html', exposed));
    expect(r.ok && r.mode).toBe('electron');
    expect(r.ok && r.bridge).toBe(exposed);
  });

  it('builds the HTTP bridge in web mode from the fragment’s launch secret', () => {
    expect(secretFromUrl('http://127.0.0.1:5000/#secret=abc')).toBe('abc');
    expect(secretFromUrl('http://127.0.0.1:5000/?secret=q')).toBe('q');
    expect(secretFromUrl('http://127.0.0.1:5000/')).toBeNull();
    const r = resolveBridge(fakeWindow('http://127.0.0.1:5000/#secret=abc'));
    expect(r.ok && r.mode).toBe('web');
    expect(r.ok && Object.keys(r.bridge.invoke)).toContain('fix:undo');
  });

  it('says how to open the page when the secret is missing', () => {
    const r = resolveBridge(fakeWindow('http://127.0.0.1:5000/'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/URL that `sentry-harden ui` printed/);
  });
});

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Keychain } from '../../../core/secrets/index';
import { SecretsError } from '../../../core/secrets/index';

/**
 * A raw HTTP client for web mode tests: node:http lets a test set Host, Origin and
 * Sec-Fetch-Site exactly as a browser (or an attacker's page) would.
 */

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export function request(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { Host: `127.0.0.1:${port}`, ...options.headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A channel's answer as JSON (tests look into values freely). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A browser page of our origin calling the API. */
export function apiCaller(port: number, secret: string) {
  const origin = `http://127.0.0.1:${port}`;
  const bodies: string[] = [];
  const call = async (channel: string, payload: unknown): Promise<{ ok: boolean; value?: Json; error?: { code: string; message: string } }> => {
    const res = await request(port, {
      method: 'POST',
      path: `/api/${channel}`,
      headers: { Origin: origin, 'Content-Type': 'application/json', 'X-Sentry-Harden-Secret': secret },
      body: JSON.stringify(payload),
    });
    bodies.push(res.body);
    return JSON.parse(res.body);
  };
  return { call, bodies, origin };
}

/** An open event stream; `events` fills as frames arrive, `raw` keeps every byte received. */
export function openEvents(port: number, secret: string, headers: Record<string, string> = { 'Sec-Fetch-Site': 'same-origin' }) {
  const events: { event: string; data: Json }[] = [];
  let raw = '';
  let status = 0;
  let req: http.ClientRequest | null = null;
  const ready = new Promise<number>((resolve, reject) => {
    req = http.request(
      { host: '127.0.0.1', port, path: `/api/events?secret=${encodeURIComponent(secret)}`, headers: { Host: `127.0.0.1:${port}`, Accept: 'text/event-stream', ...headers }, agent: false },
      (res) => {
        status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          raw += chunk;
          buffer += chunk;
          let i: number;
          while ((i = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            const event = /^event: (.*)$/m.exec(frame)?.[1];
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) });
          }
        });
        resolve(status);
      },
    );
    req.on('error', (e) => (status === 0 ? reject(e) : undefined));
    req.end();
  });
  return { ready, events, raw: () => raw, close: () => req?.destroy() };
}

/** No OS keychain, like a machine without a Secret Service: every call fails the way the real one does. */
export function noKeychain(): Keychain {
  const fail = async (): Promise<never> => {
    throw new SecretsError('keychain_unavailable', 'No OS keychain is available (test: no D-Bus session); the token is not stored, and will not be written to disk in plaintext');
  };
  return {
    service: 'sentry-harden-test',
    backend: 'secret-service',
    setSecret: fail,
    getSecret: fail,
    deleteSecret: fail,
    probe: async () => ({ available: false, backend: 'secret-service', error: { code: 'keychain_unavailable', message: 'No OS keychain is available (test)', retryable: false } }),
  };
}

/** A renderer build stand-in: index.html and one script. */
export function fakeRenderer(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renderer-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>sentry-harden</title><script src="app.js"></script>\n');
  fs.writeFileSync(path.join(dir, 'app.js'), 'console.log("ui");\n');
  return dir;
}

/** An in-memory keychain that records what was stored, to see which entry space a key went to. */
export function memoryKeychain(service: string): Keychain & { readonly entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    service,
    backend: 'secret-service',
    entries,
    setSecret: async (account, secret) => void entries.set(account, secret),
    getSecret: async (account) => entries.get(account) ?? null,
    deleteSecret: async (account) => entries.delete(account),
    probe: async () => ({ available: true, backend: 'secret-service' }),
  };
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../main/app-origin';
import { resolveAppPath, serveAppRequest } from '../../main/app-protocol';

let base: string;
let root: string;

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'app-proto-'));
  root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>x</title>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'assets', 'app.css'), 'body{}');
  fs.writeFileSync(path.join(root, 'assets', 'logo.svg'), '<svg/>');
  fs.writeFileSync(path.join(root, 'assets', 'blob.xyz'), 'raw');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'outside the app');
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => serveAppRequest(new Request(url, { method }), root);

describe('app:// protocol', () => {
  it('serves the entry page and assets with their MIME types and the CSP on every answer', async () => {
    const cases: [string, string][] = [
      ['app://sentry-harden/', 'text/html; charset=utf-8'],
      ['app://sentry-harden/index.html', 'text/html; charset=utf-8'],
      ['app://sentry-harden/assets/app.js', 'text/javascript; charset=utf-8'],
      ['app://sentry-harden/assets/app.css', 'text/css; charset=utf-8'],
      ['app://sentry-harden/assets/logo.svg', 'image/svg+xml'],
      ['app://sentry-harden/assets/blob.xyz', 'application/octet-stream'],
    ];
    for (const [url, mime] of cases) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toBe(mime);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(await (await get('app://sentry-harden/assets/app.js')).text()).toBe('console.log(1)');
    const missing = await get('app://sentry-harden/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('has the CSP the security checklist asks for', () => {
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'none'",
    ]) {
      expect(CONTENT_SECURITY_POLICY.split('; ')).toContain(directive);
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*/);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const url of [
      'app://sentry-harden/../secret.txt',
      'app://sentry-harden/%2e%2e/secret.txt',
      'app://sentry-harden/assets/%2e%2e/%2e%2e/secret.txt',
      'app://sentry-harden/..%2fsecret.txt',
      'app://sentry-harden/assets%2f..%2f..%2fsecret.txt',
      'app://sentry-harden/..%5csecret.txt',
      'app://sentry-harden/%00index.html',
      'app://sentry-harden/%E0%A4%A',
      `app://sentry-harden/${encodeURIComponent(path.join(base, 'secret.txt'))}`,
    ]) {
      const res = await get(url);
      expect(res.status, url).not.toBe(200);
      expect(await res.text(), url).not.toContain('outside the app');
    }
  });

  it('answers only its own host and only GET or HEAD', async () => {
    expect((await get('app://other-host/index.html')).status).toBe(404);
    expect((await get('app://sentry-harden/index.html', 'POST')).status).toBe(405);
    const head = await get('app://sentry-harden/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get('app://sentry-harden/assets')).status).toBe(404);
  });

  it('resolves paths without touching the disk', () => {
    expect(resolveAppPath('app://sentry-harden/a/b.js', '/r')).toEqual({ ok: true, filePath: path.resolve('/r/a/b.js'), mimeType: 'text/javascript; charset=utf-8' });
    // URL itself folds %2e%2e segments, so this one stays inside the root...
    expect(resolveAppPath('app://sentry-harden/%2e%2e/x', '/r')).toMatchObject({ ok: true, filePath: path.resolve('/r/x') });
    // ...while an encoded slash only becomes a separator after decoding, where we catch it.
    expect(resolveAppPath('app://sentry-harden/..%2fx', '/r')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppPath('app://sentry-harden/a/..%5cx', '/r')).toMatchObject({ ok: false, status: 400 });
  });
});

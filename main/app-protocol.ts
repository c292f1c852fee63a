import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { mimeTypeOf } from '../core/app/mime';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './app-origin';

/**
 * Serves the built renderer for app://sentry-harden/. Electron's fs reads inside the asar
 * archive transparently, so the same code serves from the package and from a dev build.
 * Pure apart from reading files: tested in Node with real Request objects.
 */

export { MIME_TYPES } from '../core/app/mime';

export function mimeTypeFor(filePath: string): string {
  return mimeTypeOf(filePath);
}

/** Headers on every answer, including errors. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

export type AppPathResolution =
  | { readonly ok: true; readonly filePath: string; readonly mimeType: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404; readonly reason: string };

/** Maps an app:// URL to a file under `rootDir`, refusing anything that would leave it. */
export function resolveAppPath(requestUrl: string, rootDir: string): AppPathResolution {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'malformed URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) {
    return { ok: false, status: 404, reason: 'not an app URL' };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'malformed path encoding' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) {
    return { ok: false, status: 400, reason: 'forbidden character in path' };
  }
  // `URL` removes literal dot segments; encoded ones (%2e%2e) surface only after decoding.
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..')) return { ok: false, status: 403, reason: 'path leaves the app' };
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = path.resolve(rootDir);
  const filePath = path.resolve(root, relative);
  const inside = path.relative(root, filePath);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
    return { ok: false, status: 403, reason: 'path leaves the app' };
  }
  return { ok: true, filePath, mimeType: mimeTypeFor(filePath) };
}

function plain(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8', ...extra },
  });
}

/** The protocol handler's body: GET/HEAD of files under `rootDir`, with the CSP on every answer. */
export async function serveAppRequest(request: Request, rootDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return plain(405, 'Method not allowed', { Allow: 'GET, HEAD' });
  }
  const resolved = resolveAppPath(request.url, rootDir);
  if (!resolved.ok) return plain(resolved.status, resolved.status === 404 ? 'Not found' : 'Refused');
  let body: Buffer;
  try {
    body = await readFile(resolved.filePath);
  } catch {
    // Missing file or a directory: the same answer, no path in it.
    return plain(404, 'Not found');
  }
  const headers = { ...securityHeaders(), 'Content-Type': resolved.mimeType, 'Content-Length': String(body.length) };
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}

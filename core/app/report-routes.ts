import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type http from 'node:http';
import { HTML_FILE } from '../evidence/package-files';
import { REPORT_CSP, REPORT_CSP_META } from '../evidence/render/html/index';
import { MIME_TYPES, mimeTypeOf } from './mime';
import type { ReportViews } from './report-views';
import { PRINT_PAGE, REPORTS_PREFIX } from './report-views';

/**
 * `GET /reports/<id>/<file>`: a file of a package this process saved (report-views.ts), for
 * "Open report" in web mode. The page gets the report's own policy as a header (no script, nothing
 * loads); `/reports/<id>/print` is report.html with one nonce'd script that opens the browser's
 * print dialog, the fallback for "Save as PDF" when no Chromium can print on this machine.
 */

export type SendFn = (res: http.ServerResponse, status: number, body: string | Buffer, headers: Record<string, string>) => void;

/** Headers of a report answer (on top of the server's own security headers). */
export function reportHeaders(csp: string = REPORT_CSP): Record<string, string> {
  return { 'Content-Security-Policy': `${csp}; frame-ancestors 'none'`, 'Cache-Control': 'no-store' };
}

/** The print page's policy: the report's, plus the one script of this answer. */
export function printPolicy(nonce: string): string {
  return `${REPORT_CSP}; script-src 'nonce-${nonce}'`;
}

/** report.html with the print script, or null when the file is not one this tool rendered. */
export function printPage(reportHtml: string, nonce: string): string | null {
  if (!reportHtml.includes(REPORT_CSP_META) || !reportHtml.includes('</body>')) return null;
  const meta = `<meta http-equiv="Content-Security-Policy" content="${printPolicy(nonce)}">`;
  const script = `<script nonce="${nonce}">addEventListener('load', () => { print(); });</script>\n`;
  return reportHtml.replace(REPORT_CSP_META, meta).replace('</body>', `${script}</body>`);
}

/** Reads a file without following a symbolic link put in its place since it was saved. */
async function readNoFollow(file: string): Promise<Buffer | null> {
  try {
    const handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

function decodeSegment(raw: string): string | null {
  try {
    const s = decodeURIComponent(raw);
    return s.includes('\0') || s.includes('\\') || s.split('/').some((p) => p === '..' || p === '.' || p === '') ? null : s;
  } catch {
    return null;
  }
}

export async function serveReport(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, views: ReportViews | null, send: SendFn): Promise<void> {
  const text = (status: number, body: string, extra: Record<string, string> = {}): void =>
    send(res, status, `${body}\n`, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    text(405, 'Method not allowed', { Allow: 'GET, HEAD' });
    return;
  }
  // A page of another site may not even probe for reports (the id is unguessable anyway).
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    text(403, 'Refused: reports open from the sentry-harden page only');
    return;
  }
  const rest = pathname.slice(REPORTS_PREFIX.length);
  const slash = rest.indexOf('/');
  const id = slash < 0 ? rest : rest.slice(0, slash);
  const relative = slash < 0 ? null : decodeSegment(rest.slice(slash + 1));
  const report = views?.get(id) ?? null;
  if (report === null || relative === null) {
    text(404, 'No such report: save the package again in this window (report links last as long as `sentry-harden ui` runs)');
    return;
  }
  const isPrint = relative === PRINT_PAGE;
  const file = views?.file(id, isPrint ? HTML_FILE : relative) ?? null;
  const body = file === null ? null : await readNoFollow(file);
  if (body === null) {
    text(404, 'Not found: this file is not part of the saved package, or it was moved or deleted since');
    return;
  }
  if (isPrint) {
    const nonce = randomBytes(18).toString('base64url');
    const page = printPage(body.toString('utf8'), nonce);
    if (page === null) {
      text(409, 'This report.html was not written by sentry-harden (or was edited since): open it and print it from the browser');
      return;
    }
    send(res, 200, req.method === 'HEAD' ? '' : page, { ...reportHeaders(printPolicy(nonce)), 'Content-Type': 'text/html; charset=utf-8' });
    return;
  }
  // A layout-3 raw/ body is stored compressed: sent as JSON in gzip transfer encoding, the browser shows it as JSON.
  const compressed = (file as string).endsWith('.json.gz');
  const type: Record<string, string> = compressed ? { 'Content-Type': MIME_TYPES['.json']!, 'Content-Encoding': 'gzip' } : { 'Content-Type': mimeTypeOf(file as string) };
  send(res, 200, req.method === 'HEAD' ? '' : body, { ...reportHeaders(), ...type });
}

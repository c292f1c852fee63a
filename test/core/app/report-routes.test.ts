import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, createUnwiredEngine } from '../../../core/app/handlers';
import { startWebServer, type RunningWebServer } from '../../../core/app/http-server';
import { printPage, printPolicy } from '../../../core/app/report-routes';
import { createReportViews, type PublishedReport, type ReportViews } from '../../../core/app/report-views';
import { REPORT_CSP, REPORT_CSP_META, renderReportHtml } from '../../../core/evidence/render/html/index';
import { createAppStore } from '../../../core/store/index';
import { buildSampleEvidenceReport } from '../../helpers/report-fixture';
import { fakeRenderer, noKeychain, request } from './web-client';

/** "Open report" in web mode: the server reads only files of packages it saved, under their policy. */

const dirs: string[] = [];
let server: RunningWebServer;
let views: ReportViews;
let pkg: string;
let published: PublishedReport;
const RAW = `raw/${'a'.repeat(64)}.json`;

function tmp(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

beforeAll(async () => {
  const out = tmp('report-routes-');
  pkg = path.join(out, 'sentry-harden-acme-20250304-0912');
  fs.mkdirSync(path.join(pkg, 'raw'), { recursive: true });
  fs.writeFileSync(path.join(pkg, 'report.html'), renderReportHtml(buildSampleEvidenceReport()));
  fs.writeFileSync(path.join(pkg, RAW), '{"slug":"acme"}');
  fs.writeFileSync(path.join(pkg, 'findings.csv'), 'check\n');
  // Not a package file: never served even though it sits in the folder at saving.
  fs.writeFileSync(path.join(pkg, 'notes.txt'), 'private notes');
  // Beside the package: out of reach whatever the path says.
  fs.writeFileSync(path.join(out, 'secret.txt'), 'do not serve');
  views = createReportViews();
  published = await views.publish(pkg);
  // Written after saving: not on the allow-list.
  fs.writeFileSync(path.join(pkg, 'review.ics'), 'BEGIN:VCALENDAR');
  const rendererDir = fakeRenderer();
  dirs.push(rendererDir);
  const handlers = createHandlers({
    store: createAppStore({ cwd: tmp('report-routes-store-') }),
    keychain: noKeychain(),
    engine: createUnwiredEngine(),
    app: { version: '0.1.0', platform: 'linux', packaged: false, mode: 'web' },
    openExternal: async () => false,
  });
  server = await startWebServer({ handlers, rendererDir, reports: views });
});

afterAll(async () => {
  await server.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('saved reports in web mode', () => {
  it('gives each saved package an unguessable id and same-origin URLs', async () => {
    expect(published.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(published.url).toBe(`/reports/${published.id}/report.html`);
    expect(published.printUrl).toBe(`/reports/${published.id}/print`);
    expect((await views.publish(pkg)).id).not.toBe(published.id);
  });

  it('serves report.html with the report\'s own no-script policy as a header', async () => {
    const r = await request(server.port, { path: published.url, headers: { 'Sec-Fetch-Site': 'same-origin' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toBe(`${REPORT_CSP}; frame-ancestors 'none'`);
    expect(r.headers['content-security-policy']).not.toContain('script-src');
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toBe(fs.readFileSync(path.join(pkg, 'report.html'), 'utf8'));
    // The rendered meta tag is the one the print page swaps (the two stay equal).
    expect(r.body).toContain(REPORT_CSP_META);
    // A tab opened from the address bar (Sec-Fetch-Site: none) works too.
    expect((await request(server.port, { path: published.url, headers: { 'Sec-Fetch-Site': 'none' } })).status).toBe(200);
  });

  it('serves the package files the report links to, and nothing else', async () => {
    const raw = await request(server.port, { path: `/reports/${published.id}/${RAW}` });
    expect(raw.status).toBe(200);
    expect(raw.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(raw.body).toBe('{"slug":"acme"}');
    for (const p of [
      `/reports/${published.id}/notes.txt`,
      `/reports/${published.id}/review.ics`,
      `/reports/${published.id}/../secret.txt`,
      `/reports/${published.id}/..%2fsecret.txt`,
      `/reports/${published.id}/raw%2f..%2f..%2fsecret.txt`,
      `/reports/${published.id}/%2e%2e/secret.txt`,
      `/reports/${published.id}/`,
      `/reports/${published.id}`,
      `/reports/${'A'.repeat(43)}/report.html`,
      `/reports/..%2f..%2fetc/passwd`,
      `/reports/${encodeURIComponent(pkg)}/report.html`,
    ]) {
      const r = await request(server.port, { path: p });
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('do not serve');
      expect(r.body).not.toContain('private notes');
      expect(r.body).not.toContain('VCALENDAR');
    }
  });

  it('refuses other sites, other hosts and writes', async () => {
    expect((await request(server.port, { path: published.url, headers: { 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403);
    expect((await request(server.port, { path: published.url, headers: { 'Sec-Fetch-Site': 'same-site' } })).status).toBe(403);
    expect((await request(server.port, { path: published.url, headers: { Host: `evil.example:${server.port}` } })).status).toBe(403);
    const post = await request(server.port, { method: 'POST', path: published.url });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('a file swapped for a symbolic link after saving is not followed', async () => {
    const other = tmp('report-routes-link-');
    const copy = path.join(other, 'pkg');
    fs.mkdirSync(copy);
    fs.writeFileSync(path.join(copy, 'findings.csv'), 'check\n');
    const p = await views.publish(copy);
    fs.rmSync(path.join(copy, 'findings.csv'));
    fs.symlinkSync(path.join(path.dirname(pkg), 'secret.txt'), path.join(copy, 'findings.csv'));
    const r = await request(server.port, { path: `/reports/${p.id}/findings.csv` });
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('do not serve');
  });

  it('prints: the print page is the report plus one nonce\'d script, allowed by its own policy only', async () => {
    const a = await request(server.port, { path: published.printUrl });
    const b = await request(server.port, { path: published.printUrl });
    expect(a.status).toBe(200);
    const nonce = /script-src 'nonce-([A-Za-z0-9_-]+)'/.exec(String(a.headers['content-security-policy']))?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(b.headers['content-security-policy']).not.toContain(nonce);
    expect(a.headers['content-security-policy']).toBe(`${printPolicy(nonce as string)}; frame-ancestors 'none'`);
    expect(a.body.match(/<script/g)).toHaveLength(1);
    expect(a.body).toContain(`<script nonce="${nonce}">addEventListener('load', () => { print(); });</script>`);
    expect(a.body).not.toContain(REPORT_CSP_META);
    expect(a.body).toContain(`content="${printPolicy(nonce as string)}"`);
  });

  it('will not add a script to an HTML file it did not render', () => {
    expect(printPage('<!DOCTYPE html><html><head></head><body>x</body></html>', 'n')).toBeNull();
    expect(printPage(`<html><head>${REPORT_CSP_META}</head><body></body></html>`, 'n')).toContain('<script nonce="n">');
  });

  it('answers 404 for reports when the server has none (desktop-like set-up)', async () => {
    const bare = await startWebServer({ handlers: createHandlers({ store: createAppStore({ cwd: tmp('bare-') }), keychain: noKeychain(), engine: createUnwiredEngine(), app: { version: '0.1.0', platform: 'linux', packaged: false, mode: 'web' }, openExternal: async () => false }), rendererDir: fakeRenderer() });
    try {
      const r = await request(bare.port, { path: published.url });
      expect(r.status).toBe(404);
      expect(r.body).toContain('No such report');
    } finally {
      await bare.close();
    }
  });
});

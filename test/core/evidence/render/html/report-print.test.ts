import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml, STATUS_COLORS } from '../../../../../core/evidence/render/html/index';
import { buildSampleEvidenceReport } from '../../../../helpers/report-fixture';

/**
 * report.html in real Chromium (Debian's, driven by playwright-core): it loads nothing from the
 * network, prints to a multi-page PDF, fits the printed page, and its scorecard renders in colour.
 * Artifacts go to test-results/report-print/; the scorecard screenshot in docs/screenshots/ is
 * written when missing or when UPDATE_SCREENSHOTS=1.
 */

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const ROOT = path.resolve(import.meta.dirname, '..', '..', '..', '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-results', 'report-print');
const DOCS_SCREENSHOT = path.join(ROOT, 'docs', 'screenshots', 'report-scorecard.png');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const SIGNATURE = { fingerprint: 'SHA256:4f1c0e9a2b7d3c5e8f6a2d4b1c7e9f0a3b5d7c9e1f2a4b6c8d0e2f4a6b8c0d2e', keyid: '4f1c0e9a2b7d3c5e' };

if (!HAS_CHROMIUM) console.log(`report-print.test.ts skipped: ${CHROMIUM} is missing (Debian package "chromium").`);

function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
}

describe.skipIf(!HAS_CHROMIUM)('report.html in Chromium', () => {
  let work = '';
  let context: BrowserContext;
  /** The sample report (about 50 findings), a large one (300 findings), and a huge one that folds (6,000 findings, 400 reads). */
  let small: Page;
  let large: Page;
  let huge: Page;
  const allowed = new Set<string>();
  const attempts = new Set<string>();
  const consoleErrors: string[] = [];

  async function open(file: string, html: string): Promise<Page> {
    const abs = path.join(work, file);
    await writeFile(abs, html);
    const url = pathToFileURL(abs).href;
    allowed.add(url);
    const page = await context.newPage();
    page.on('request', (r) => {
      if (!allowed.has(r.url()) && !r.url().startsWith('data:')) attempts.add(r.url());
    });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(url, { waitUntil: 'load' });
    return page;
  }

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'sh-report-print-'));
    await mkdir(path.join(work, 'profile'));
    await mkdir(ARTIFACTS, { recursive: true });
    context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1100, height: 900 },
      // Without the page's own CSP, Chromium would try every external reference the HTML had,
      // so the route below sees it: the test checks the HTML, not the policy.
      bypassCSP: true,
    });
    // Only the report file itself may load; everything else is aborted and recorded.
    await context.route('**', (route) => {
      const url = route.request().url();
      if (allowed.has(url)) return route.continue();
      attempts.add(url);
      return route.abort('blockedbyclient');
    });
    small = await open('report.html', renderReportHtml(buildSampleEvidenceReport(), { signature: SIGNATURE }));
    large = await open('report-large.html', renderReportHtml(buildSampleEvidenceReport({ findings: 300 }), { signature: SIGNATURE }));
    const base = buildSampleEvidenceReport({ findings: 6_000 });
    const extraReads = Array.from({ length: 400 }, (_, i) => ({ ...base.reads[0]!, sha256: (i + 1).toString(16).padStart(64, '0'), endpoint: `/api/0/projects/acme-robotics/p-${i}/` }));
    huge = await open('report-huge.html', renderReportHtml({ ...base, reads: [...base.reads, ...extraReads] }, { signature: SIGNATURE }));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('would notice a request: a page with external references is caught', async () => {
    const canary = await open(
      'canary.html',
      '<!DOCTYPE html><html><head><link rel="stylesheet" href="https://styles.invalid/x.css"></head><body><img src="http://127.0.0.1:9/pixel.png" alt=""></body></html>',
    );
    await canary.close();
    expect([...attempts].sort()).toEqual(['http://127.0.0.1:9/pixel.png', 'https://styles.invalid/x.css']);
    attempts.clear();
    // The blocked loads log "Failed to load resource"; only the reports' own errors matter below.
    consoleErrors.length = 0;
  });

  it('prints to PDF: A4 and Letter, several pages for many findings', async () => {
    const a4 = await large.pdf({ format: 'A4', printBackground: true });
    const letter = await large.pdf({ format: 'Letter', printBackground: true });
    const short = await small.pdf({ format: 'A4', printBackground: true });
    await writeFile(path.join(ARTIFACTS, 'report-a4.pdf'), a4);
    await writeFile(path.join(ARTIFACTS, 'report-letter.pdf'), letter);
    for (const pdf of [a4, letter, short]) {
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.subarray(-8).toString('latin1')).toContain('%%EOF');
    }
    expect(a4.length).toBeGreaterThan(100_000);
    // Section breaks alone give the short report about a dozen pages; 300 findings need more.
    expect(pdfPageCount(short)).toBeGreaterThanOrEqual(8);
    expect(pdfPageCount(a4)).toBeGreaterThan(pdfPageCount(short) + 5);
    expect(pdfPageCount(letter)).toBeGreaterThan(pdfPageCount(short) + 5);
  }, 60_000);

  it('fits the printed page: no table, chart or list is wider than A4 between margins', async () => {
    const page = await context.newPage();
    const url = [...allowed].find((u) => u.endsWith('/report.html'))!;
    await page.emulateMedia({ media: 'print' });
    // A4 is 210 mm; the page margins are 12 mm each side: 186 mm at 96 px per inch.
    await page.setViewportSize({ width: Math.floor((186 / 25.4) * 96), height: 1000 });
    await page.goto(url);
    const overflowing = await page.evaluate(() => {
      const limit = document.documentElement.clientWidth + 1;
      return [...document.querySelectorAll('table, svg.bars, dl, figure, section, header')]
        .filter((e) => e.getBoundingClientRect().right > limit || e.scrollWidth > e.clientWidth + 1)
        .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${e.getAttribute('class') ?? ''}`);
    });
    await page.close();
    expect(overflowing).toEqual([]);
  });

  it('never breaks a word of a table header in print (no "Contr-ol"), nor lets one spill out of its cell', async () => {
    const page = await context.newPage();
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: Math.floor((186 / 25.4) * 96), height: 1000 });
    const problems: string[] = [];
    let headers = 0;
    for (const name of ['/report.html', '/report-huge.html']) {
      await page.goto([...allowed].find((u) => u.endsWith(name))!);
      const found = await page.evaluate(() => {
        const out: string[] = [];
        let count = 0;
        for (const th of document.querySelectorAll('th')) {
          if (th.getClientRects().length === 0) continue; // folded away or screen-reader only
          count++;
          const cell = th.getBoundingClientRect();
          const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const textNode = n as Text;
            for (const m of textNode.data.matchAll(/\S+/g)) {
              const range = document.createRange();
              range.setStart(textNode, m.index);
              range.setEnd(textNode, m.index + m[0].length);
              const rects = [...range.getClientRects()].filter((r) => r.width > 0);
              // A compound may wrap after its hyphen ("acme-|robotics"); nothing else may break.
              let at = m.index;
              for (const part of m[0].split(/(?<=-)/)) {
                const piece = document.createRange();
                piece.setStart(textNode, at);
                piece.setEnd(textNode, at + part.length);
                at += part.length;
                const tops = new Set([...piece.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
                if (tops.size > 1) out.push(`split: "${m[0]}"`);
              }
              if (rects.some((r) => r.right > cell.right + 1)) out.push(`spills: "${m[0]}" (${Math.round(Math.max(...rects.map((r) => r.right)) - cell.right)} px)`);
            }
          }
        }
        return { out, count };
      });
      problems.push(...found.out);
      headers += found.count;
    }
    await page.close();
    expect(headers).toBeGreaterThan(100);
    expect(problems).toEqual([]);
    // And the same layout prints: the counts tables with their "Control" header are in the PDF.
    const pdf = await small.pdf({ format: 'A4', printBackground: true });
    await writeFile(path.join(ARTIFACTS, 'report-small-a4.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 60_000);

  it('opens a huge report folded, and a link into a folded list opens it at the read', async () => {
    const folds = await huge.evaluate(() => [...document.querySelectorAll('details.more')].map((d) => (d as HTMLDetailsElement).open));
    expect(folds.length).toBeGreaterThanOrEqual(2);
    expect(folds.every((open) => !open)).toBe(true);
    // A read past the open register rows sits in a folded list; following its link reveals it.
    const target = await huge.evaluate(() => document.querySelector('ol.reads li')!.id);
    await huge.goto(`${huge.url().split('#')[0]}#${target}`);
    // Opening and scrolling happen after navigation (a frame later on a loaded machine); Chromium may
    // scroll the row to a sub-pixel above the top, so "visible" means it intersects the viewport.
    const handle = await huge.waitForFunction(
      (id) => {
        const el = document.getElementById(id)!;
        const r = el.getBoundingClientRect();
        const state = { open: (el.closest('details') as HTMLDetailsElement).open, visible: r.height > 0 && r.bottom > 0 && r.top < window.innerHeight };
        return state.open && state.visible ? state : null;
      },
      target,
      { timeout: 5_000 },
    ).catch(() => null);
    const shown = handle ? await handle.jsonValue() : null;
    expect(shown).toEqual({ open: true, visible: true });
    const pdf = await huge.pdf({ format: 'A4', printBackground: true });
    await writeFile(path.join(ARTIFACTS, 'report-huge-a4.pdf'), pdf);
    expect(pdfPageCount(pdf)).toBeGreaterThan(8);
  }, 60_000);

  it('renders the scorecard: bars in proportion, in the pass and fail colours', async () => {
    const scorecard = small.locator('#scorecard');
    const box = await scorecard.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(300);
    const png = await scorecard.screenshot();
    await writeFile(path.join(ARTIFACTS, 'scorecard.png'), png);
    if (!existsSync(DOCS_SCREENSHOT) || process.env.UPDATE_SCREENSHOTS === '1') {
      await mkdir(path.dirname(DOCS_SCREENSHOT), { recursive: true });
      await copyFile(path.join(ARTIFACTS, 'scorecard.png'), DOCS_SCREENSHOT);
    }

    // Laid out by the browser: section 2 has 6 pass before and 9 after on one scale.
    const before = await small.locator('#chart-section-2 rect[data-status="pass"]').nth(0).boundingBox();
    const after = await small.locator('#chart-section-2 rect[data-status="pass"]').nth(1).boundingBox();
    expect(before!.width).toBeGreaterThan(50);
    expect(after!.width / before!.width).toBeCloseTo(9 / 6, 1);

    // The pixels of the charts, read back through the page's own canvas.
    const charts = await small.locator('#scorecard-charts').screenshot();
    const dataUrl = `data:image/png;base64,${charts.toString('base64')}`;
    const colours = { pass: STATUS_COLORS.pass, fail: STATUS_COLORS.fail, error: STATUS_COLORS.error, unused: '#ff00ff' };
    const counts = await small.evaluate(
      async ({ dataUrl, colours }) => {
        const img = new Image();
        img.src = dataUrl;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const g = canvas.getContext('2d')!;
        g.drawImage(img, 0, 0);
        const data = g.getImageData(0, 0, canvas.width, canvas.height).data;
        const out: Record<string, number> = {};
        for (const [name, hex] of Object.entries(colours)) {
          const [r, gr, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
          let n = 0;
          for (let i = 0; i < data.length; i += 4) {
            if (Math.abs(data[i]! - r!) <= 6 && Math.abs(data[i + 1]! - gr!) <= 6 && Math.abs(data[i + 2]! - b!) <= 6) n++;
          }
          out[name] = n;
        }
        return out;
      },
      { dataUrl, colours },
    );
    // Bars are 26 px high and hundreds of pixels long; the one error segment is about 56 px long.
    expect(counts.pass).toBeGreaterThan(5_000);
    expect(counts.fail).toBeGreaterThan(5_000);
    expect(counts.error).toBeGreaterThan(800);
    expect(counts.unused).toBe(0);
  });

  it('made no network request and logged no error', () => {
    expect([...attempts]).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});

// Report-scale benchmark: report.html of a generated organization scaled to
// 10,000 projects and 50,000 members (a real audit of 100 projects through the simulator, copied
// 100 times: bench/report-scale-fixture.ts). Prints its size, the time to render it in Node and
// the time Chromium takes to load, lay out and paint it (median of three fresh browsers), for an
// audit package and a before/after session package. Goals: under 10 MB, under 3 s in Chromium.
//   npm run bench:report-scale [-- --projects 10000] [-- --no-chromium]
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { renderReportHtml } from '../core/evidence/render/html/index';
import type { EvidenceReport } from '../shared/evidence';
import { auditSmallOrg, scaleReport, withBefore } from './report-scale-fixture';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const BASE_PROJECTS = 100;
const projects = Number(option('--projects') ?? 10_000);
const CHROMIUM = '/usr/bin/chromium';
const useChromium = !argv.includes('--no-chromium') && existsSync(CHROMIUM);
const goal = (ok: boolean): string => (ok ? 'ok' : 'MISSED');

interface PageFigures {
  /** From the start of navigation to the end of the second animation frame after load (style, layout, paint). */
  readonly loadMs: number;
  /** Chromium's own navigation timing: navigation start to the load event's end. */
  readonly loadEventMs: number;
  readonly nodes: number;
  readonly heightPx: number;
}

// Run inside the page (strings: bench/ is typechecked without the DOM library).
const AFTER_TWO_FRAMES = 'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now()))))';
const FIGURES = '({ loadEventMs: performance.getEntriesByType("navigation")[0].loadEventEnd, nodes: document.getElementsByTagName("*").length, heightPx: document.documentElement.scrollHeight })';

async function chromiumLoadMs(file: string): Promise<PageFigures> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 120_000 });
    // Two animation frames after load: style, layout and the first paint are done.
    const loadMs = await page.evaluate<number>(AFTER_TWO_FRAMES);
    const figures = await page.evaluate<{ loadEventMs: number; nodes: number; heightPx: number }>(FIGURES);
    return { loadMs, ...figures };
  } finally {
    await browser.close();
  }
}

const base = await auditSmallOrg(BASE_PROJECTS);
const k = Math.max(1, Math.round(projects / BASE_PROJECTS));
const work = await mkdtemp(path.join(tmpdir(), 'sh-report-scale-'));
try {
  const audit = scaleReport(base, k);
  const variants: [string, EvidenceReport][] = [['audit package', audit], ['session package (before and after)', withBefore(audit)]];
  console.log(`report-scale: ${BASE_PROJECTS * k} projects, ${BASE_PROJECTS * k * 5} members (a ${BASE_PROJECTS}-project audit x ${k}); ${audit.findings.length} findings, ${audit.reads.length} reads`);
  for (const [name, report] of variants) {
    const started = performance.now();
    const html = renderReportHtml(report);
    const renderMs = performance.now() - started;
    const bytes = Buffer.byteLength(html);
    const file = path.join(work, `${name.split(' ')[0]}.html`);
    await writeFile(file, html);
    console.log(`  ${name}`);
    console.log(`    report.html           ${(bytes / 1e6).toFixed(2)} MB   (goal < 10 MB: ${goal(bytes < 10e6)})`);
    console.log(`    render in Node        ${(renderMs / 1000).toFixed(2)} s`);
    if (useChromium) {
      // Three fresh browsers: the median is what a person sees on a machine shared with other work.
      const runs: PageFigures[] = [];
      for (let i = 0; i < 3; i++) runs.push(await chromiumLoadMs(file));
      runs.sort((a, b) => a.loadMs - b.loadMs);
      const c = runs[1]!;
      console.log(
        `    Chromium load+paint   ${(c.loadMs / 1000).toFixed(2)} s median of 3 (min ${(runs[0]!.loadMs / 1000).toFixed(2)}, max ${(runs[2]!.loadMs / 1000).toFixed(2)})   (goal < 3 s: ${goal(c.loadMs < 3000)}); load event at ${(c.loadEventMs / 1000).toFixed(2)} s; ${c.nodes} elements, ${c.heightPx} px tall`,
      );
    }
  }
  if (!useChromium) console.log(`  Chromium not measured (${argv.includes('--no-chromium') ? '--no-chromium' : `${CHROMIUM} is missing`})`);
} finally {
  await rm(work, { recursive: true, force: true });
}

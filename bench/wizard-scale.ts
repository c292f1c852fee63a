// The wizard on a large organization (issue 12, item 4): web mode (`sentry-harden ui`) on a
// generated organization played by the simulator, driven in Chromium. Prints what the page
// receives and how fast it shows it:
//   npm run bench:wizard-scale [-- --members 5000] [--level L1|L2|L3] [--rounds 5] [--latency 0]
// Figures: the audit call's payload, each step's payload, step switch (median of several, first
// visit and return), first results after the audit's last answer from Sentry, DOM nodes and page
// height of the first section, each step's fix plan answer (paged: its summary and first pages).
// Goals: under 1 MB a step (results and plan), switch under 500 ms, first results under 2 s.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { startUi } from '../cli/ui';
import type { Keychain } from '../core/secrets/index';
import type { Level } from '../shared/levels';
import { sectionOfControl } from '../shared/sections';
import { startGeneratedDemoBackend, type RunningSimulator } from '../simulator/index';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '5000' },
    level: { type: 'string', default: 'L1' },
    rounds: { type: 'string', default: '5' },
    latency: { type: 'string', default: '0' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    'with-plans': { type: 'boolean', default: false },
  },
});
const members = Number(values.members);
const level = values.level as Level;
const rounds = Math.max(1, Number(values.rounds));
const ROOT = path.resolve(import.meta.dirname, '..');
const SECTIONS = ['Authentication & SSO', 'Access controls', 'Data security', 'Monitoring & audit logs', 'Integrations review'];

function memoryKeychain(): Keychain {
  const items = new Map<string, string>();
  return {
    service: 'sentry-harden-bench',
    backend: 'secret-service',
    setSecret: async (account, secret) => void items.set(account, secret),
    getSecret: async (account) => items.get(account) ?? null,
    deleteSecret: async (account) => items.delete(account),
    probe: async () => ({ available: true, backend: 'secret-service' }),
  };
}

function buildRenderer(outDir: string): void {
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vite build failed: ${r.stderr || r.stdout}`);
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** `section` is the section a results page asked for (the steps' pages are asked for when the run arrives). */
const answers: { channel: string; bytes: number; at: number; step: string; section: string | null }[] = [];

/**
 * Clicks the step in the wizard's step list and measures in the page, from the click until the
 * step shows its results and the browser painted them (no test-driver overhead).
 */
async function switchTo(page: Page, title: string): Promise<number> {
  const ms = await page.evaluate(async (t) => {
    const shown = () => {
      const h1 = document.querySelector('h1');
      if (!h1 || h1.textContent?.trim() !== t || !document.querySelector('.section-counts')) return false;
      const loading = [...document.querySelectorAll('[role="status"]')].some((e) => /Loading the results/.test(e.textContent ?? ''));
      return !loading && document.querySelectorAll('.card.control').length > 0;
    };
    const button = [...document.querySelectorAll<HTMLButtonElement>('nav[aria-label="Wizard steps"] button')].find((b) => b.textContent?.includes(t));
    if (!button) throw new Error(`no step button ${t}`);
    const t0 = performance.now();
    button.click();
    const deadline = t0 + 120_000;
    while (!shown()) {
      if (performance.now() > deadline) return -1;
      await new Promise((r) => setTimeout(r, 5));
    }
    // Until the frame with it is painted.
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return performance.now() - t0;
  }, title);
  if (ms < 0) await sectionShown(page, title);
  return ms;
}

/** Resolves once the section step titled `title` shows its results (or that it has none). */
async function sectionShown(page: Page, title: string): Promise<void> {
  await page.waitForFunction(
    (t) => {
      const h1 = document.querySelector('h1');
      if (!h1 || h1.textContent?.trim() !== t) return false;
      if (!document.querySelector('.section-counts')) return false;
      const loading = [...document.querySelectorAll('[role="status"]')].some((e) => /Loading the results/.test(e.textContent ?? ''));
      return !loading && document.querySelectorAll('.card.control').length > 0;
    },
    title,
    { timeout: 120_000, polling: 10 },
  ).catch(async (e: unknown) => {
    const seen = await page.evaluate(() => ({
      h1: document.querySelector('h1')?.textContent,
      status: [...document.querySelectorAll('[role="status"]')].map((x) => x.textContent),
      controls: document.querySelectorAll('.card.control').length,
      counts: document.querySelectorAll('.section-counts').length,
    }));
    const log = answers.map((a) => `${a.channel} ${kb(a.bytes)} during ${a.step}`).join('; ');
    throw new Error(`"${title}" not shown: ${JSON.stringify(seen)}; answers: ${log}`, { cause: e });
  });
}

const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'wizard-scale-renderer-'));
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wizard-scale-data-'));
buildRenderer(rendererDir);
const projects = Math.round(members / 5);
const backend: { simulator: RunningSimulator | null } = { simulator: null };
const ui = await startUi(
  {
    demo: true,
    port: 0,
    dataDir,
    rendererDir,
    keychain: memoryKeychain(),
    signingKeychain: memoryKeychain(),
    openUrl: () => undefined,
    timeoutMs: 60_000,
    demoBackend: async () => {
      const started = await startGeneratedDemoBackend(
        { projects, keysPerProject: 2, members, teams: Math.max(1, Math.round(projects / 5)), integrations: 30, seed: 11 },
        { latencyMs: Number(values.latency) },
      );
      backend.simulator = started.simulator;
      return started;
    },
  },
  { env: { ...process.env } },
);
const browser = await chromium.launch({ executablePath: values.chromium, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Every API answer the page receives: channel, bytes, when (Node's clock), and the step shown then.
  let step = 'before the checks';
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/api/') || url.pathname === '/api/events') return;
    const at = Date.now();
    const during = step;
    const asked = (() => {
      try {
        const asked = JSON.parse(response.request().postData() ?? '{}') as { section?: string; control?: string };
        return asked.section ?? (asked.control ? sectionOfControl(asked.control) : null);
      } catch {
        return null;
      }
    })();
    pending.push(
      response.body().then(
        (body) => void answers.push({ channel: decodeURIComponent(url.pathname.slice('/api/'.length)), bytes: body.length, at, step: during, section: asked }),
        () => undefined,
      ),
    );
  });
  // The fix plan each step asks for on its own (FixPanel): its real answer is measured; unless
  // --with-plans, the page gets the plan without steps or notes, so the results are timed apart
  // from the plan's list (issue 12 item 4 is the results; the plan's size is printed too).
  const plans: { bytes: number; steps: number; notes: number; step: string }[] = [];
  await page.route(/\/api\/fix:plan$/, async (route) => {
    const during = step;
    const real = await route.fetch();
    const body = await real.text();
    const parsed = JSON.parse(body) as { ok: boolean; value?: { steps: unknown[]; notes: unknown[]; stepCount?: number; noteCounts?: Record<string, number> } };
    // The plan's whole size in steps and notes; the answer carries the first page of each.
    const notes = parsed.value?.noteCounts ? Object.values(parsed.value.noteCounts).reduce((a, b) => a + b, 0) : (parsed.value?.notes.length ?? 0);
    plans.push({ bytes: Buffer.byteLength(body), steps: parsed.value?.stepCount ?? parsed.value?.steps.length ?? 0, notes, step: during });
    if (values['with-plans'] || !parsed.ok || !parsed.value) return route.fulfill({ response: real, body });
    return route.fulfill({ response: real, body: JSON.stringify({ ok: true, value: { ...parsed.value, steps: [], notes: [] } }) });
  });
  // How long main took to answer each results page (request sent to answer received).
  const findingsMs: number[] = [];
  page.on('requestfinished', (request) => {
    if (!request.url().endsWith('/api/audit:findings')) return;
    const t = request.timing();
    findingsMs.push(t.responseEnd - t.requestStart);
  });
  // tsx names the functions it compiles (`__name(fn, "x")`); the page has no such helper.
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.goto(ui.url);
  await page.getByRole('button', { name: /Use the demo organization/ }).click();
  await page.getByText('Ready to review').waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: /^Continue to / }).click();
  if (level !== 'L1') await page.locator(`input[type="radio"][value="${level}"]`).check();
  // The first results: the moment the first row of a results table appears (the browser's clock).
  await page.evaluate(() => {
    const w = window as unknown as { firstRowsAt?: number };
    new MutationObserver((_, observer) => {
      if (document.querySelector('.results-table tbody tr')) {
        w.firstRowsAt = Date.now();
        observer.disconnect();
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  step = SECTIONS[0]!;
  const clickedAt = Date.now();
  await page.getByRole('button', { name: /^Continue to / }).click();
  await page.getByRole('button', { name: 'Re-check now' }).waitFor({ timeout: 600_000 });
  await sectionShown(page, SECTIONS[0]!);
  await page.waitForFunction(() => (window as unknown as { firstRowsAt?: number }).firstRowsAt !== undefined, null, { timeout: 60_000 });
  const firstRowsAt = await page.evaluate(() => (window as unknown as { firstRowsAt: number }).firstRowsAt);
  await Promise.all(pending.splice(0));
  const auditAnswer = answers.find((a) => a.channel === 'audit:run');
  const sim = backend.simulator;
  if (!auditAnswer || !sim) throw new Error('the audit did not answer');
  // Sentry's last answer to the audit: the last request the simulator finished before the audit's answer.
  const finished = sim.requests.map((r) => Date.parse(r.time) + r.durationMs).filter((t) => t <= auditAnswer.at);
  const lastSentryAnswer = Math.max(...finished);
  const firstSection = await page.evaluate(() => ({
    domNodes: document.querySelectorAll('*').length,
    pageHeight: document.documentElement.scrollHeight,
    rows: document.querySelectorAll('.results-table tbody tr').length,
    groups: document.querySelectorAll('.check-group').length,
    folded: document.querySelectorAll('details.passing-checks').length,
  }));

  // Step switches: every section once (first visit), then round trips (the pages are held).
  const firstVisit: number[] = [];
  const returning: number[] = [];
  for (const [i, title] of SECTIONS.entries()) {
    if (i === 0) continue;
    step = title;
    firstVisit.push(await switchTo(page, title));
  }
  for (let r = 0; r < rounds; r += 1) {
    for (const title of SECTIONS) {
      step = title;
      returning.push(await switchTo(page, title));
    }
  }
  await page.waitForLoadState('networkidle');
  await Promise.all(pending.splice(0));

  // Per step: its results page (by the section asked for), the other pages it loaded (the
  // integration inventory), and what else it asked for while shown.
  const SECTION_IDS: Record<string, string> = { '1': SECTIONS[0]!, '2': SECTIONS[1]!, '3': SECTIONS[2]!, '4': SECTIONS[3]!, INT: SECTIONS[4]! };
  const perStep = new Map<string, { findings: number; other: Map<string, number> }>();
  const entryOf = (title: string) => perStep.get(title) ?? perStep.set(title, { findings: 0, other: new Map<string, number>() }).get(title)!;
  for (const a of answers) {
    if (a.channel === 'audit:findings') {
      const title = a.section ? SECTION_IDS[a.section] : a.step;
      if (title && SECTIONS.includes(title)) entryOf(title).findings += a.bytes;
    } else if (SECTIONS.includes(a.step) && a.channel !== 'audit:run' && a.channel !== 'fix:plan') {
      const other = entryOf(a.step).other;
      other.set(a.channel, (other.get(a.channel) ?? 0) + a.bytes);
    }
  }
  const counts = await page.evaluate(() => document.querySelector('.section-counts')?.textContent ?? '');
  console.log(`wizard-scale: ${projects} projects, ${members} members, level ${level}, simulator latency ${values.latency} ms, ${sim.requests.length} Sentry requests`);
  if (!values['with-plans']) console.log('(fix:plan answers measured, then given to the page without their steps and notes: --with-plans to render them)');
  console.log(`audit call (audit:run) payload: ${auditAnswer.bytes} bytes (${kb(auditAnswer.bytes)})`);
  for (const title of SECTIONS) {
    const e = perStep.get(title);
    const other = e ? [...e.other].map(([c, b]) => `${c} ${kb(b)}`).join(', ') : '';
    const plan = plans.filter((p) => p.step === title).map((p) => `${p.bytes} bytes (${kb(p.bytes)}, ${p.steps} steps, ${p.notes} notes)`).join(' + ');
    console.log(`step ${title}: results (audit:findings) ${e?.findings ?? 0} bytes (${kb(e?.findings ?? 0)})${other ? `; also ${other}` : ''}; fix:plan ${plan || 'none'}`);
  }
  // Issue 12: a step's plan answer (the summary and the first page of each part) under 1 MB.
  const largest = plans.reduce((m, p) => (p.bytes > m.bytes ? p : m), { bytes: 0, step: 'none', steps: 0, notes: 0 });
  console.log(`largest fix:plan answer: ${largest.bytes} bytes (${kb(largest.bytes)}) in ${largest.step}: ${largest.bytes < 1024 * 1024 ? 'under' : 'OVER'} the 1 MB goal`);
  console.log(`step switch: first visit median ${median(firstVisit).toFixed(0)} ms (max ${Math.max(...firstVisit).toFixed(0)}); return visits median ${median(returning).toFixed(0)} ms over ${returning.length} (max ${Math.max(...returning).toFixed(0)})`);
  console.log(`results pages (audit:findings): ${findingsMs.length} answered, median ${median(findingsMs).toFixed(0)} ms, max ${Math.max(...findingsMs).toFixed(0)} ms from request to answer`);
  console.log(`first results after the audit's last answer from Sentry: ${firstRowsAt - lastSentryAnswer} ms (audit answer reached the page ${auditAnswer.at - lastSentryAnswer} ms after it; click to first results ${firstRowsAt - clickedAt} ms)`);
  console.log(`first section: ${firstSection.domNodes} DOM nodes, ${firstSection.pageHeight} px tall, ${firstSection.rows} table rows in ${firstSection.groups} check groups, ${firstSection.folded} folded passing groups`);
  console.log(`last section counts: ${counts.replace(/\s+/g, ' ').trim()}`);
} finally {
  await browser.close();
  await ui.close();
  rmSync(rendererDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}

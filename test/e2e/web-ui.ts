import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startUi } from '../../cli/ui';
import type { RunningUi } from '../../cli/ui';
import type { Keychain } from '../../core/secrets/index';
import { DEMO_TOKENS, type startDemoBackend } from '../../simulator/index';
import type { ServerProfileName } from '../../simulator/index';

/** Helpers of the browser tests: build, web mode on the simulator, Chromium, token checks. */

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Why the browser tests cannot run here, or null when they can. */
export function browserTestsUnavailable(): string | null {
  if (!existsSync(CHROMIUM_PATH)) return `${CHROMIUM_PATH} is missing (install Chromium to run the browser tests)`;
  return null;
}

/**
 * Builds the renderer into a private folder, so the test never races another process over
 * dist/renderer and always runs the sources as they are now.
 */
export function buildRenderer(outDir: string): void {
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`vite build failed (${r.status}): ${r.stderr || r.stdout}`);
}

export interface WebUi {
  readonly ui: RunningUi;
  readonly dataDir: string;
  /** Every event the server sent on its event stream, as raw text. */
  readonly events: () => string;
  close(): Promise<void>;
}

/**
 * A keychain in memory, standing in for the OS one so a typed token can be stored whatever the
 * machine offers (the OS keychain has its own tests). It is the only place the token may rest.
 */
export function memoryKeychain(): Keychain & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    service: 'sentry-harden-e2e',
    backend: 'secret-service',
    setSecret: async (account, secret) => {
      items.set(account, secret);
    },
    getSecret: async (account) => items.get(account) ?? null,
    deleteSecret: async (account) => items.delete(account),
    probe: async () => ({ available: true, backend: 'secret-service' }),
  };
}

/** `sentry-harden ui --demo --port 0` in this process, with its own data folder. */
export async function startDemoUi(
  rendererDir: string,
  keychain: Keychain = memoryKeychain(),
  demoServerProfile?: ServerProfileName,
  /** The browser that prints "Save as PDF" (default: the one found on this machine); null: none. */
  chromium?: string | null,
  /** The demo's simulator, when the test needs its hand on it (faults, latency). */
  demoBackend?: () => ReturnType<typeof startDemoBackend>,
): Promise<WebUi> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sentry-harden-e2e-'));
  const ui = await startUi(
    {
      demo: true,
      port: 0,
      dataDir,
      rendererDir,
      timeoutMs: 10_000,
      keychain,
      openUrl: () => undefined,
      ...(demoServerProfile ? { demoServerProfile } : {}),
      ...(chromium !== undefined ? { chromium } : {}),
      ...(demoBackend ? { demoBackend } : {}),
    },
    { env: { ...process.env } },
  );
  // A listener of our own on the event stream: what the page receives there is checked too.
  let events = '';
  const secret = new URL(ui.url).hash.replace(/^#secret=/, '');
  const req = http.get(`${ui.origin}/api/events?secret=${encodeURIComponent(secret)}`, { headers: { 'Sec-Fetch-Site': 'same-origin' } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      events += chunk;
    });
  });
  req.on('error', () => undefined);
  return {
    ui,
    dataDir,
    events: () => events,
    close: async () => {
      req.destroy();
      await ui.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** What every browser suite sets up once: the renderer built privately, one Chromium, and what to close after. */
export interface BrowserSuite {
  readonly rendererDir: string;
  readonly browser: Browser;
  /** Closed after the suite's tests, newest first, before the browser and the renderer go. */
  cleanup(close: () => Promise<void> | void): void;
}

/**
 * Call inside a `describe`: builds the renderer into a private folder and launches Chromium before
 * the suite's tests (then runs `setup`, for what the suite starts once), and after them closes what
 * was registered with `cleanup`, the browser, and removes the renderer.
 */
export function browserSuite(setup?: (suite: BrowserSuite) => Promise<void> | void): BrowserSuite {
  let rendererDir: string | null = null;
  let browser: Browser | null = null;
  const closers: (() => Promise<void> | void)[] = [];
  const suite: BrowserSuite = {
    get rendererDir() {
      if (rendererDir === null) throw new Error('the browser suite is not set up yet (use it inside a test)');
      return rendererDir;
    },
    get browser() {
      if (browser === null) throw new Error('the browser suite is not set up yet (use it inside a test)');
      return browser;
    },
    cleanup: (close) => void closers.push(close),
  };
  beforeAll(async () => {
    rendererDir = mkdtempSync(path.join(os.tmpdir(), 'sentry-harden-renderer-'));
    buildRenderer(rendererDir);
    browser = await launchChromium();
    await setup?.(suite);
  }, 120_000);
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await browser?.close();
    if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
  });
  return suite;
}

/** The demo's tokens and a long prefix of each (a truncated leak is a leak). */
export function tokenNeedles(): string[] {
  return Object.values(DEMO_TOKENS).flatMap((t) => [t, t.slice(0, 24)]);
}

export function findToken(text: string): string | null {
  return tokenNeedles().find((n) => text.includes(n)) ?? null;
}

/** Records every response body the page receives (the event stream is read by `WebUi.events`). */
export function recordResponses(page: Page): () => Promise<{ url: string; body: string }[]> {
  const pending: Promise<{ url: string; body: string }>[] = [];
  page.on('response', (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (type.includes('text/event-stream')) return;
    pending.push(
      response
        .text()
        .then((body) => ({ url: response.url(), body }))
        .catch(() => ({ url: response.url(), body: '' })),
    );
  });
  return () => Promise.all(pending);
}

/** localStorage, sessionStorage, IndexedDB and cookies, as text. */
export async function storageDump(page: Page, context: BrowserContext): Promise<string> {
  const inPage = await page.evaluate(async () => {
    const dump = (s: Storage) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => s.key(i) ?? '').map((k) => [k, s.getItem(k)]));
    const databases = await indexedDB.databases();
    return JSON.stringify({ local: dump(localStorage), session: dump(sessionStorage), databases });
  });
  return `${inPage}\n${JSON.stringify(await context.cookies())}`;
}

/** True when the page is wider than the viewport (horizontal scrolling). */
export async function overflowsHorizontally(
  page: Page,
): Promise<{ overflow: boolean; scrollWidth: number; clientWidth: number; offenders: string[] }> {
  return page.evaluate(() => {
    const el = document.documentElement;
    // The innermost elements that stick out, to say what to fix.
    const offenders = [...document.body.querySelectorAll('*')]
      .filter((e) => e.getBoundingClientRect().right > el.clientWidth + 1)
      .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > el.clientWidth + 1))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${(e.textContent ?? '').slice(0, 60)}`);
    return { overflow: el.scrollWidth > el.clientWidth, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, offenders };
  });
}

// ---- wizard steps shared by the E2E sessions ----

export const continueButton = (page: Page) => page.getByRole('button', { name: /^Continue to / });

export async function connectDemo(page: Page): Promise<void> {
  await page.getByRole('button', { name: /Use the demo organization/ }).click();
  await page.getByText('Ready to review').waitFor();
}

export async function waitForChecks(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Re-check now' }).waitFor({ timeout: 30_000 });
}

/** Applies the checked changes through the confirmation dialog and waits for the results. */
export async function applyChecked(page: Page, count: number): Promise<void> {
  await page.getByRole('button', { name: `Apply ${count} selected change${count === 1 ? '' : 's'}…` }).click();
  const dialog = page.getByRole('dialog', { name: 'Apply these changes?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: `Apply ${count} change${count === 1 ? '' : 's'}` }).click();
  await page.getByRole('table', { name: 'What was applied' }).waitFor({ timeout: 30_000 });
}

/** The count shown for one status in the current step's results line. */
export async function sectionCount(page: Page, status: 'pass' | 'fail' | 'error' | 'manual'): Promise<number> {
  const index = ['pass', 'fail', 'error', 'manual'].indexOf(status);
  return Number((await page.locator('.section-counts .count').nth(index).innerText()).replace(/\D+/g, ''));
}

/** Undoes the first applied change whose Undo button matches, and returns the "What was undone" text. */
export async function undoFirst(page: Page, button: RegExp): Promise<string> {
  await page.getByRole('button', { name: button }).first().click();
  await page.getByRole('dialog', { name: 'Undo this change?' }).getByRole('button', { name: 'Undo' }).click();
  const undone = page.getByRole('table', { name: 'What was undone' });
  await undone.waitFor({ timeout: 30_000 });
  return undone.innerText();
}

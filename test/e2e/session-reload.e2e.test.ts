import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUi } from '../../cli/ui';
import type { RunningUi } from '../../cli/ui';
import { createAppStore } from '../../core/store/index';
import { startDemoBackend } from '../../simulator/index';
import type { WebUi } from './web-ui';
import {
  applyChecked,
  browserTestsUnavailable,
  buildRenderer,
  connectDemo,
  continueButton,
  findToken,
  launchChromium,
  memoryKeychain,
  startDemoUi,
  undoFirst,
  waitForChecks,
} from './web-ui';

/**
 * A session is a durable record (issue 12): a full demo session at L3 in real Chromium, the page
 * reloaded at every step and compared before and after (level, step, rows, change log); then a
 * restart of `sentry-harden ui` over the same data folder mid-session, and the signed package
 * saved after it still holds the before audit and the changes.
 */

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`browser tests skipped: ${unavailable}`);

interface VisibleState {
  readonly heading: string;
  readonly steps: string;
  readonly level: string;
  readonly checks: string;
  readonly counts: string;
  readonly controls: string;
  readonly changes: string;
  /** "What was applied" and "What was undone" after an apply or undo, with the re-check line. */
  readonly outcomes: string;
  /** The fix plan the step shows (its changes and choices). */
  readonly plan: string;
  readonly exceptions: string;
  readonly summary: string;
}

/** What the person sees of the session: the step, the level, the checks, every control block and the change log. */
async function visibleState(page: Page): Promise<VisibleState> {
  return page.evaluate(() => {
    const text = (selector: string) =>
      [...document.querySelectorAll(selector)].map((e) => (e as HTMLElement).innerText.trim()).join('\n---\n');
    return {
      heading: text('h1#step-heading'),
      steps: [...document.querySelectorAll('.steps-nav li')].map((li) => `${li.className}:${(li as HTMLElement).innerText}`).join(' | '),
      level: (document.querySelector('input[name="profile-level"]:checked') as HTMLInputElement | null)?.value ?? '',
      checks: text('.checks-meta'),
      counts: text('.section-counts'),
      controls: text('section.control'),
      changes: text('.applied-list'),
      outcomes: text('.fix-panel .outcome'),
      plan: text('.fix-panel fieldset.fix-steps, .fix-panel .param-form'),
      exceptions: text('ul.exceptions'),
      summary: document.querySelector('h1#step-heading')?.textContent === 'Summary' ? text('main.step') : '',
    };
  });
}

/** What the step asks main for after it shows (its rows, what changed, its plan) has arrived. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => ![...document.querySelectorAll('[role="status"]')].some((e) => /Loading|Planning fixes|Running the live checks/.test(e.textContent ?? '')) && !document.querySelector('[aria-busy="true"]'),
    null,
    { timeout: 30_000 },
  );
}

/** Reloads the page and waits until it shows exactly what it showed before. */
async function reloadAndCompare(page: Page, where: string): Promise<VisibleState> {
  // What the step asks main for after it shows (its rows, what changed) has arrived.
  await settled(page);
  const before = await visibleState(page);
  await page.reload();
  await expect.poll(() => visibleState(page), { timeout: 30_000, interval: 250, message: `after a reload at ${where}` }).toEqual(before);
  return before;
}

async function savePackage(page: Page): Promise<{ dir: string; report: { before: unknown; changes: unknown[]; level: string } }> {
  await page.getByRole('button', { name: 'Save the signed package' }).click();
  await page.getByText('Package saved').waitFor({ timeout: 30_000 });
  const target = (await page.locator('.notice-ok code').last().innerText()).replace(/^sentry-harden verify /, '');
  // The package folder, next to its .zip.
  const dir = target.replace(/\.zip$/, '');
  return { dir, report: JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, String(f)))
    .filter((f) => statSync(f).isFile());
}

describe.skipIf(unavailable !== null)('a session survives reloads and restarts (web mode)', () => {
  let rendererDir: string;
  let browser: Browser;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    rendererDir = mkdtempSync(path.join(os.tmpdir(), 'sentry-harden-renderer-'));
    buildRenderer(rendererDir);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const c of cleanups.reverse()) await c();
    if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
  });

  it('a full L3 demo session, reloaded at every step, comes back exactly', async () => {
    const started = Date.now();
    // The demo's simulator in hand, to slow one answer of a re-check down.
    const backend: { simulator: Awaited<ReturnType<typeof startDemoBackend>>['simulator'] } = { simulator: null as never };
    const web: WebUi = await startDemoUi(rendererDir, undefined, undefined, undefined, async () => {
      const started = await startDemoBackend();
      backend.simulator = started.simulator;
      return started;
    });
    cleanups.push(() => web.close());
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(web.ui.url);
    await page.getByRole('heading', { level: 1, name: 'Connect' }).waitFor();

    // Connect: nothing is saved before the first step forward, so a reload starts at Connect.
    await connectDemo(page);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Connect' }).waitFor();
    await connectDemo(page);

    // Level: L3, kept across a reload.
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Profile level' }).waitFor();
    await page.getByRole('radio', { name: /^L3/ }).check();
    await page.getByText(/^At L3, the checks cover/).waitFor();
    expect((await reloadAndCompare(page, 'Profile level')).level).toBe('L3');

    // Every section step, reloaded; the checks ran once, at L3, and every control has its title.
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Authentication & SSO' }).waitFor();
    await waitForChecks(page);
    const auth = await reloadAndCompare(page, 'Authentication & SSO');
    expect(auth.checks).toMatch(/at L3/);
    expect(auth.controls.length).toBeGreaterThan(100);
    expect(auth.controls).not.toMatch(/^\S+ Control$/m);

    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Access controls' }).waitFor();
    const access = await reloadAndCompare(page, 'Access controls');
    // L2 and L3 controls are there, and named, not "2.2 Control".
    expect(access.controls).toMatch(/\bL[23]\b/);
    expect(access.controls).not.toMatch(/^\S+ Control$/m);

    // Data security: two fixes, a reload, an undo, a reload: the change log is the same each time.
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Data security' }).waitFor();
    await page.getByRole('checkbox', { name: /^Rate-limit client keys: / }).first().check({ timeout: 30_000 });
    await page.getByRole('checkbox', { name: /^Data scrubbing: .*\(sensitiveFields\)/ }).check();
    await applyChecked(page, 2);
    const afterApply = await reloadAndCompare(page, 'Data security, after applying');
    expect(afterApply.changes).toMatch(/Rate-limit client keys/);
    // The one-off table of what was applied, and the plan made from the re-check, came back too.
    expect(afterApply.outcomes).toMatch(/What was applied[\s\S]*Applied and verified[\s\S]*Re-checked after the changes/);
    expect(afterApply.plan).toMatch(/Changes available/);
    expect(afterApply.checks).toMatch(/at L3 Strict \(re-check after changes\)/);
    expect(await undoFirst(page, /^Undo Rate-limit client keys on /)).toMatch(/Undone and verified/);
    const afterUndo = await reloadAndCompare(page, 'Data security, after the undo');
    expect(afterUndo.changes).toMatch(/Rate-limit client keys[^\n]*Undone/);
    expect(afterUndo.outcomes).toMatch(/What was undone[\s\S]*Undone and verified/);

    // A reload while "Re-check now" runs: the window finds the audit, shows its progress, then its results.
    const slow = backend.simulator.faults.add({ path: /\/audit-logs\//, kind: 'latency', latencyMs: 6000, times: 1 });
    const beforeRecheck = await visibleState(page);
    const eventsBefore = web.events().length;
    await page.getByRole('button', { name: 'Re-check now' }).click();
    await page.getByText(/^Running the live checks/).waitFor();
    await page.reload();
    await page.getByText(/^Running the live checks: \d+ of \d+/).waitFor({ timeout: 5_000 });
    await waitForChecks(page);
    await settled(page);
    const afterRecheck = await visibleState(page);
    expect(afterRecheck.checks).toMatch(/at L3 Strict \(re-check after changes\)/);
    expect(afterRecheck.changes).toEqual(beforeRecheck.changes);
    expect(slow.hits).toBe(1);
    // One audit ran: the reloaded window followed it and did not start another.
    const runIds = new Set([...web.events().slice(eventsBefore).matchAll(/event: audit:progress\ndata: (\{.*\})/g)].map((m) => (JSON.parse(m[1]!) as { runId: string }).runId));
    expect(runIds.size).toBe(1);
    await reloadAndCompare(page, 'Data security, after the re-check');

    // Monitoring: an attestation.
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Monitoring & audit logs' }).waitFor();
    const manual = page.locator('.manual-items').first();
    await manual.getByLabel('Your name').fill('Ada Lovelace');
    await manual.getByRole('checkbox').check();
    await manual.getByText(/attested by Ada Lovelace/).waitFor();
    expect((await reloadAndCompare(page, 'Monitoring')).controls).toMatch(/attested by Ada Lovelace/);

    // Integrations: an exception.
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Integrations review' }).waitFor();
    const form = page.getByRole('form', { name: /Record an exception/ }).first();
    await form.getByLabel('Approved by').fill('CISO');
    await form.getByLabel('Why the risk is accepted').fill('The deploy bot needs these scopes until the Q3 migration.');
    await form.getByRole('button', { name: 'Record the exception' }).click();
    await form.getByText('Exception saved.').waitFor();
    expect((await reloadAndCompare(page, 'Integrations review')).exceptions).toMatch(/CISO/);

    // Back to the level: another level asks first; keeping L3 changes nothing.
    await page.locator('.steps-nav').getByRole('button', { name: /Profile level/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Profile level' }).waitFor();
    // A click, not check(): the choice waits for the answer, so the radio does not change yet.
    await page.getByRole('radio', { name: /^L2/ }).click();
    const ask = page.getByRole('dialog', { name: /^Change the level to L2/ });
    await ask.waitFor();
    expect(await ask.innerText()).toMatch(/Re-check at L2 in this session[\s\S]*Start a new session at L2/);
    await ask.getByRole('button', { name: 'Keep L3' }).click();
    await ask.waitFor({ state: 'detached' });
    expect(await page.getByRole('radio', { name: /^L3/ }).isChecked()).toBe(true);

    // Summary, reloaded; then the package has the before audit and every change.
    await page.locator('.steps-nav').getByRole('button', { name: /Summary/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Summary' }).waitFor();
    await reloadAndCompare(page, 'Summary');
    const { report } = await savePackage(page);
    expect(report.level).toBe('L3');
    expect(report.before).not.toBeNull();
    expect(report.changes.length).toBeGreaterThanOrEqual(3);

    // The session on disk never holds the token.
    // Each instance keeps its demo in a folder of its own (demo/session-*/), sessions under it.
    const sessionFiles = filesUnder(path.join(web.dataDir, 'demo')).filter((f) => f.split(path.sep).includes('sessions'));
    expect(sessionFiles.length).toBeGreaterThan(1);
    for (const f of sessionFiles) expect(findToken(readFileSync(f, 'utf8')), f).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
    console.log(`session with a reload at every step: ${Date.now() - started} ms`);
  }, 300_000);

  it('a reload during the first audit (nothing saved yet) finds it running, shows its progress, then its results', async () => {
    const backend: { simulator: Awaited<ReturnType<typeof startDemoBackend>>['simulator'] } = { simulator: null as never };
    const web: WebUi = await startDemoUi(rendererDir, undefined, undefined, undefined, async () => {
      const started = await startDemoBackend();
      backend.simulator = started.simulator;
      return started;
    });
    cleanups.push(() => web.close());
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(web.ui.url);
    await connectDemo(page);
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Profile level' }).waitFor();
    const slow = backend.simulator.faults.add({ path: /\/audit-logs\//, kind: 'latency', latencyMs: 6000, times: 1 });
    await continueButton(page).click();
    await page.getByText(/^Running the live checks/).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Authentication & SSO' }).waitFor({ timeout: 10_000 });
    await page.getByText(/^Running the live checks: \d+ of \d+/).waitFor({ timeout: 5_000 });
    await waitForChecks(page);
    await page.locator('.results-table tbody tr').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('.checks-meta').innerText()).toMatch(/at L1 Baseline\./);
    expect(slow.hits).toBe(1);
    // The audit started before the reload is the one shown: no second audit was started.
    const runIds = new Set([...web.events().matchAll(/event: audit:progress\ndata: (\{.*\})/g)].map((m) => (JSON.parse(m[1]!) as { runId: string }).runId));
    expect(runIds.size).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('a restart of `sentry-harden ui` over the same data folder resumes mid-session; the package keeps the before audit and the change', async () => {
    const { simulator, backend } = await startDemoBackend();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sentry-harden-restart-'));
    cleanups.push(async () => {
      await simulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    // A saved organization (not the demo, which starts afresh at each launch) with its token.
    const store = createAppStore({ cwd: dataDir });
    const profileId = 'acme-restart';
    store.saveProfile({ id: profileId, label: 'Acme (simulated)', baseUrl: backend.url, orgSlug: backend.orgSlug, level: 'L3', createdAt: new Date().toISOString() });
    store.saveWizardProgress(profileId, { step: 'level', completed: ['connect'], updatedAt: new Date().toISOString() });
    store.saveSettings({ lastProfileId: profileId });
    const keychain = memoryKeychain();
    await keychain.setSecret(profileId, backend.token);
    const signingKeychain = memoryKeychain();
    const start = (): Promise<RunningUi> =>
      startUi({ demo: false, port: 0, dataDir, rendererDir, timeoutMs: 10_000, keychain, signingKeychain, openUrl: () => undefined }, { env: { ...process.env } });

    const first = await start();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(first.url);
    // The window opens on the saved organization's step.
    await page.getByRole('heading', { level: 1, name: 'Profile level' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('radio', { name: /^L3/ }).isChecked()).toBe(true);
    await continueButton(page).click();
    await waitForChecks(page);
    await continueButton(page).click();
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Data security' }).waitFor();
    await page.getByRole('checkbox', { name: /^Rate-limit client keys: / }).first().check({ timeout: 30_000 });
    await applyChecked(page, 1);
    const before = await visibleState(page);
    expect(before.changes).toMatch(/Rate-limit client keys/);

    // Restart: a new server (new port, new secret) over the same folder; nothing in memory.
    await first.close();
    const second = await start();
    cleanups.push(() => second.close());
    await page.goto(second.url);
    await expect.poll(() => visibleState(page), { timeout: 30_000, interval: 250, message: 'after a restart' }).toEqual(before);
    // "Re-check now" runs at L3 within the session.
    await page.getByRole('button', { name: 'Re-check now' }).click();
    await waitForChecks(page);
    expect(await page.locator('.checks-meta').innerText()).toMatch(/at L3 Strict \(re-check after changes\)/);

    await page.locator('.steps-nav').getByRole('button', { name: /Summary/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Summary' }).waitFor();
    const { report } = await savePackage(page);
    expect(report.before).not.toBeNull();
    expect(report.changes.length).toBeGreaterThanOrEqual(1);
    for (const f of filesUnder(path.join(dataDir, 'sessions'))) expect(readFileSync(f, 'utf8'), f).not.toContain(backend.token);
    await context.close();
  }, 300_000);
});

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanNote } from '../../renderer/store/dto';
import type { WebUi } from './web-ui';
import { ROOT, browserTestsUnavailable, buildRenderer, connectDemo, continueButton, launchChromium, startDemoUi, waitForChecks } from './web-ui';

/**
 * Every section of the demo at L3 in Chromium: no command-line syntax and no internal id in what
 * the page shows, every choice a plan offers drawn as a form control of its kind (never a raw
 * text box where there are values to pick), inline checks with the reason beside the field, and
 * a choice the engine refuses shown at its field while the Fixes section stays.
 */

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`browser tests skipped: ${unavailable}`);

const CLI_SYNTAX = /--set|--only|--confirm-org|--params/;
/** Check ids (`2.3.owner-count`) and change ids (`c005`). */
const INTERNAL_ID = /\b\d\.\d\.[a-z][a-z0-9-]+\b|\bc\d{3,5}\b/;
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const SECTIONS = ['Authentication & SSO', 'Access controls', 'Data security', 'Monitoring & audit logs', 'Integrations review'];
const CHOICE_KINDS = new Set(['team', 'client_keys', 'member', 'project']);

type ParamNote = PlanNote & { param: NonNullable<PlanNote['param']> };

describe.skipIf(unavailable !== null)('fix choices in Chromium (web mode, demo organization, L3)', () => {
  let rendererDir: string;
  let browser: Browser;
  let web: WebUi;

  beforeAll(async () => {
    rendererDir = mkdtempSync(path.join(os.tmpdir(), 'sentry-harden-renderer-'));
    buildRenderer(rendererDir);
    browser = await launchChromium();
    web = await startDemoUi(rendererDir);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
  });

  /** The notes of the next plan the page receives (null when the section plans nothing). */
  function nextPlan(page: Page): Promise<ParamNote[] | null> {
    return page
      .waitForResponse((r) => r.url().includes('/api/fix:plan'), { timeout: 30_000 })
      .then(async (r) => {
        const body = (await r.json()) as { ok?: boolean; value?: { notes: PlanNote[] } };
        return (body.value?.notes ?? []).filter((n): n is ParamNote => n.param !== null);
      })
      .catch(() => null);
  }

  async function expectCleanText(page: Page, where: string): Promise<void> {
    const text = await page.locator('body').innerText();
    expect(text.match(CLI_SYNTAX)?.[0] ?? null, `CLI syntax on ${where}`).toBeNull();
    expect(text.match(INTERNAL_ID)?.[0] ?? null, `internal id on ${where}`).toBeNull();
  }

  async function expectControl(page: Page, n: ParamNote, where: string): Promise<void> {
    const form = page.locator('form.param-form');
    const p = n.param;
    const what = `${p.kind} ${p.label} on ${where}`;
    if (p.kind === 'role') {
      const table = form.getByRole('table', { name: 'New organization roles' });
      const select = table.getByRole('combobox', { name: n.resource?.name ?? p.label });
      expect(await select.count(), what).toBe(1);
      return;
    }
    if (p.kind === 'scope' || (CHOICE_KINDS.has(p.kind) && !p.multiple)) {
      expect(await form.getByRole('combobox', { name: p.label }).count(), what).toBe(1);
      return;
    }
    const group = form.getByRole('group', { name: p.label, exact: true });
    expect(await group.count(), what).toBe(1);
    if (CHOICE_KINDS.has(p.kind)) {
      expect(await group.getByRole('checkbox').count(), what).toBeGreaterThan(0);
      // A filter box may help find a value, but no value is typed in.
      expect(await group.getByRole('textbox').count(), what).toBe(0);
    } else if (p.kind === 'rate_limit') {
      expect(await group.getByRole('spinbutton').count(), what).toBe(2);
    } else {
      expect(await group.getByRole('textbox').count(), what).toBeGreaterThan(0);
      expect(await group.getByRole('button', { name: /^Add an? / }).count(), what).toBe(1);
    }
  }

  it('walks every section: forms of the right kind, no CLI syntax, no internal id', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(web.ui.url);
    await connectDemo(page);
    await expectCleanText(page, 'Connect');
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Profile level' }).waitFor();
    await page.getByRole('radio', { name: /^L3/ }).check();
    await expectCleanText(page, 'Profile level');
    const kinds = new Set<string>();
    for (const title of SECTIONS) {
      const planned = nextPlan(page);
      await continueButton(page).click();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await waitForChecks(page);
      const notes = await planned;
      await page.locator('.fix-panel[aria-busy="false"]').waitFor({ timeout: 30_000 });
      // Choices that only change a default are folded: open them to see their controls.
      const more = page.locator('form.param-form details.param-optional > summary');
      if ((await more.count()) > 0) await more.click();
      for (const n of notes ?? []) {
        kinds.add(n.param.kind);
        await expectControl(page, n, title);
      }
      await expectCleanText(page, title);
    }
    for (const k of ['team', 'role', 'client_keys', 'domains', 'rate_limit', 'scope']) expect(kinds, k).toContain(k);
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Summary' }).waitFor();
    await expectCleanText(page, 'Summary');
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('a bad value is refused inline with the reason beside it; a value the engine refuses shows at its field and the Fixes stay', async () => {
    // An instance of its own: the first test's session would be resumed where it stopped (the Summary).
    const own = await startDemoUi(rendererDir);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(own.ui.url);
    await connectDemo(page);
    await continueButton(page).click();
    await page.getByRole('radio', { name: /^L3/ }).check();
    await continueButton(page).click();
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Access controls' }).waitFor();
    await waitForChecks(page);
    const fixes = page.getByRole('region', { name: 'Fixes' });
    const form = fixes.locator('form.param-form');
    await form.waitFor({ timeout: 30_000 });

    // Taking every team off a project would leave it with none: the engine refuses, at the field.
    const legend = await form.getByRole('group', { name: /^Teams to take off / }).first().locator('legend').innerText();
    const remove = form.getByRole('group', { name: legend, exact: true });
    const boxes = remove.getByRole('checkbox');
    for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).check();
    await form.getByRole('button', { name: 'Plan again with these choices' }).click();
    await remove.getByText(/^Not used: .*no team/).waitFor({ timeout: 30_000 });
    expect(await remove.getAttribute('aria-invalid')).toBe('true');
    expect(await fixes.getByRole('heading', { name: 'Choices for these fixes' }).isVisible()).toBe(true);
    expect(await fixes.getByText(/^Changes available/).count()).toBeGreaterThan(0);
    mkdirSync(SHOTS, { recursive: true });
    await form.screenshot({ path: path.join(SHOTS, 'fix-forms-access-controls.png') });

    // Data security: a site that is not one is marked as typed, and nothing is planned with it.
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Data security' }).waitFor();
    await waitForChecks(page);
    const sites = page.getByRole('group', { name: /^Sites allowed to send browser events to / }).first();
    await sites.waitFor({ timeout: 30_000 });
    const row = sites.getByRole('textbox').first();
    await row.fill('not a site');
    const reason = sites.getByText(/^Not a site such as/);
    await reason.waitFor();
    expect(await row.getAttribute('aria-invalid')).toBe('true');
    expect(await row.getAttribute('aria-describedby')).toContain(await reason.getAttribute('id'));
    expect(await page.getByRole('button', { name: 'Plan again with these choices' }).isDisabled()).toBe(true);
    await row.fill('https://app.acme-demo.example');
    expect(await row.getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByRole('button', { name: 'Plan again with these choices' }).isDisabled()).toBe(false);
    await page.locator('form.param-form').screenshot({ path: path.join(SHOTS, 'fix-forms-data-security.png') });
    await context.close();
    await own.close();
  }, 180_000);
});

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT, browserSuite, browserTestsUnavailable, connectDemo, continueButton, memoryKeychain, overflowsHorizontally, startDemoUi, waitForChecks } from './web-ui';

/**
 * How the section steps lay out in real Chromium on the demo organization: a wide screen used in
 * full (results and their details side by side), and the smallest supported window without
 * sideways scrolling, evidence and raw responses open.
 */

const SHOTS = path.join(ROOT, 'test-results', 'e2e');

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`browser tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('the section steps on wide and small screens (web mode, demo organization)', () => {
  const suite = browserSuite();

  async function open(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const web = await startDemoUi(suite.rendererDir, memoryKeychain());
    suite.cleanup(() => web.close());
    const context = await suite.browser.newContext({ viewport });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(web.ui.url);
    await page.getByRole('heading', { level: 1, name: 'Connect' }).waitFor();
    return { context, page, errors };
  }

  it('uses a 1920-pixel screen: results and their details side by side, the width filled', async () => {
    const { context, page, errors } = await open({ width: 1920, height: 1080 });
    await connectDemo(page);
    await continueButton(page).click();
    await continueButton(page).click();
    await waitForChecks(page);
    const heights: string[] = [];
    for (const step of ['Authentication & SSO', 'Access controls', 'Data security', 'Monitoring & audit logs', 'Integrations review']) {
      await page.getByRole('heading', { level: 1, name: step }).waitFor();
      await page.waitForLoadState('networkidle');
      const body = await page.locator('.step-body').first().boundingBox();
      // The nav takes 215 pixels; the step uses most of the rest instead of stopping at half the screen.
      expect(body?.width ?? 0, `${step}: width of the step`).toBeGreaterThan(1500);
      const results = await page.locator('.control-body-split .control-results').first().boundingBox();
      const aside = await page.locator('.control-body-split .control-aside').first().boundingBox();
      expect(aside && results && aside.x > results.x + results.width - 1, `${step}: details beside the results`).toBe(true);
      heights.push(`${step} ${await page.evaluate(() => document.documentElement.scrollHeight)} px`);
      if (step === 'Access controls') {
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: path.join(SHOTS, 'wide-access-controls.png') });
      }
      await continueButton(page).click();
    }
    console.log(`page heights at 1920x1080: ${heights.join(', ')}`);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('fits a 1024x700 window: no step scrolls sideways', async () => {
    const { context, page, errors } = await open({ width: 1024, height: 700 });
    const check = async (where: string) => {
      const o = await overflowsHorizontally(page);
      expect(o.overflow, `${where}: ${o.scrollWidth} > ${o.clientWidth}: ${o.offenders.join(' | ')}`).toBe(false);
    };
    await check('connect');
    await connectDemo(page);
    await check('connect (connected)');
    await continueButton(page).click();
    await check('level');
    await continueButton(page).click();
    await waitForChecks(page);
    for (const step of ['Authentication & SSO', 'Access controls', 'Data security', 'Monitoring & audit logs', 'Integrations review']) {
      await page.getByRole('heading', { level: 1, name: step }).waitFor();
      await page.waitForLoadState('networkidle');
      // Open the widest content: evidence bodies.
      const evidence = page.getByRole('button', { name: /^Evidence for / });
      if ((await evidence.count()) > 0) {
        await evidence.first().click();
        await page.locator('.evidence-read').first().waitFor();
        const raw = page.getByRole('button', { name: /^Show the raw response/ }).first();
        if ((await raw.count()) > 0) await raw.click();
      }
      await check(step);
      await continueButton(page).click();
    }
    await page.getByRole('heading', { level: 1, name: 'Summary' }).waitFor();
    await check('summary');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPORT_CSP } from '../../core/evidence/render/html/index';
import type { WebUi } from './web-ui';
import { CHROMIUM_PATH, browserSuite, browserTestsUnavailable, connectDemo, continueButton, findToken, memoryKeychain, startDemoUi, waitForChecks } from './web-ui';

/**
 * The Summary in web mode, in real Chromium: after saving the package, "Open report" opens the
 * saved report.html in a new tab (served by the loopback server, no script allowed), and "Save as
 * PDF" prints it with the machine's Chromium to a PDF next to the package; without a Chromium,
 * it opens the report with the browser's print dialog.
 */

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`browser tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('Open report and Save as PDF in web mode (Chromium)', () => {
  const suite = browserSuite();

  /** Web mode on the demo, checks run, on the Summary with the package saved. */
  async function savedPackage(chromium: string | null): Promise<{ web: WebUi; context: BrowserContext; page: Page; errors: string[] }> {
    const web = await startDemoUi(suite.rendererDir, memoryKeychain(), undefined, chromium);
    suite.cleanup(() => web.close());
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(web.ui.url);
    await connectDemo(page);
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Profile level' }).waitFor();
    await continueButton(page).click();
    await waitForChecks(page);
    for (const step of ['Authentication & SSO', 'Access controls', 'Data security', 'Monitoring & audit logs', 'Integrations review']) {
      await page.getByRole('heading', { level: 1, name: step }).waitFor();
      await continueButton(page).click();
    }
    await page.getByRole('heading', { level: 1, name: 'Summary' }).waitFor();
    await page.getByRole('button', { name: 'Save the signed package' }).click();
    await page.getByText('Package saved').waitFor({ timeout: 30_000 });
    return { web, context, page, errors };
  }

  /** Clicks a link that opens a tab, and returns the tab with the answer of its first load. */
  async function openTab(context: BrowserContext, page: Page, name: RegExp): Promise<{ tab: Page; response: Response }> {
    const seen: Response[] = [];
    const record = (r: Response): void => {
      if (new URL(r.url()).pathname.startsWith('/reports/')) seen.push(r);
    };
    context.on('response', record);
    const [tab] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name }).click()]);
    await tab.waitForLoadState('load');
    context.off('response', record);
    const response = seen.find((r) => r.url() === tab.url());
    if (!response) throw new Error(`no answer recorded for ${tab.url()}`);
    return { tab, response };
  }

  it('Open report: the saved report.html in a new tab, under a policy that runs no script', async () => {
    const { web, context, page, errors } = await savedPackage(existsSync(CHROMIUM_PATH) ? CHROMIUM_PATH : null);
    const folder = await page.locator('.notice-ok code.path').first().innerText();
    const { tab, response } = await openTab(context, page, /^Open report/);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-security-policy']).toBe(`${REPORT_CSP}; frame-ancestors 'none'`);
    expect(new URL(tab.url()).origin).toBe(web.ui.origin);
    // The secret of the launch is not in the report's URL.
    expect(tab.url()).not.toContain(web.ui.server.secret);
    expect(await tab.title()).toMatch(/^Sentry hardening evidence: .*demo organization$/);
    await tab.getByText('Demo organization, simulated data').first().waitFor();
    expect(await tab.content()).toContain('Change log');
    expect(readFileSync(path.join(folder, 'report.html'), 'utf8')).toContain(await tab.evaluate(() => document.title));
    // A script put into the page does not run: the policy allows none.
    const ran = await tab.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__ran = true';
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 50));
      return (window as unknown as { __ran?: boolean }).__ran === true;
    });
    expect(ran).toBe(false);
    // A link to a raw read opens inside the package.
    const rawHref = await tab.locator('a[href^="raw/"]').first().getAttribute('href');
    expect(rawHref).toMatch(/^raw\/[0-9a-f]{64}\.json\.gz$/);
    const raw = await tab.request.get(new URL(rawHref!, tab.url()).href);
    expect(raw.status()).toBe(200);
    expect(findToken(await raw.text())).toBeNull();
    // Stored compressed, it opens in the browser as the JSON it is (the first read with a body).
    const rawTab = await tab.context().newPage();
    let shown = '';
    for (const href of (await tab.locator('a[href^="raw/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).slice(0, 20)) {
      await rawTab.goto(new URL(href!, tab.url()).href);
      shown = await rawTab.locator('body').innerText();
      if (shown.length > 2) break;
    }
    expect(shown.length).toBeGreaterThan(2);
    expect(() => JSON.parse(shown)).not.toThrow();
    await rawTab.close();
    await tab.close();

    // Save as PDF: Chromium writes <package>.pdf and the page says where.
    if (!existsSync(CHROMIUM_PATH)) return;
    await page.getByRole('button', { name: 'Save as PDF' }).click();
    const saved = page.getByText(/^PDF saved:/);
    await saved.waitFor({ timeout: 90_000 });
    const pdfPath = await saved.locator('code.path').innerText();
    expect(pdfPath).toBe(`${folder}.pdf`);
    expect(readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('without a Chromium binary, Save as PDF opens the report with the print dialog', async () => {
    const { context, page, errors } = await savedPackage(null);
    await page.getByText('No Chromium, Chrome or Edge was found on this machine').waitFor();
    expect(await page.getByRole('button', { name: 'Save as PDF' }).count()).toBe(0);
    // Stands in for the dialog, which a headless browser does not show.
    await context.addInitScript(() => {
      window.print = () => {
        (window as unknown as { __printed?: boolean }).__printed = true;
      };
    });
    const { tab, response } = await openTab(context, page, /^Save as PDF/);
    expect(new URL(tab.url()).pathname).toMatch(/^\/reports\/[A-Za-z0-9_-]{43}\/print$/);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-security-policy']).toMatch(/script-src 'nonce-[A-Za-z0-9_-]+'/);
    await tab.waitForFunction(() => (window as unknown as { __printed?: boolean }).__printed === true);
    expect(await tab.title()).toMatch(/^Sentry hardening evidence/);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrg, GENERATED_TOKENS, startSimulator } from '../../simulator/index';
import type { RunningSimulator } from '../../simulator/index';
import { browserTestsUnavailable, buildRenderer, launchChromium, memoryKeychain, startDemoUi } from './web-ui';
import type { WebUi } from './web-ui';

/**
 * The portfolio in real Chromium: web mode with the demo and a second saved organization (its own
 * simulator, its token in the keychain), switched to with one click.
 */
const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`browser tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('the portfolio in Chromium (web mode)', () => {
  let rendererDir: string;
  let browser: Browser;
  let web: WebUi;
  let other: RunningSimulator;

  beforeAll(async () => {
    rendererDir = mkdtempSync(path.join(os.tmpdir(), 'sentry-harden-renderer-'));
    buildRenderer(rendererDir);
    browser = await launchChromium();
    const gen = generateOrg({ seed: 7, projects: 5, keysPerProject: 1, members: 12, teams: 3, integrations: 1, slug: 'beta-industries' });
    other = await startSimulator({ state: gen.state });
    const keychain = memoryKeychain();
    web = await startDemoUi(rendererDir, keychain);
    // A second client saved earlier: its profile in the same settings file, its token in the keychain.
    web.ui.store.saveProfile({ id: 'client-beta', label: 'Beta Industries', baseUrl: other.url, orgSlug: 'beta-industries', level: 'L1', createdAt: new Date().toISOString() });
    await keychain.setSecret('client-beta', GENERATED_TOKENS.admin);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await other?.close();
    if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
  });

  it('lists both organizations and switches between them without showing a token', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(web.ui.url);
    const table = page.locator('.portfolio-table');
    await table.waitFor();
    expect(await table.innerText()).toMatch(/Beta Industries\s+beta-industries\s+127\.0\.0\.1/);
    await page.getByRole('button', { name: 'Open Beta Industries' }).click();
    await page.getByText('Ready to review').waitFor();
    expect(await page.getByText('Ready to review').innerText()).toContain('beta-industries');
    expect(await page.getByRole('button', { name: 'Open now' }).count()).toBe(1);
    // And back to the demo from the same list.
    await page.getByRole('button', { name: /^Open Demo organization/ }).click();
    await page.getByText(/Ready to review\s+acme-demo/).waitFor();
    const html = await page.content();
    expect(html).not.toContain(GENERATED_TOKENS.admin);
    expect(html).not.toContain(GENERATED_TOKENS.admin.slice(0, 24));
    await context.close();
  });
});

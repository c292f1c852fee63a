import { describe, expect, it } from 'vitest';
import { generateOrg, GENERATED_TOKENS, startSimulator } from '../../simulator/index';
import type { RunningSimulator } from '../../simulator/index';
import { browserSuite, browserTestsUnavailable, memoryKeychain, startDemoUi } from './web-ui';
import type { WebUi } from './web-ui';

/**
 * The portfolio in real Chromium: web mode with the demo and a second saved organization (its own
 * simulator, its token in the keychain), switched to with one click.
 */
const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`browser tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('the portfolio in Chromium (web mode)', () => {
  let web: WebUi;
  let other: RunningSimulator;
  const suite = browserSuite(async (shared) => {
    const gen = generateOrg({ seed: 7, projects: 5, keysPerProject: 1, members: 12, teams: 3, integrations: 1, slug: 'beta-industries' });
    other = await startSimulator({ state: gen.state });
    shared.cleanup(() => other.close());
    const keychain = memoryKeychain();
    web = await startDemoUi(shared.rendererDir, keychain);
    shared.cleanup(() => web.close());
    // A second client saved earlier: its profile in the same settings file, its token in the keychain.
    web.ui.store.saveProfile({ id: 'client-beta', label: 'Beta Industries', baseUrl: other.url, orgSlug: 'beta-industries', level: 'L1', createdAt: new Date().toISOString() });
    await keychain.setSecret('client-beta', GENERATED_TOKENS.admin);
  });

  it('lists both organizations and switches between them without showing a token', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
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

import { describe, expect, it } from 'vitest';
import { createKeychain } from '../../core/secrets/index';
import { generateOrg, GENERATED_TOKENS, startSimulator } from '../../simulator/index';
import type { RunningSimulator } from '../../simulator/index';
import { browserSuite, browserTestsUnavailable, memoryKeychain, startDemoUi } from './web-ui';
import type { WebUi } from './web-ui';

/**
 * Saved organizations in real Chromium (web mode, the memory keychain): the URL is checked as it
 * is typed, failed attempts save nothing, a new connection is saved once its organization is
 * chosen, and the list switches, renames and forgets (the keychain entry with it).
 */
const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`browser tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('saved organizations in Chromium (web mode)', () => {
  let web: WebUi;
  let other: RunningSimulator;
  const keychain = memoryKeychain();
  const suite = browserSuite(async (shared) => {
    const gen = generateOrg({ seed: 11, projects: 3, keysPerProject: 1, members: 6, teams: 2, integrations: 1, slug: 'beta-industries' });
    other = await startSimulator({ state: gen.state });
    shared.cleanup(() => other.close());
    web = await startDemoUi(shared.rendererDir, keychain);
    shared.cleanup(() => web.close());
  });

  const saved = () => web.ui.store.listProfiles().filter((p) => p.id !== 'demo');

  it('checks the URL as it is typed, saves nothing on a failed attempt, then switches, renames and forgets', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(web.ui.url);
    await page.getByRole('radio', { name: /Self-hosted Sentry/ }).check();
    const url = page.getByLabel('URL of your Sentry server');
    const submit = page.getByRole('button', { name: 'Check and save the token' });
    const token = page.getByLabel('Auth token');
    await token.fill('sntryu_anything');

    // The URL, as it is typed: a message for people, the button held back.
    for (const [typed, says] of [
      ['sentry example.com', /contains spaces/],
      ['http://sentry.example.com', /http:\/\/ would send the token unencrypted/],
      ['https://sentry.example.com/?org=acme', /without a query/],
      ['https://sentry.example.com/a|b', /characters an address cannot have/],
    ] as const) {
      await url.fill(typed);
      await page.locator('.field-error', { hasText: says }).waitFor();
      expect(await url.getAttribute('aria-invalid')).toBe('true');
      expect(await submit.isDisabled()).toBe(true);
    }
    expect(await page.content()).not.toMatch(/schema violation|must match format/i);

    // A refused token: nothing saved, nothing in the keychain.
    await url.fill(other.url);
    expect(await page.locator('.field-error').count()).toBe(0);
    await token.fill(`sntryu_${'0'.repeat(60)}`);
    await submit.click();
    await page.getByText('Nothing was saved').waitFor();
    await page.getByText('Sentry refused the token').waitFor();
    expect(saved()).toEqual([]);
    expect(keychain.items.size).toBe(0);

    // An unreachable server: the same.
    await url.fill('http://127.0.0.1:9');
    await token.fill(GENERATED_TOKENS.admin);
    await submit.click();
    await page.getByText('Sentry could not be reached').waitFor();
    expect(saved()).toEqual([]);
    expect(keychain.items.size).toBe(0);

    // Accepted, but still nothing saved until the organization is chosen.
    await url.fill(other.url);
    await token.fill(GENERATED_TOKENS.admin);
    await submit.click();
    await page.getByRole('table', { name: 'Scope check of this token' }).waitFor();
    expect(saved()).toEqual([]);
    expect(keychain.items.size).toBe(0);
    await page.getByLabel('Organization to review').selectOption('beta-industries');
    await page.getByText(/Ready to review\s+beta-industries/).waitFor();
    expect(saved()).toHaveLength(1);
    const beta = saved()[0]!;
    expect([...keychain.items.entries()]).toEqual([[beta.id, GENERATED_TOKENS.admin]]);

    // The list: organization, host, token kind, last audit, next review.
    const row = page.locator('.portfolio-table tbody tr', { hasText: 'beta-industries' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/beta-industries\s+127\.0\.0\.1:\d+\s+Personal token\s+No signed audit yet[\s\S]*Not scheduled/);
    expect(await page.locator('.portfolio-table thead').innerText()).toMatch(/Organization\s+Host\s+Token\s+Last audit\s+Exceptions\s+Next review/);

    // Switch to the demo and back.
    await page.getByRole('button', { name: /^Open Demo organization/ }).click();
    await page.getByText(/Ready to review\s+acme-demo/).waitFor();
    await page.getByRole('button', { name: `Open ${beta.label}` }).click();
    await page.getByText(/Ready to review\s+beta-industries/).waitFor();

    // Rename.
    await page.getByRole('button', { name: `Rename ${beta.label}` }).click();
    await page.getByLabel(`New name for ${beta.label}`).fill('Beta (client since 2024)');
    await page.getByRole('button', { name: 'Save the name' }).click();
    await page.getByRole('button', { name: 'Open now' }).waitFor();
    await page.locator('.portfolio-table', { hasText: 'Beta (client since 2024)' }).waitFor();
    expect(web.ui.store.getProfile(beta.id)?.label).toBe('Beta (client since 2024)');
    expect(await page.getByRole('button', { name: /^Rename Demo/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Forget Demo/ }).count()).toBe(0);

    // Forget: asked first; kept on "Keep it", gone with its keychain entry on "Forget".
    await page.getByRole('button', { name: 'Forget Beta (client since 2024)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Forget Beta (client since 2024)?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    expect(saved()).toHaveLength(1);
    await page.getByRole('button', { name: 'Forget Beta (client since 2024)' }).click();
    await dialog.getByRole('button', { name: 'Forget Beta (client since 2024)' }).click();
    await page.getByText('The organization was forgotten, with its token in the keychain.').waitFor();
    expect(saved()).toEqual([]);
    expect(keychain.items.size).toBe(0);
    expect(await page.locator('.portfolio-table tbody tr', { hasText: 'beta-industries' }).count()).toBe(0);
    expect(await page.content()).not.toContain(GENERATED_TOKENS.admin.slice(0, 24));
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('without a keychain, Connect explains it in plain words and says what to install or run', async () => {
    // The keychain library failing as it does on a server without a D-Bus session.
    const raw = 'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead';
    class AsyncEntry {
      constructor() {
        throw new Error(raw);
      }
    }
    const none = createKeychain({ service: 'sentry-harden-e2e-none', platform: 'linux', keyring: async () => ({ AsyncEntry }) as never });
    const bare = await startDemoUi(suite.rendererDir, none);
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(bare.ui.url);
      const notice = page.getByRole('note', { name: /No keychain on this computer/ });
      await notice.waitFor();
      const text = await notice.innerText();
      expect(text).toMatch(/There is no D-Bus session on this computer/);
      expect(text).toMatch(/gnome-keyring/);
      expect(text).toMatch(/dbus-run-session/);
      expect(text).toMatch(/SENTRY_AUTH_TOKEN/);
      expect(text).toMatch(/The demo organization above works without a keychain/);
      expect(await page.content()).not.toMatch(/DBus error|autolaunch|X11/);
      // A token typed anyway is checked, then refused at saving with the same plain words.
      await page.getByRole('radio', { name: /Self-hosted Sentry/ }).check();
      await page.getByLabel('URL of your Sentry server').fill(other.url);
      await page.getByLabel('Auth token').fill(GENERATED_TOKENS.admin);
      await page.getByRole('button', { name: 'Check and save the token' }).click();
      await page.getByLabel('Organization to review').selectOption('beta-industries');
      await page.getByText('The OS keychain is not available').waitFor();
      expect(await page.content()).not.toMatch(/DBus error|autolaunch/);
      expect(bare.ui.store.listProfiles().map((p) => p.id)).toEqual(['demo']);
    } finally {
      await context.close();
      await bare.close();
    }
  }, 120_000);
});

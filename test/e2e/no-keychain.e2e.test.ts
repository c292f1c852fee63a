import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeychain } from '../../core/secrets/index';
import { browserSuite, browserTestsUnavailable, connectDemo, startDemoUi } from './web-ui';
import type { WebUi } from './web-ui';

/**
 * The Connect page on a computer with no keychain (issue 12, item 3): the real keychain library
 * against a D-Bus address where nothing listens, as on a server or a bare container. The page
 * explains it in plain words with what to install or run, shows no library or D-Bus text, and the
 * demo still works.
 */
const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`browser tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('the Connect page without a keychain (web mode, real keychain library)', () => {
  let web: WebUi;
  const savedBus = process.env.DBUS_SESSION_BUS_ADDRESS;
  beforeAll(() => {
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/sentry-harden-e2e/bus';
  });
  afterAll(() => {
    if (savedBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = savedBus;
  });
  const suite = browserSuite(async (shared) => {
    web = await startDemoUi(shared.rendererDir, createKeychain({ service: 'sentry-harden-e2e-no-keychain' }));
    shared.cleanup(() => web.close());
  });

  it('says in plain words that no keychain answered and what to do, and the demo still connects', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(web.ui.url);
    const notice = page.getByRole('note', { name: /No keychain on this computer/ });
    await notice.waitFor();
    const text = await notice.innerText();
    expect(text).toMatch(/no D-Bus session/i);
    // What to install and what to run, as steps.
    expect(text).toMatch(/gnome-keyring/);
    expect(text).toMatch(/dbus-run-session/);
    expect(text).toMatch(/SENTRY_AUTH_TOKEN/);
    expect(await notice.locator('ol li').count()).toBeGreaterThanOrEqual(3);
    // Never the library's or the bus's own words.
    const body = await page.locator('body').innerText();
    expect(body).not.toMatch(/org\.freedesktop|DBus error|dbus::|Platform secure storage failure|\/nonexistent|No such file or directory|napi/i);
    expect(body).not.toMatch(/Error:|at \w+ \(|stack/);
    // The demo needs no keychain.
    await connectDemo(page);
    await context.close();
  }, 120_000);
});

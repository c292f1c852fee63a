import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../shared/ipc/channel-names';
import { CONTENT_SECURITY_POLICY } from '../../main/app-origin';

/**
 * The desktop app for real: Electron launched by Playwright, the bundled main and preload, a
 * stand-in renderer. Runs only where an Electron binary exists (and, on Linux, a display); else
 * it says why and skips. Finding the binary never calls `require('electron')`, which would try
 * to download it.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function electronBinary(): { ok: true; bin: string } | { ok: false; reason: string } {
  const pkg = path.join(ROOT, 'node_modules', 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = path.join(pkg, 'path.txt');
  if (!override && !existsSync(pathFile)) return { ok: false, reason: 'no Electron binary on this machine (node_modules/electron/path.txt is missing: the download is blocked or failed)' };
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const bin = path.join(override || path.join(pkg, 'dist'), relative);
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    return { ok: false, reason: `the Electron binary ${bin} is missing or not executable` };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'Electron is installed but there is no display (run under xvfb-run)' };
  }
  return { ok: true, bin };
}

const electron = electronBinary();
if (!electron.ok) console.warn(`[electron-launch] skipped: ${electron.reason}`);

describe.skipIf(!electron.ok)('the desktop app, launched', () => {
  // Inside the repository so that the bundle's bare imports resolve to its node_modules.
  const appRoot = path.join(ROOT, '.tmp', `electron-launch-${process.pid}`);
  const home = mkdtempSync(path.join(os.tmpdir(), 'electron-home-'));
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(path.join(appRoot, 'dist', 'renderer'), { recursive: true });
    writeFileSync(
      path.join(appRoot, 'dist', 'renderer', 'index.html'),
      '<!doctype html><html><head><meta charset="utf-8"><title>Sentry Harden</title><script src="app.js"></script></head><body>ui</body></html>\n',
    );
    writeFileSync(path.join(appRoot, 'dist', 'renderer', 'app.js'), 'window.loaded = true;\n');
    await build({ entryPoints: [path.join(ROOT, 'main', 'index.ts')], outfile: path.join(appRoot, 'dist', 'main', 'index.js'), bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' });
    await build({ entryPoints: [path.join(ROOT, 'main', 'preload', 'index.ts')], outfile: path.join(appRoot, 'dist', 'preload', 'index.cjs'), bundle: true, platform: 'node', format: 'cjs', external: ['electron'], logLevel: 'error' });
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
    app = await _electron.launch({
      executablePath: (electron as { bin: string }).bin,
      args: [path.join(appRoot, 'dist', 'main', 'index.js'), ...(process.platform === 'linux' ? ['--no-sandbox'] : [])],
      cwd: ROOT,
      env: { ...env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local', 'share'), SENTRY_HARDEN_APP_ROOT: appRoot },
      timeout: 60_000,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    rmSync(appRoot, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('opens one window on the app:// origin with the page loaded', async () => {
    expect(page.url()).toBe('app://sentry-harden/index.html');
    expect(await page.title()).toBe('Sentry Harden');
    expect(await page.evaluate(() => (window as unknown as { loaded?: boolean }).loaded)).toBe(true);
    expect(app.windows()).toHaveLength(1);
  });

  it('exposes exactly the contract through the preload, and no Node or Electron', async () => {
    const exposed = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const bridge = w.sentryHarden as { invoke: Record<string, unknown>; on: Record<string, unknown> };
      return {
        top: Object.keys(bridge).sort(),
        invoke: Object.keys(bridge.invoke).sort(),
        on: Object.keys(bridge.on).sort(),
        frozen: Object.isFrozen(bridge) && Object.isFrozen(bridge.invoke),
        node: [typeof w.require, typeof w.process, typeof w.module, typeof w.ipcRenderer, typeof w.electron],
      };
    });
    expect(exposed.top).toEqual(['invoke', 'on']);
    expect(exposed.invoke).toEqual([...CHANNEL_NAMES].sort());
    expect(exposed.on).toEqual([...EVENT_NAMES].sort());
    expect(exposed.frozen).toBe(true);
    expect(exposed.node).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
    // The bridge reaches main: the demo organization answers (no profile was configured).
    const demo = await page.evaluate(() => (window as unknown as { sentryHarden: { invoke: Record<string, (r: unknown) => Promise<unknown>> } }).sentryHarden.invoke['demo:status']?.({}));
    expect(demo).toMatchObject({ ok: true, value: { active: true, orgSlug: 'acme-demo' } });
  });

  it('serves the page with the strict CSP, which blocks inline script', async () => {
    const csp = await page.evaluate(async () => (await fetch('app://sentry-harden/index.html')).headers.get('content-security-policy'));
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    const ran = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = true;';
      document.body.appendChild(s);
      await new Promise((r) => setTimeout(r, 50));
      return (window as unknown as { inlineRan?: boolean }).inlineRan === true;
    });
    expect(ran).toBe(false);
  });

  it('opens and prints only reports main saved, by id: an id it did not give opens nothing', async () => {
    const answers = await page.evaluate(async () => {
      const invoke = (window as unknown as { sentryHarden: { invoke: Record<string, (r: unknown) => Promise<unknown>> } }).sentryHarden.invoke;
      const id = 'x'.repeat(43);
      return [await invoke['report:open']?.({ reportId: id }), await invoke['report:printPdf']?.({ reportId: id }), await invoke['report:open']?.({ reportId: '/etc/passwd' })];
    });
    expect(answers[0]).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(answers[1]).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(answers[2]).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('denies window.open and navigation away from the app', async () => {
    const opened = await page.evaluate(() => window.open('https://example.com/') === null);
    expect(opened).toBe(true);
    await page.waitForTimeout(200);
    expect(app.windows()).toHaveLength(1);
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(300);
    expect(page.url()).toBe('app://sentry-harden/index.html');
  });
});

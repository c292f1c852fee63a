import path from 'node:path';
import type { BrowserWindow } from 'electron';
import { app, protocol } from 'electron';
import { APP_KEYCHAIN_SERVICE, appDataDir } from '../core/app/paths';
import { createRouter, createSenderPolicy } from '../core/app/router';
import { openDemoSession, type DemoSession } from '../core/app/demo';
import { createAppServices, type DemoSetup } from '../core/app/services';
import { applyHeapPolicy } from '../core/primitives/heap-policy';
import { SIGNING_KEY_SERVICE } from '../core/evidence/signing-key';
import { createKeychain } from '../core/secrets/index';
import type { AppStore } from '../core/store/index';
import { channels } from '../shared/ipc/contract';
import { startDemoBackend, type RunningSimulator } from '../simulator/index';
import { APP_ORIGIN, APP_SCHEME, PRELOAD_FILE, RENDERER_DIR, SESSION_PARTITION } from './app-origin';
import { serveAppRequest } from './app-protocol';
import { registerHandlers } from './ipc-router';
import { createDialogDestination } from './report-destination';
import { createHardenedSession, installAppSecurity, openExternalSafely } from './security';
import { createElectronAppStore } from './store';
import type { ExternalUrlPolicy } from './url-policy';
import { createMainWindow } from './window';

/**
 * Composition root of the desktop app. Order matters: the scheme's privileges and the sandbox
 * must be set before `ready`; the session is hardened and the protocol registered before the
 * window exists. Everything that is not Electron (handlers, engine, keychain, demo profile) is
 * composed by core/app/services.ts, as web mode does.
 */

function log(message: string): void {
  process.stderr.write(`[main] ${message}\n`);
}

// The audit runs in this process: its heap stays near its live set (core/primitives/heap-policy.ts).
applyHeapPolicy();

// Run unpackaged (`npm start`), Electron would name the app "Electron" and keep settings there.
if (!app.isPackaged) {
  app.setName('sentry-harden');
  app.setPath('userData', path.join(app.getPath('appData'), 'sentry-harden'));
}

/** Demo: asked for (`--demo`, SENTRY_HARDEN_DEMO=1), or no profile configured yet. */
function wantsDemo(store: AppStore): boolean {
  return process.argv.includes('--demo') || process.env.SENTRY_HARDEN_DEMO === '1' || store.listProfiles().length === 0;
}

if (!app.requestSingleInstanceLock()) {
  // A second instance would share the settings file; hand over to the first and stop.
  app.quit();
} else {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);

  let externalUrlPolicy: ExternalUrlPolicy = { orgBaseUrls: [] };
  installAppSecurity({
    externalUrlPolicy: () => externalUrlPolicy,
    onRefused: (what, origin) => log(`refused ${what} to ${origin}`),
  });

  const trustedWebContents = new Set<number>();
  let mainWindow: BrowserWindow | null = null;
  let simulator: RunningSimulator | null = null;
  let demoSession: DemoSession | null = null;

  void app.whenReady().then(async () => {
    // Unpackaged runs (npm start) point at the repository; packaged ones at the asar.
    const appRoot = !app.isPackaged && process.env.SENTRY_HARDEN_APP_ROOT ? process.env.SENTRY_HARDEN_APP_ROOT : app.getAppPath();
    const rendererRoot = path.join(appRoot, RENDERER_DIR);

    const ses = createHardenedSession(SESSION_PARTITION);
    ses.protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererRoot));

    let store = createElectronAppStore();
    let journalDir = path.join(appDataDir(process.env), 'journal');
    let demo: DemoSetup | null = null;
    let services: ReturnType<typeof createAppServices> | null = null;
    if (wantsDemo(store)) {
      const started = await startDemoBackend();
      simulator = started.simulator;
      demoSession = openDemoSession(path.join(app.getPath('userData'), 'demo'), started.backend, () => services?.keychain ?? null);
      ({ store, journalDir, demo } = demoSession);
      log(`demo organization "${started.backend.orgSlug}" on the built-in simulator (not a real Sentry)`);
    }
    const refreshPolicy = () => {
      externalUrlPolicy = { orgBaseUrls: store.listProfiles().map((p) => p.baseUrl) };
      return externalUrlPolicy;
    };
    refreshPolicy();

    services = createAppServices({
      store,
      keychain: createKeychain({ service: APP_KEYCHAIN_SERVICE }),
      signingKeychain: createKeychain({ service: SIGNING_KEY_SERVICE }),
      demo,
      journalDir,
      reportDestination: createDialogDestination(() => mainWindow),
      app: { version: app.getVersion(), platform: process.platform, packaged: app.isPackaged, mode: 'desktop' },
      openExternal: (url) => openExternalSafely(url, refreshPolicy()),
    });
    const isTrustedSender = createSenderPolicy({ appOrigin: APP_ORIGIN, webContentsIds: trustedWebContents });
    const router = createRouter(channels, services.handlers, isTrustedSender, {
      onUnexpectedError: (channel, error) =>
        log(`unexpected error in ${channel}: ${error instanceof Error ? `${error.name}: ${error.message}` : 'non-error thrown'}`),
    });
    registerHandlers(router, isTrustedSender);

    const openWindow = () => {
      mainWindow = createMainWindow({
        preloadPath: path.join(appRoot, PRELOAD_FILE),
        devTools: !app.isPackaged,
        trustedWebContents,
      });
      mainWindow.on('closed', () => {
        mainWindow = null;
      });
    };
    openWindow();

    app.on('second-instance', () => {
      if (mainWindow) {
        if (mainWindow.isMinimized()) mainWindow.restore();
        mainWindow.focus();
      }
    });
    app.on('activate', () => {
      if (mainWindow === null) openWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    void simulator?.close();
    demoSession?.close();
  });
}

import path from 'node:path';
import type { BrowserWindow } from 'electron';
import { app, protocol } from 'electron';
import { createKeychain } from '../core/secrets/index';
import { channels } from '../shared/ipc/contract';
import {
  APP_ORIGIN,
  APP_SCHEME,
  KEYCHAIN_SERVICE,
  PRELOAD_FILE,
  RENDERER_DIR,
  SESSION_PARTITION,
} from './app-origin';
import { serveAppRequest } from './app-protocol';
import { createHandlers, createUnwiredEngine } from './handlers';
import { registerHandlers } from './ipc-router';
import { createRouter, createSenderPolicy } from './router';
import { createHardenedSession, installAppSecurity, openExternalSafely } from './security';
import { createElectronAppStore } from './store';
import type { ExternalUrlPolicy } from './url-policy';
import { createMainWindow } from './window';

/**
 * Composition root of the desktop app. Order matters: the scheme's privileges and the sandbox
 * must be set before `ready`; the session is hardened and the protocol registered before the
 * window exists.
 */

function log(message: string): void {
  process.stderr.write(`[main] ${message}\n`);
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

  void app.whenReady().then(() => {
    const appRoot = app.getAppPath();
    const rendererRoot = path.join(appRoot, RENDERER_DIR);

    const ses = createHardenedSession(SESSION_PARTITION);
    ses.protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererRoot));

    const store = createElectronAppStore();
    const refreshPolicy = () => {
      externalUrlPolicy = { orgBaseUrls: store.listProfiles().map((p) => p.baseUrl) };
      return externalUrlPolicy;
    };
    refreshPolicy();

    const handlers = createHandlers({
      store,
      keychain: createKeychain({ service: KEYCHAIN_SERVICE }),
      // TODO(lead): wire core's Sentry client and engine here.
      engine: createUnwiredEngine(),
      app: { version: app.getVersion(), platform: process.platform, packaged: app.isPackaged },
      openExternal: (url) => openExternalSafely(url, refreshPolicy()),
    });
    const isTrustedSender = createSenderPolicy({ appOrigin: APP_ORIGIN, webContentsIds: trustedWebContents });
    const router = createRouter(channels, handlers, isTrustedSender, {
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
}

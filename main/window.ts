import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL, SESSION_PARTITION } from './app-origin';

export interface MainWindowOptions {
  /** Absolute path of the bundled preload script. */
  readonly preloadPath: string;
  /** Devtools only in development (`!app.isPackaged`). */
  readonly devTools: boolean;
  /** Main's set of trusted webContents; the window adds itself and leaves when destroyed. */
  readonly trustedWebContents: Set<number>;
}

/** The one window: isolated, sandboxed, no Node, web security on, its own in-memory session. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Sentry Harden',
    autoHideMenuBar: true,
    webPreferences: {
      partition: SESSION_PARTITION,
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Spellcheck dictionaries are downloaded from Google on Linux and Windows.
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  const id = win.webContents.id;
  options.trustedWebContents.add(id);
  win.webContents.once('destroyed', () => options.trustedWebContents.delete(id));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

/** A separate, in-memory session for printing reports: hardened like the app's. */
export const PRINT_PARTITION = 'sentry-harden-print';

/**
 * A hidden window that only renders a saved report.html for printToPDF: sandboxed, no
 * JavaScript, no preload (so no IPC), not in the trusted set, its own session (no network).
 */
export function createPrintWindow(): BrowserWindow {
  return new BrowserWindow({
    show: false,
    webPreferences: {
      partition: PRINT_PARTITION,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      webSecurity: true,
      spellcheck: false,
      devTools: false,
    },
  });
}

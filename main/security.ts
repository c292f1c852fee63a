import type { Session, WebContents } from 'electron';
import { app, session, shell } from 'electron';
import type { ExternalUrlPolicy } from './url-policy';
import { isAppUrl, parseExternalUrl } from './url-policy';

/**
 * App-wide hardening (Electron's security checklist): sandbox for every renderer, no
 * permissions, no navigation away from the app, no new windows, no webviews, no downloads, no
 * network from the window. External links open in the OS browser only if the allow-list permits.
 */

export interface AppSecurityOptions {
  /** Read at each link: the configured profiles' hosts may change while the app runs. */
  readonly externalUrlPolicy: () => ExternalUrlPolicy;
  /** Told about refused navigations and links (never with more than the URL's origin). */
  readonly onRefused?: (what: string, url: string) => void;
}

/** Opens `raw` in the OS browser if the allow-list permits; false (and nothing opened) otherwise. */
export async function openExternalSafely(raw: string, policy: ExternalUrlPolicy): Promise<boolean> {
  const url = parseExternalUrl(raw, policy);
  if (url === null) return false;
  await shell.openExternal(url);
  return true;
}

function originForLog(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(unparseable URL)';
  }
}

/** Must run before `app.whenReady()`: enableSandbox only works then. */
export function installAppSecurity(options: AppSecurityOptions): void {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, options));
}

export function hardenWebContents(contents: WebContents, options: AppSecurityOptions): void {
  const refused = (what: string, url: string) => options.onRefused?.(what, originForLog(url));

  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    refused('navigation', url);
    // A plain link to an allowed page (docs, Sentry settings) opens in the OS browser instead.
    void openExternalSafely(url, options.externalUrlPolicy()).catch(() => undefined);
  });
  contents.on('will-frame-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    refused('frame navigation', event.url);
  });
  contents.on('will-redirect', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    refused('redirect', url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalSafely(url, options.externalUrlPolicy()).catch(() => undefined);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    refused('webview', 'about:blank');
  });
}

/** The window's dedicated session, hardened before anything loads in it. */
export function createHardenedSession(partition: string): Session {
  const ses = session.fromPartition(partition);
  hardenSession(ses);
  return ses;
}

/** Deny every permission, download and network request. */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback(null));
  ses.on('will-download', (event) => event.preventDefault());
  // The window talks to main only; Sentry is reached from main. Belt and braces with the CSP.
  ses.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (_details, callback) => callback({ cancel: true }),
  );
}

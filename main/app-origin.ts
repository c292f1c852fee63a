/**
 * Where the UI lives: a custom standard scheme served from the packaged files (Element Desktop
 * does the same), never file:// and never http. One origin, one in-memory session.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'sentry-harden';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** No `persist:` prefix: the window's cookies, cache and storage never reach the disk. */
export const SESSION_PARTITION = 'sentry-harden';

/** Paths inside the app (asar) as laid out by the build. */
export const RENDERER_DIR = 'dist/renderer';
export const PRELOAD_FILE = 'dist/preload/index.cjs';

/** The keychain service under which each profile's token is kept. */
export const KEYCHAIN_SERVICE = 'sentry-harden';

/** Shared with web mode (core/app/csp.ts). */
export { CONTENT_SECURITY_POLICY } from '../core/app/csp';

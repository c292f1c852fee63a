import { APP_HOST, APP_SCHEME } from './app-origin';
import { isSameOrigin } from '../core/app/url-policy';

/** The URL policy lives in core/app (web mode uses it too); main adds its own origin. */
export { isSameOrigin, parseExternalUrl, parseUrl } from '../core/app/url-policy';
export type { ExternalUrlPolicy, ValidatedExternalUrl } from '../core/app/url-policy';

/** True for the app's own pages (app://sentry-harden/...). */
export function isAppUrl(raw: string): boolean {
  return isSameOrigin(raw, `${APP_SCHEME}://${APP_HOST}/`);
}

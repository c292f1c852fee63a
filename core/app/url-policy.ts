/**
 * URL decisions for navigation, senders and external links. Every check parses with `URL` and
 * compares parts; no prefix matching on strings (`https://docs.sentry.io.evil.example` and
 * `app://sentry-harden@evil` must not pass).
 */

export function parseUrl(raw: unknown): URL | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 4096) return null;
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * Same scheme, host and port. Compared part by part because `URL.origin` is the string "null"
 * for custom schemes like app:, which would make any two of them look alike.
 */
export function isSameOrigin(a: string, b: string): boolean {
  const x = parseUrl(a);
  const y = parseUrl(b);
  if (!x || !y) return false;
  if (x.username || x.password || y.username || y.password) return false;
  return x.protocol === y.protocol && x.hostname === y.hostname && x.port === y.port && x.hostname !== '';
}

/** A URL that passed `parseExternalUrl`; only these go to the OS browser. */
export type ValidatedExternalUrl = string & { readonly __brand: 'ValidatedExternalUrl' };

export interface ExternalUrlPolicy {
  /** Base URLs of the configured profiles (self-hosted or regional Sentry), any path allowed. */
  readonly orgBaseUrls: readonly string[];
}

const SENTRY_DOCS_HOST = 'docs.sentry.io';
const SENTRY_HOST = 'sentry.io';

function isSentryIoHost(hostname: string): boolean {
  return hostname === SENTRY_HOST || hostname.endsWith(`.${SENTRY_HOST}`);
}

/**
 * The link if it may open in the OS browser, else null: https only, no credentials in the URL,
 * and one of: Sentry's docs, a settings page on sentry.io (or an org's *.sentry.io), or the host
 * of a configured profile.
 */
export function parseExternalUrl(raw: unknown, policy: ExternalUrlPolicy): ValidatedExternalUrl | null {
  const url = parseUrl(raw);
  if (!url) return null;
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return null;
  if (url.hostname === SENTRY_DOCS_HOST && url.port === '') return url.href as ValidatedExternalUrl;
  if (isSentryIoHost(url.hostname) && url.port === '') {
    const settingsPage = url.pathname === '/settings' || url.pathname.startsWith('/settings/');
    return settingsPage ? (url.href as ValidatedExternalUrl) : null;
  }
  for (const base of policy.orgBaseUrls) {
    const org = parseUrl(base);
    if (org && org.protocol === 'https:' && org.hostname === url.hostname && org.port === url.port) {
      return url.href as ValidatedExternalUrl;
    }
  }
  return null;
}

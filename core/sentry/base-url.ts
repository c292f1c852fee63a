import type { Result } from '../../shared/errors';
import { SentryApiError } from './errors';

/** Where the Sentry API lives: sentry.io (and its regions) or a self-hosted instance. */
export type SentryDeployment = 'saas' | 'self_hosted';

export interface SentryBaseUrl {
  /** Origin plus path prefix, no trailing slash: `https://sentry.example.com/sentry`. */
  readonly url: string;
  /** `https://host[:port]` */
  readonly origin: string;
  /** `''` or a prefix such as `/sentry` (self-hosted behind a path). */
  readonly pathPrefix: string;
  readonly hostname: string;
  readonly deployment: SentryDeployment;
  /** 127.0.0.0/8, ::1 or localhost: plain http is allowed there (simulator, tests). */
  readonly loopback: boolean;
}

export interface SentryPreset {
  readonly id: 'sentry.io' | 'us' | 'de';
  readonly label: string;
  readonly url: string;
}

export const SENTRY_PRESETS: readonly SentryPreset[] = [
  { id: 'sentry.io', label: 'sentry.io', url: 'https://sentry.io' },
  { id: 'us', label: 'sentry.io, US region', url: 'https://us.sentry.io' },
  { id: 'de', label: 'sentry.io, EU region (Germany)', url: 'https://de.sentry.io' },
];

/** sentry.io's control silo: users, tokens, audit log, integrations (REFERENCE.md 0.1). */
export const SAAS_CONTROL_URL = 'https://sentry.io';

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h === '[::1]' || h === '::1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return m !== null && m.slice(1).every((n) => Number(n) <= 255);
}

/** sentry.io and its subdomains (regions `us.`/`de.`, customer domains `acme.sentry.io`). */
export function isSaasHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h === 'sentry.io' || h.endsWith('.sentry.io');
}

function invalid(message: string): SentryApiError {
  return new SentryApiError({ code: 'invalid_url', message });
}

/**
 * Parses what a person typed as the Sentry URL. Accepts a bare host (https assumed), strips
 * trailing slashes and a pasted `/api/0` suffix; refuses anything we would not send a token to.
 * Throws `SentryApiError` (`invalid_url` or `insecure_url`).
 */
export function parseBaseUrl(input: string): SentryBaseUrl {
  const text = input.trim();
  if (text === '') throw invalid('Enter the Sentry URL, for example https://sentry.io or https://sentry.example.com.');
  if (/\s/.test(text)) throw invalid('The Sentry URL contains spaces.');
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  // "ht!tp://host" is a mistyped scheme, not a host name to prefix with https://.
  if (!hasScheme && text.includes('://')) throw invalid('The Sentry URL does not start with a valid scheme; use https://.');
  const withScheme = hasScheme ? text : `https://${text}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    // Not echoed: people sometimes paste the token into the URL field.
    throw invalid('The Sentry URL is not a valid URL (expected something like https://sentry.example.com).');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw invalid(`The Sentry URL must start with https:// (got ${u.protocol}//).`);
  }
  if (u.username !== '' || u.password !== '') {
    throw invalid('Remove the user name and password from the URL; the token is entered separately.');
  }
  if (u.hostname === '') throw invalid('The Sentry URL has no host name.');
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/i.test(u.hostname)) throw invalid('The host name of the Sentry URL contains characters a host name cannot have.');
  if (u.search !== '' || u.hash !== '') {
    throw invalid('The Sentry URL must not contain a query (?...) or a fragment (#...).');
  }
  const loopback = isLoopbackHost(u.hostname);
  if (u.protocol === 'http:' && !loopback) {
    throw new SentryApiError({
      code: 'insecure_url',
      message: `http:// would send the token unencrypted to ${u.hostname}; use https://. (Plain http is accepted only for localhost.)`,
    });
  }
  let path = u.pathname.replace(/\/+$/, '');
  path = path.replace(/\/api\/0$/, '');
  if (/\/api\/0(\/|$)/.test(path)) {
    throw invalid('Paste the base URL of Sentry (for example https://sentry.example.com), not the URL of an API endpoint.');
  }
  if (path.split('/').some((seg) => seg === '..' || seg === '.')) {
    throw invalid('The path of the Sentry URL must not contain "." or ".." segments.');
  }
  const origin = u.origin;
  return {
    url: origin + path,
    origin,
    pathPrefix: path,
    hostname: u.hostname,
    deployment: isSaasHost(u.hostname) ? 'saas' : 'self_hosted',
    loopback,
  };
}

/** `parseBaseUrl` as data, for forms that validate as the user types. */
export function tryParseBaseUrl(input: string): Result<SentryBaseUrl> {
  try {
    return { ok: true, value: parseBaseUrl(input) };
  } catch (e) {
    if (e instanceof SentryApiError) return { ok: false, error: e.toInfo() };
    throw e;
  }
}

/**
 * Whether a URL that Sentry itself sent us (an org's `links.regionUrl`, a region of
 * users/me/regions) may receive the token: on sentry.io only sentry.io hosts over https; against a
 * loopback server (simulator, tests) only loopback hosts. Self-hosted: never another host.
 */
export function trustedRegionUrl(base: SentryBaseUrl, candidate: string): SentryBaseUrl | undefined {
  let parsed: SentryBaseUrl;
  try {
    parsed = parseBaseUrl(candidate);
  } catch {
    return undefined;
  }
  if (base.deployment === 'saas') {
    return parsed.deployment === 'saas' && parsed.origin.startsWith('https://') ? parsed : undefined;
  }
  if (base.loopback) return parsed.loopback ? parsed : undefined;
  return parsed.url === base.url ? parsed : undefined;
}

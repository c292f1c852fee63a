import type { Result } from '../../shared/errors';
import type { SentryBaseUrl } from '../../shared/base-url';
import { checkBaseUrl } from '../../shared/base-url';
import { SentryApiError } from './errors';

export type { SentryBaseUrl, SentryDeployment } from '../../shared/base-url';
export { isLoopbackHost, isSaasHost } from '../../shared/base-url';

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

/**
 * Parses what a person typed as the Sentry URL. Accepts a bare host (https assumed), strips
 * trailing slashes and a pasted `/api/0` suffix; refuses anything we would not send a token to.
 * Throws `SentryApiError` (`invalid_url` or `insecure_url`).
 */
export function parseBaseUrl(input: string): SentryBaseUrl {
  const checked = checkBaseUrl(input);
  if (!checked.ok) throw new SentryApiError({ code: checked.error.code, message: checked.error.message });
  return checked.value;
}

/** `parseBaseUrl` as data, for forms that validate as the user types. */
export function tryParseBaseUrl(input: string): Result<SentryBaseUrl> {
  return checkBaseUrl(input);
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

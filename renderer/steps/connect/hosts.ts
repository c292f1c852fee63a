import { checkBaseUrl } from '../../../shared/base-url';
import type { Result } from '../../../shared/errors';

/** Where the Sentry lives. sentry.io serves every region from one sign-in; tokens are made there. */
export type HostKind = 'sentry' | 'eu' | 'self-hosted';

export interface HostPreset {
  readonly kind: HostKind;
  readonly label: string;
  readonly hint: string;
  readonly url: string | null;
}

export const HOST_PRESETS: readonly HostPreset[] = [
  { kind: 'sentry', label: 'sentry.io', hint: 'Sentry SaaS, US region (the default)', url: 'https://sentry.io' },
  { kind: 'eu', label: 'sentry.io, EU region', hint: 'Organizations whose data lives in Germany (de.sentry.io)', url: 'https://de.sentry.io' },
  { kind: 'self-hosted', label: 'Self-hosted Sentry', hint: 'Your own Sentry server, e.g. https://sentry.example.com', url: null },
];

/** The base URL for a choice; for self-hosted, what the person typed (trimmed, no trailing slash). */
export function baseUrlFor(kind: HostKind, customUrl: string): string {
  const preset = HOST_PRESETS.find((h) => h.kind === kind);
  if (preset?.url) return preset.url;
  const typed = customUrl.trim().replace(/\/+$/, '');
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(typed) || typed === '' ? typed : `https://${typed}`;
}

/**
 * The URL to connect to, checked with the one URL policy (shared/base-url.ts) as it is typed:
 * the normalised URL, or the policy's message for a person (what is wrong, what to type).
 */
export function checkTypedUrl(kind: HostKind, customUrl: string): Result<string> {
  const preset = HOST_PRESETS.find((h) => h.kind === kind);
  if (preset?.url) return { ok: true, value: preset.url };
  const checked = checkBaseUrl(customUrl);
  return checked.ok ? { ok: true, value: checked.value.url } : checked;
}

/**
 * Where a person creates a personal token. sentry.io regions share the sign-in on sentry.io;
 * a self-hosted server has the same page under its own URL.
 */
export function tokenPageUrl(kind: HostKind, baseUrl: string): string | null {
  if (kind !== 'self-hosted') return 'https://sentry.io/settings/account/api/auth-tokens/';
  const checked = checkBaseUrl(baseUrl);
  return checked.ok ? `${checked.value.url}/settings/account/api/auth-tokens/` : null;
}

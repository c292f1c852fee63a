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

/** True when `url` parses as an http(s) URL with a host (the engine decides what it accepts). */
export function isPlausibleUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '' && !u.username && !u.password;
  } catch {
    return false;
  }
}

/**
 * Where a person creates a personal token. sentry.io regions share the sign-in on sentry.io;
 * a self-hosted server has the same page under its own URL.
 */
export function tokenPageUrl(kind: HostKind, baseUrl: string): string | null {
  if (kind !== 'self-hosted') return 'https://sentry.io/settings/account/api/auth-tokens/';
  return isPlausibleUrl(baseUrl) ? `${baseUrl}/settings/account/api/auth-tokens/` : null;
}

import type { PlanNote } from '../../../store/dto';

/**
 * Inline checks of a chosen value, before it is sent: the reason is shown next to the field and
 * the plan is made again only with values that pass. The engine checks them again (its answer is
 * the authority, shown in the same place); these mirror its rules so most mistakes never leave
 * the form.
 */

export type ParamDto = NonNullable<PlanNote['param']>;

/** The values of a list as the form keeps them: comma-separated, blanks dropped. */
export function listOf(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The kinds whose values are picked from a list of known choices. */
export function picksFromChoices(param: ParamDto): boolean {
  return param.choices.length > 0 && param.kind !== 'rate_limit' && param.kind !== 'domains' && param.kind !== 'cidr_ranges';
}

export interface RateLimitDraft {
  readonly count: string;
  readonly window: string;
}

export function splitRateLimit(value: string): RateLimitDraft {
  const [count = '', window = ''] = value.split('/');
  return { count: count.trim(), window: window.trim() };
}

/** Sentry's RateLimitSerializer caps the window at one day (src/sentry/api/serializers/rest_framework/project_key.py). */
export const SENTRY_MAX_WINDOW = 86_400;

export function rateLimitErrors(param: ParamDto, draft: RateLimitDraft): { count: string | null; window: string | null } {
  const maxWindow = param.maxWindow ?? SENTRY_MAX_WINDOW;
  const min = param.min ?? 1;
  const count = !/^\d{1,9}$/.test(draft.count)
    ? 'Give a whole number of events.'
    : Number(draft.count) < min
      ? `At least ${min} event${min === 1 ? '' : 's'}.`
      : param.max !== null && Number(draft.count) > param.max
        ? `At most ${param.max.toLocaleString('en')} events.`
        : null;
  const window = !/^\d{1,7}$/.test(draft.window)
    ? 'Give a whole number of seconds.'
    : Number(draft.window) < 1
      ? 'At least 1 second.'
      : Number(draft.window) > maxWindow
        ? `Sentry accepts at most ${maxWindow.toLocaleString('en')} seconds (one day).`
        : null;
  return { count, window };
}

/** An origin Sentry matches: `https://app.example.com`, `example.com`, `*.example.com`, an optional port. */
const ORIGIN = /^(https?:\/\/)?(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+(:\d{1,5})?$/i;

export function domainError(value: string, pattern: string | null): string | null {
  const v = value.trim();
  if (v === '*') return '"*" accepts every site, which is what this fix replaces.';
  let re = ORIGIN;
  if (pattern !== null) {
    try {
      re = new RegExp(pattern, 'i');
    } catch {
      // The engine's own pattern is a JavaScript one; a bad one falls back to ours.
    }
  }
  if (!re.test(v)) return 'Not a site such as https://app.example.com or *.example.com.';
  return null;
}

function ipv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255 && (p === '0' || !p.startsWith('0')));
}

function ipv6(s: string): boolean {
  if (!/^[0-9a-f:.]+$/i.test(s) || s.split('::').length > 2) return false;
  const [head = '', tail] = s.split('::');
  const groups = (x: string) => (x === '' ? [] : x.split(':'));
  const all = [...groups(head), ...(tail === undefined ? [] : groups(tail))];
  // An embedded IPv4 address counts as two groups.
  const last = all.at(-1) ?? '';
  const v4 = last.includes('.');
  if (v4 && !ipv4(last)) return false;
  const hex = v4 ? all.slice(0, -1) : all;
  if (!hex.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return false;
  const count = hex.length + (v4 ? 2 : 0);
  return tail === undefined ? count === 8 : count < 8;
}

export function cidrError(value: string): string | null {
  const [addr = '', prefix, extra] = value.trim().split('/');
  const family = ipv4(addr) ? 4 : ipv6(addr) ? 6 : 0;
  const max = family === 4 ? 32 : 128;
  const ok = family !== 0 && extra === undefined && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max));
  return ok ? null : 'Not an IP address or range such as 203.0.113.0/24 or 2001:db8::/32.';
}

/** Why a value cannot be sent, for people; null when it can. An empty value is "leave as it is". */
export function paramError(param: ParamDto, value: string): string | null {
  if (value.trim() === '') return null;
  switch (param.kind) {
    case 'rate_limit': {
      const e = rateLimitErrors(param, splitRateLimit(value));
      return e.count ?? e.window;
    }
    case 'domains': {
      const bad = listOf(value).map((d) => domainError(d, param.pattern)).find((e) => e !== null);
      return bad ?? null;
    }
    case 'cidr_ranges': {
      const bad = listOf(value).map(cidrError).find((e) => e !== null);
      return bad ?? null;
    }
    default: {
      if (!picksFromChoices(param)) return null;
      const values = listOf(value);
      if (!param.multiple && values.length > 1) return 'Choose one.';
      const unknown = values.filter((v) => !param.choices.includes(v));
      if (unknown.length > 0) return 'Choose from the list.';
      return null;
    }
  }
}

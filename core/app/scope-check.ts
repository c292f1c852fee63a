import type { z } from 'zod';
import type { ScopeCheckSchema } from '../../shared/ipc/contract';
import { AUDIT_SCOPES, FIX_SCOPES, expandScopes } from '../../shared/scopes';
import { tryParseBaseUrl } from '../sentry/base-url';

export type ScopeCheck = z.input<typeof ScopeCheckSchema>;

function need(required: readonly string[], held: readonly string[] | null): ScopeCheck['audit'] {
  if (held === null) return { required: [...required], missing: [...required], extra: [], satisfied: false };
  const expandedHeld = expandScopes(held);
  const missing = required.filter((s) => !expandedHeld.has(s));
  // Extra: held scopes that nothing this session needs implies (least privilege).
  const needed = expandScopes(required);
  const extra = [...new Set(held)].filter((s) => !needed.has(s)).sort();
  return { required: [...required], missing, extra, satisfied: missing.length === 0 };
}

/**
 * The scopes an audit-only session and a fixing session need (shared/scopes.ts), against what
 * the token holds. A fixing session also audits, so it needs both sets.
 */
export function checkScopes(held: readonly string[] | null, baseUrl: string | null): ScopeCheck {
  const fixing = [...new Set([...FIX_SCOPES, ...AUDIT_SCOPES])].filter(
    // org:write is implied by org:admin: list only what the person has to tick.
    (s, _i, all) => !all.some((other) => other !== s && expandScopes([other]).has(s)),
  );
  return {
    checked: held !== null,
    heldScopes: held === null ? null : [...held].sort(),
    audit: need(AUDIT_SCOPES, held),
    fix: need(fixing, held),
    authPageUrl: baseUrl === null ? null : authTokensPage(baseUrl),
  };
}

/** Where a person creates a personal token on the Sentry a profile points at. */
export function authTokensPage(baseUrl: string): string | null {
  const parsed = tryParseBaseUrl(baseUrl);
  if (!parsed.ok) return null;
  const base = parsed.value;
  // Regional hosts (us.sentry.io, de.sentry.io) serve the API; settings live on sentry.io.
  const root = base.deployment === 'saas' ? 'https://sentry.io' : base.url;
  return `${root}/settings/account/api/auth-tokens/`;
}

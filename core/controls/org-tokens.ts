import type { Evidence } from '../../shared/finding';
import type { Loaded } from '../sentry/org-data';

/**
 * When the org auth token list cannot be read with an API token, and what to do instead. Current
 * Sentry serves GET /organizations/{org}/org-auth-tokens/ to browser sessions only
 * (organization_auth_tokens.py: SessionNoAuthTokenAuthentication, so bearer tokens get 403
 * "Authentication credentials were not provided."); servers before org auth tokens existed (23.x)
 * answer 404. Either way the review is a manual step in the UI, not an error of the audit.
 * Returns null for any other failure, which stays an `error`.
 */
export function orgTokensUnreadable(
  loaded: Loaded<unknown>,
  staleDays: number,
): { message: string; evidence: Evidence[]; details: Record<string, unknown> } | null {
  if (loaded.ok) return null;
  const code = loaded.error.code;
  if (code !== 'session_only' && code !== 'not_found') return null;
  const evidence = loaded.evidence ? [loaded.evidence] : [];
  const steps =
    `open Settings > Developer Settings > Organization Tokens (Settings > Auth Tokens on older releases) in Sentry, ` +
    `check each token's "last used" date and revoke those unused for ${staleDays} days or belonging to no known pipeline.`;
  const message =
    code === 'session_only'
      ? `Sentry lists organization auth tokens only to a signed-in browser session, not to API tokens: ${steps}`
      : 'This Sentry has no organization auth token list (org auth tokens came with Sentry 23.x): review the tokens CI uses ' +
        `(User Settings > Auth Tokens, Settings > Developer Settings > internal integrations) and revoke those unused for ${staleDays} days or belonging to no known pipeline.`;
  return { message, evidence, details: { endpoint: loaded.error.endpoint ?? null, reason: code } };
}

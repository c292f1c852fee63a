import type { TokenInfo } from '../controls/types';
import type { ApiIndex } from '../sentry/schemas';

/**
 * What kind of token this session runs with. The prefix is the surest sign (Sentry prints
 * `sntryu_` on user tokens and `sntrys_` on org auth tokens); older 64-hex tokens are told apart
 * by what Sentry says about them: org auth tokens have no user, and internal-integration tokens
 * act as a proxy user who is not a member, so the organization carries no `orgRole` for them.
 */
export function classifyToken(
  prefix: 'sntryu_' | 'sntrys_' | null,
  index: ApiIndex,
  org: { readonly orgRole?: string | undefined } | null,
): TokenInfo['kind'] {
  if (prefix === 'sntrys_') return 'org_auth_token';
  if (index.user === null) return index.auth?.scopes.includes('org:ci') ? 'org_auth_token' : 'unknown';
  if (prefix === 'sntryu_') return 'user';
  if (org === null) return 'unknown';
  return org.orgRole === undefined ? 'internal_integration' : 'user';
}

/** The prefix of a token, which is all the engine ever learns about the token itself. */
export function tokenPrefix(token: string): 'sntryu_' | 'sntrys_' | null {
  if (token.startsWith('sntryu_')) return 'sntryu_';
  if (token.startsWith('sntrys_')) return 'sntrys_';
  return null;
}

export function toTokenInfo(kind: TokenInfo['kind'], index: ApiIndex): TokenInfo {
  return {
    kind,
    scopes: [...(index.auth?.scopes ?? [])].sort(),
    user: index.user
      ? { id: index.user.id, email: index.user.email ?? null, has2fa: index.user.has2fa ?? null }
      : null,
  };
}

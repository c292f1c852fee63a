import type { Member } from '../sentry/schemas';

/**
 * A member linked to SSO must sign in through the IdP (Sentry forces SSO on linked members), so
 * the IdP's MFA, attested under 1.2.require-2fa, stands in for Sentry's own 2FA.
 */
export function signsInWithSecondFactor(m: Member): boolean {
  if (m.user?.has2fa) return true;
  return m.flags?.['sso:linked'] === true && m.flags['sso:invalid'] !== true;
}

/** An invite not yet accepted: it has no user account. */
export function isInvite(m: Member): boolean {
  return m.user === null;
}

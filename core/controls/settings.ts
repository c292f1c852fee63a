import type { AuditSettings } from './types';

/**
 * Field names whose values must never be stored by Sentry. A project covers a name when its
 * effective scrubbing would redact a key of that name: Sentry matches sensitive fields as
 * case-insensitive substrings of the key, and its default scrubbers (when on) already catch keys
 * containing password, secret, passwd, api_key, apikey, auth, credentials, mysql_pwd, private_key
 * or token, and keys named exactly otp, two-factor or two_factor (Relay's key rules, verbatim in
 * `scrubbing.ts` with the Relay version they come from).
 *
 * Why these:
 * - password ... private_key, access_token, stripetoken: the credential names Sentry itself has
 *   always treated as sensitive; they cost nothing when the defaults are on and must be listed
 *   explicitly when they are off.
 * - authorization, cookie, session: where HTTP frameworks carry bearer tokens and session ids. The
 *   defaults only catch Relay's fixed list of cookie names (`RELAY_SENSITIVE_COOKIES`), not a
 *   `cookie` or `session` key.
 * - card_number, ssn: regulated personal data (PCI DSS, national id numbers). The defaults only
 *   redact them when the value happens to match a card or US SSN pattern.
 */
export const SENSITIVE_FIELD_BASELINE: readonly string[] = [
  'password',
  'passwd',
  'secret',
  'api_key',
  'apikey',
  'access_token',
  'auth',
  'authorization',
  'credentials',
  'mysql_pwd',
  'private_key',
  'stripetoken',
  'cookie',
  'session',
  'card_number',
  'ssn',
];

export const DEFAULT_AUDIT_SETTINGS: AuditSettings = {
  // The guide asks for two to three owners: enough to avoid a lock-out, few enough to watch.
  maxOwners: 3,
  // A project shared by more teams than this is effectively open to most of the organization.
  maxTeamsPerProject: 3,
  // Yearly rotation of client keys (DSNs); they are public in browser code and leak easily.
  keyRotationDays: 365,
  // Quarterly review of integrations, as the least-privilege analysis recommends.
  integrationReviewDays: 90,
  sensitiveFieldBaseline: SENSITIVE_FIELD_BASELINE,
  // A CI token unused for a quarter is no longer needed by any pipeline.
  orgAuthTokenStaleDays: 90,
};

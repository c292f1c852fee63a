/**
 * Which property, header and query-parameter names hold secrets. Names are compared lower-cased
 * with everything but letters and digits removed, after JSON has decoded their escapes.
 */

// Endings rather than names so `clientSecret`, `scim_api_token` and `sentry:token` are all caught,
// while `tokenLastCharacters`, `securityTokenHeader` and `publicKey` are not.
export const SECRET_NAME_ENDINGS = [
  'password', 'passwd', 'passphrase', 'secret', 'secrets', 'token', 'tokens', 'apikey', 'apikeys',
  'privatekey', 'secretkey', 'accesskey', 'signingkey', 'authorization', 'cookie', 'cookies',
  'credential', 'credentials', 'sessionid', 'sessionkey', 'sentryauth', 'bearer', 'jwt',
  // A member's invite_link carries the token that accepts the invitation.
  'invitelink',
];

// Parts that make any name a secret's: X-Hub-Signature-256, X-Slack-Signature, webhookHmacKey.
const SECRET_NAME_PARTS = ['signature', 'hmac'];

// Whole names whose string value is always a secret (short, so endings would catch too much).
const SECRET_EXACT_NAMES = new Set(['pwd', 'pass', 'auth', 'private', 'sig', 'apiauth', 'clientauth']);

// Whole names that hold a secret only when the value looks like one: integrations' `provider.key`
// is "github", a tag's `key` is "environment", an error's `code` is "sso-required".
const CREDENTIAL_IF_OPAQUE = new Set(['key', 'code', 'sign', 'k', 'hash']);

const nameCache = new Map<string, boolean>();

function normalized(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** True for names whose values are secrets: `secret`, `clientSecret`, `Authorization`, `pwd`, ... */
export function isSecretKeyName(name: string): boolean {
  const known = nameCache.get(name);
  if (known !== undefined) return known;
  const n = normalized(name);
  const secret = n !== '' && (SECRET_EXACT_NAMES.has(n) || SECRET_NAME_ENDINGS.some((e) => n.endsWith(e)) || SECRET_NAME_PARTS.some((p) => n.includes(p)));
  if (nameCache.size > 10_000) nameCache.clear();
  nameCache.set(name, secret);
  return secret;
}

/**
 * An opaque credential-like value: 16+ characters of one token alphabet with letters and digits
 * mixed, no spaces. Identifiers such as `github`, `environment` or `sso-required` are not.
 */
export function looksOpaque(value: string): boolean {
  return value.length >= 16 && /^[A-Za-z0-9_+/=.~-]+$/.test(value) && /[0-9]/.test(value) && /[A-Za-z]/.test(value);
}

/** `key`, `code`, ... : a secret only when the value looks like a credential. */
export function isSecretIfOpaque(name: string): boolean {
  return CREDENTIAL_IF_OPAQUE.has(normalized(name));
}

/** Whether the pair name=value (JSON property, query parameter, header) holds a secret value. */
export function holdsSecretValue(name: string, value: unknown): boolean {
  if (isSecretKeyName(name)) return true;
  return typeof value === 'string' && isSecretIfOpaque(name) && (looksOpaque(value) || (normalized(name) === 'code' && /^[A-Za-z0-9]{24,}$/.test(value)));
}

/** Sibling keys that name what a neighbouring `value` holds: [{name: "X-Signature", value: "..."}]. */
export const NAME_FIELDS = new Set(['name', 'key', 'header', 'headername', 'field', 'label']);

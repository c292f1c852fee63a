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

// Sibling keys that name what a neighbouring `value` holds: [{name: "X-Signature", value: "..."}].
export const NAME_FIELDS = new Set(['name', 'key', 'header', 'headername', 'field', 'label']);

const nameFieldCache = new Map<string, boolean>();

/** Whether a key names its sibling `value` (`name`, `Header`, ...); remembered like `classify`. */
export function isNameField(key: string): boolean {
  let known = nameFieldCache.get(key);
  if (known === undefined) {
    known = NAME_FIELDS.has(key.toLowerCase());
    if (nameFieldCache.size > 10_000) nameFieldCache.clear();
    nameFieldCache.set(key, known);
  }
  return known;
}

// What a name is: 0 ordinary, 1 secret, 2 secret if the value looks opaque, 3 `code` (also a
// grant code). Names repeat by the hundred thousand in large pages (members, rosters): remembered.
const nameCache = new Map<string, 0 | 1 | 2 | 3>();

function classify(name: string): 0 | 1 | 2 | 3 {
  const known = nameCache.get(name);
  if (known !== undefined) return known;
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const kind =
    n !== '' && (SECRET_EXACT_NAMES.has(n) || SECRET_NAME_ENDINGS.some((e) => n.endsWith(e)) || SECRET_NAME_PARTS.some((p) => n.includes(p)))
      ? 1
      : n === 'code'
        ? 3
        : CREDENTIAL_IF_OPAQUE.has(n)
          ? 2
          : 0;
  if (nameCache.size > 10_000) nameCache.clear();
  nameCache.set(name, kind);
  return kind;
}

/** True for names whose values are secrets: `secret`, `clientSecret`, `Authorization`, `pwd`, ... */
export function isSecretKeyName(name: string): boolean {
  return classify(name) === 1;
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
  return classify(name) >= 2;
}

/** Whether the pair name=value (JSON property, query parameter, header) holds a secret value. */
export function holdsSecretValue(name: string, value: unknown): boolean {
  const kind = classify(name);
  if (kind === 0) return false;
  if (kind === 1) return true;
  return typeof value === 'string' && (looksOpaque(value) || (kind === 3 && /^[A-Za-z0-9]{24,}$/.test(value)));
}

/**
 * A last check before anything is written to the settings file: no field named like a
 * credential and no value shaped like a Sentry token. The strict schemas already refuse unknown
 * fields; this catches a token pasted into a declared text field (a label, a reason).
 */

/** Field names that hold credentials: `token`, `authToken`, `client_secret`, `password`, ... */
const SECRET_FIELD = /(?:token|secret|password|passwd|passphrase|api[_-]?key|authorization|bearer|credentials?)$/i;

/** Sentry's prefixed tokens: user (sntryu_), org auth (sntrys_) and any later letter. */
const SENTRY_TOKEN_VALUE = /\bsntry[a-z]_[A-Za-z0-9+/=_.-]{16,}/;

export function isSecretFieldName(name: string): boolean {
  return SECRET_FIELD.test(name);
}

export function looksLikeSentryToken(value: string): boolean {
  return SENTRY_TOKEN_VALUE.test(value);
}

/** The path of the first secret-looking field or value in `value`, or null. */
export function findSecretLikeField(value: unknown, path: readonly (string | number)[] = []): string | null {
  const here = path.length > 0 ? path.join('.') : '(root)';
  if (typeof value === 'string') return looksLikeSentryToken(value) ? here : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findSecretLikeField(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      // A boolean or number cannot carry a credential (`hasToken: true` is fine).
      if (isSecretFieldName(key) && (typeof child === 'string' || (child !== null && typeof child === 'object'))) {
        return [...path, key].join('.');
      }
      const found = findSecretLikeField(child, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

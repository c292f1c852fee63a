import { holdsSecretValue, isNameField, isSecretKeyName } from './redact-names';
import { applyPatterns, isMasked, PATTERN_TRIGGER, patternsChange, REDACTED } from './redact-patterns';
import { decodedVariants, knownSecrets, type KnownSecrets } from './secret-forms';

/**
 * How redaction (redact.ts) judges one decoded string, key or value: the value patterns, the
 * session's known secrets in any encoding, and the secret-ish property names.
 */
export interface Ctx {
  n: number;
  readonly known: KnownSecrets;
  /** Set when a known secret (the token) was found. */
  knownHit: boolean;
  /** Keys seen to need no redaction: keys repeat in every item of a page. */
  readonly cleanKeys: Set<string>;
  /** False when the body holds no escape at all: then no string needs decoding to be judged. */
  readonly decode: boolean;
}

export function ctxOf(known: KnownSecrets, decode = true): Ctx {
  return { n: 0, known, knownHit: false, cleanKeys: new Set(), decode };
}

export const NO_SECRETS = knownSecrets([]);

/**
 * The known secrets of the last call, reused: the client redacts every response with the same
 * token, and deriving its forms (URL-encoded, three base64 alignments) each time cost more than
 * judging a small body.
 */
let lastSecrets: { key: string; known: KnownSecrets } | undefined;

export function knownSecretsOf(secrets: readonly string[] | undefined): KnownSecrets {
  if (!secrets || secrets.length === 0) return NO_SECRETS;
  const key = secrets.join('\u0000');
  if (lastSecrets?.key !== key) lastSecrets = { key, known: knownSecrets(secrets) };
  return lastSecrets.known;
}

// Any escape that decoding undoes, as it appears in a body (JSON's \u, \x, %xx, HTML entities).
const ESCAPES_IN_BODY = /\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|%[0-9a-fA-F]{2}|&#|&[a-zA-Z]+;/;

/** Whether the body holds an escape; a substring look for the escape characters first. */
function hasEscapes(text: string): boolean {
  return (text.includes('\\') || text.includes('%') || text.includes('&')) && ESCAPES_IN_BODY.test(text);
}

/**
 * One look at the whole body decides how much each string costs: with no escape anywhere, no
 * string needs decoding; with neither an escape nor a known secret's form, none needs the
 * known-secret search. `knownInText` is passed when the caller has already looked.
 */
export function bodyContext(text: string, known: KnownSecrets, knownInText?: boolean): Ctx {
  const encoded = hasEscapes(text);
  return ctxOf(known.size > 0 && (encoded || (knownInText ?? known.appearsIn(text))) ? known : NO_SECRETS, encoded);
}

/** Whether strings of this context are judged on patterns alone (no known secret, no decoding). */
export function isPlain(ctx: Ctx): boolean {
  return ctx.known.size === 0 && !ctx.decode;
}

export function redactKey(key: string, ctx: Ctx): string {
  if (ctx.cleanKeys.has(key)) return key;
  const out = redactString(key, false, ctx);
  if (out === key) ctx.cleanKeys.add(key);
  return out;
}

export function holdsSecret(key: string, value: unknown, siblingSaysSecret: boolean): boolean {
  return holdsSecretValue(key, value) || (siblingSaysSecret && key.toLowerCase() === 'value');
}

// Patterns of secrets that are recognisable wherever they occur.
export function scrubPatterns(s: string, ctx: Ctx): string {
  let out = s;
  if (ctx.known.size > 0) {
    out = ctx.known.scrub(out, () => {
      ctx.n += 1;
      ctx.knownHit = true;
    });
  }
  // Most strings stop here; the callbacks below are made only for the few that go on.
  if (!PATTERN_TRIGGER.test(out)) return out;
  return applyPatterns(out, () => {
    ctx.n += 1;
  });
}

// What the patterns catch only once a string is decoded: a token URL-encoded or escaped twice.
export const DECODED_LEAK = /sntry[a-z]_[A-Za-z0-9]{6}|-----BEGIN [A-Z0-9 ]*PRIVATE KEY/;

// Cheap test before decoding: every escape decodedVariants undoes starts with one of these.
const DECODE_HINT = /[%\\&]/;

/** Whether a string still holds a credential in some encoding once the rules have run on it. */
export function leaksDecoded(s: string, ctx: Ctx): boolean {
  if (ctx.known.size > 0 && ctx.known.holds(s)) return true;
  if (!ctx.decode || !DECODE_HINT.test(s)) return false;
  const variants = decodedVariants(s);
  return variants.length > 1 && variants.some((v) => DECODED_LEAK.test(v));
}

// A URL whose secret is its userinfo password (dsn.secret) keeps host and public key.
const USERINFO_URL = /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/?#]*:[^\s@/?#]+@\S+$/i;

function redactSecretValue(value: string, ctx: Ctx): string {
  if (isMasked(value)) return value;
  if (USERINFO_URL.test(value)) return redactString(value, false, ctx);
  ctx.n += 1;
  return REDACTED;
}

/** The redacted form of one decoded string found under `secret` (a secret-ish property) or elsewhere. */
export function redactString(value: string, secret: boolean, ctx: Ctx): string {
  if (secret) return redactSecretValue(value, ctx);
  const out = scrubPatterns(value, ctx);
  if (!leaksDecoded(out, ctx)) return out;
  ctx.n += 1;
  if (ctx.known.holds(out)) ctx.knownHit = true;
  return REDACTED;
}

/**
 * Whether `redactString(value, secret, ctx)` would change `value`, for a plain context
 * (`isPlain`): the same rules without the known-secret and decoding steps, which such a context
 * skips anyway, and no counting.
 */
export function plainStringChanges(value: string, secret: boolean): boolean {
  if (secret) return !isMasked(value);
  return PATTERN_TRIGGER.test(value) && patternsChange(value);
}

export function siblingNamesSecret(entries: readonly { key: string; str: string | null }[]): boolean {
  return entries.some((e) => isNameField(e.key) && e.str !== null && isSecretKeyName(e.str));
}

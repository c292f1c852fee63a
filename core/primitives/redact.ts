import { sha256Hex } from './hash';
import { parsedHasDuplicateKeys } from './json-duplicates';
import { redactJsonText, walkValue } from './redact-json';
import { holdsSecretValue } from './redact-names';
import { isMasked, REDACTED } from './redact-patterns';
import { bodyContext, ctxOf, DECODED_LEAK, knownSecretsOf, leaksDecoded, scrubPatterns, type Ctx } from './redact-strings';

/**
 * Secrets are removed from raw API response bodies before they are stored in `raw/`.
 *
 * Which hash findings reference: the SHA-256 of the REDACTED bytes, i.e. of the file in `raw/`,
 * so an auditor can check every reference with `sha256sum` alone. The hash of the original bytes
 * is deliberately not offered: the rest of the body is public in the package, so a hash of the
 * original would let anyone confirm guesses of a low-entropy secret (a short password, a PIN).
 *
 * JSON bodies are parsed once and judged on the decoded values: every string and every key after
 * JSON has undone its escapes (`sntryu\u005f...`, `"pass\u0077ord"`), and again after URL,
 * `\x`, HTML-entity decoding (`sntryu%5F...`). Only the string literals that hold a secret are
 * rewritten, so numbers keep their exact digits (ids beyond 2^53), keys keep their order, and a
 * body with nothing to redact is stored byte for byte. A redacted value becomes `[redacted]`;
 * empty strings, nulls, booleans, numbers and values Sentry already masks (`**********`) stay.
 * Identifiers stay: a client key's `id` and `public`, `publicKey`, `clientId`,
 * `tokenLastCharacters`, `securityTokenHeader` (a header name), `sentry_key=` in URLs.
 * Bodies that are not JSON go through the same value patterns plus `key: value` / `key=value`
 * and header-line rules. Whatever the mode, the result is searched once more, decoded: a body
 * that still holds a credential in any form is withheld (replaced by a note), never stored.
 */
export { REDACTED } from './redact-patterns';

export interface RedactOptions {
  /** Secrets known by value (the session's API token): found plain, escaped, URL-encoded or in base64. */
  readonly secrets?: readonly string[];
}

export interface RedactionResult {
  /** The body to store in raw/. */
  readonly text: string;
  /** `text` as UTF-8 (or, for a body that was not UTF-8, the original encoding). */
  readonly bytes: Buffer;
  /** SHA-256 (hex) of `bytes`: the digest findings and the manifest reference. */
  readonly sha256: string;
  /** How many values (JSON) or matches (text) were replaced. */
  readonly redactions: number;
  /** JSON Pointers of the redacted values (JSON mode; empty in text mode). */
  readonly redactedPaths: readonly string[];
  readonly mode: 'json' | 'text';
  /** Why the stored body differs beyond ordinary redaction (a known secret found, the body withheld). */
  readonly note?: string;
  /** The body as received, parsed (JSON mode): callers need not parse it a second time. */
  readonly parsed?: unknown;
}

export { isSecretKeyName } from './redact-names';

/** Redacts a parsed JSON value (a deep copy is returned; the input is not modified). */
export function redactJsonValue<T>(value: T, options: RedactOptions = {}): T {
  return walkValue(value, false, ctxOf(knownSecretsOf(options.secrets))) as T;
}

/** Redacts text that is not JSON: header lines, key/value pairs, then the value patterns. */
export function redactText(text: string, options: RedactOptions = {}): { text: string; redactions: number } {
  const ctx = ctxOf(knownSecretsOf(options.secrets));
  const out = redactPlainText(text, ctx);
  return { text: out, redactions: ctx.n };
}

function redactPlainText(text: string, ctx: Ctx): string {
  const hit = (replacement: string): string => {
    ctx.n += 1;
    return replacement;
  };
  let out = text.replace(
    /\b((?:proxy-)?authorization|(?:set-)?cookie|x-sentry-auth|x-api-key|x-[a-z-]*signature)(\s*:\s*)([^\r\n]+)/gi,
    (_m, name: string, sep: string) => hit(`${name}${sep}${REDACTED}`),
  );
  // "key": "value", key: value, key='value' where key is secret-ish.
  out = out.replace(
    /(["']?)([A-Za-z_][A-Za-z0-9_.:-]*)\1(\s*[:=]\s*)(\[redacted\]|"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'|[^\s&#,;"'}\]]+)/g,
    (m, q: string, name: string, sep: string, value: string) => {
      const quote = value.startsWith('"') || value.startsWith("'") ? value[0] ?? '' : '';
      const inner = quote === '' ? value : value.slice(1, -1);
      if (!holdsSecretValue(name, inner) || isMasked(inner)) return m;
      return hit(`${q}${name}${q}${sep}${quote}${REDACTED}${quote}`);
    },
  );
  return scrubPatterns(out, ctx);
}

/** What is stored instead of a body that would still hold a credential after redaction. */
export function withheldBody(bytes: number): string {
  return `[sentry-harden withheld this response body (${bytes} bytes): it held a credential in an encoded form that could not be removed in place]`;
}

// One decoder for every body: `decode` of a whole buffer keeps no state between calls.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

const KNOWN_NOTE = 'The response held the session API token (possibly escaped or encoded); it was redacted before storing.';

/** Redacts one raw response body for storage in raw/. */
export function redactResponseBody(body: string | Uint8Array, options: RedactOptions = {}): RedactionResult {
  let text: string;
  let encoding: 'utf8' | 'latin1' = 'utf8';
  if (typeof body === 'string') {
    text = body;
  } else {
    try {
      text = UTF8.decode(body);
    } catch {
      // Not UTF-8: latin1 maps bytes one to one, so unchanged bytes stay identical.
      text = Buffer.from(body).toString('latin1');
      encoding = 'latin1';
    }
  }
  const known = knownSecretsOf(options.secrets);
  // Searched once: the context and the last look below both need it.
  const knownInText = known.size > 0 && known.appearsIn(text);
  const base = bodyContext(text, known, knownInText);
  const json = encoding === 'utf8' ? redactJsonText(text, base) : null;
  let result: { text: string; redactions: number; paths: string[]; knownHit: boolean };
  if (json) {
    result = json;
  } else {
    // Text bodies are searched whole, decoded: an HTML error page may echo the token as `&#95;`.
    const ctx = ctxOf(known);
    const out = redactPlainText(text, ctx);
    result = { text: out, redactions: ctx.n, paths: [], knownHit: ctx.knownHit };
  }
  let note = result.knownHit ? KNOWN_NOTE : undefined;
  // The last look, on the stored text: what no rule removed in place is not stored. Every string
  // of a JSON body was judged decoded already, so its raw text is only searched as it is (an
  // escape can hide the first character of a form from the decoded string: `\ntoken`); a text
  // body is searched decoded, whole. JSON is then stored re-serialised from the redacted value;
  // what still leaks is withheld.
  // (Both forms of DECODED_LEAK start with a fixed string: a substring look first, the pattern only where one occurs.)
  const rawLeak = (t: string): boolean =>
    (t === text ? knownInText : known.appearsIn(t)) || ((t.includes('sntry') || t.includes('-----BEGIN ')) && DECODED_LEAK.test(t));
  // A key given twice: JSON.parse keeps the last value, so only that one was judged, and an
  // in-place rewrite would store the first copy as Sentry sent it (a secret in it included). The
  // body is stored as it was read and judged: re-serialised from the redacted value.
  if (json && parsedHasDuplicateKeys(text, json.parsed)) {
    const ctx = ctxOf(known);
    const again = JSON.stringify(walkValue(json.parsed, false, ctx));
    result = { text: again, redactions: Math.max(ctx.n, 1), paths: [], knownHit: result.knownHit || ctx.knownHit };
    note = 'The response gave a key twice; it is stored as read (the last value of each key), re-serialised from the redacted value.';
  } else if (json && rawLeak(result.text)) {
    const ctx = ctxOf(known);
    const again = JSON.stringify(walkValue(json.parsed, false, ctx));
    result = { text: again, redactions: Math.max(ctx.n, 1), paths: [], knownHit: result.knownHit || ctx.knownHit };
    note = 'The response held a credential in a form that could not be redacted in place; it is stored re-serialised from the redacted value.';
  }
  if (json ? rawLeak(result.text) : leaksDecoded(result.text, ctxOf(known))) {
    result = { text: withheldBody(Buffer.byteLength(text, encoding)), redactions: result.redactions + 1, paths: [], knownHit: result.knownHit };
    note = 'The response still held a credential in an encoded form after redaction; the body was withheld.';
  }
  if (result.redactions === 0 && result.text === text) {
    // Bytes, digest and `mode` are worked out only if asked: the client hashes what it stores itself.
    let bytes: Buffer | undefined;
    return {
      text,
      get bytes(): Buffer {
        bytes ??= typeof body === 'string' ? Buffer.from(text, encoding) : Buffer.from(body);
        return bytes;
      },
      get sha256(): string {
        return sha256Hex(this.bytes);
      },
      redactions: 0,
      redactedPaths: [],
      mode: json === null ? 'text' : 'json',
      ...(json ? { parsed: json.parsed } : {}),
    };
  }
  const bytes = Buffer.from(result.text, encoding);
  return {
    text: result.text,
    bytes,
    sha256: sha256Hex(bytes),
    redactions: result.redactions,
    redactedPaths: result.paths,
    mode: json === null ? 'text' : 'json',
    ...(note ? { note } : {}),
    ...(json ? { parsed: json.parsed } : {}),
  };
}

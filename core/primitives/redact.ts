import { sha256Hex } from './hash';
import { pointerPart, TreeParser, type JNode } from './json-tree';
import { holdsSecretValue, isNameField, isSecretKeyName } from './redact-names';
import { applyPatterns, isMasked, PATTERN_TRIGGER, REDACTED } from './redact-patterns';
import { decodedVariants, knownSecrets, type KnownSecrets } from './secret-forms';

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

interface Ctx {
  n: number;
  readonly known: KnownSecrets;
  /** Set when a known secret (the token) was found. */
  knownHit: boolean;
  /** Keys seen to need no redaction: keys repeat in every item of a page. */
  readonly cleanKeys: Set<string>;
  /** False when the body holds no escape at all: then no string needs decoding to be judged. */
  readonly decode: boolean;
}

function ctxOf(known: KnownSecrets, decode = true): Ctx {
  return { n: 0, known, knownHit: false, cleanKeys: new Set(), decode };
}

const NO_SECRETS = knownSecrets([]);

// Any escape that decoding undoes, as it appears in a body (JSON's \u, \x, %xx, HTML entities).
const ESCAPES_IN_BODY = /\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|%[0-9a-fA-F]{2}|&#|&[a-zA-Z]+;/;

/**
 * One look at the whole body decides how much each string costs: with no escape anywhere, no
 * string needs decoding; with neither an escape nor a known secret's form, none needs the
 * known-secret search. Two substring scans, no allocation, instead of work on every string.
 */
function bodyContext(text: string, known: KnownSecrets): Ctx {
  const encoded = ESCAPES_IN_BODY.test(text);
  return ctxOf(known.size > 0 && (encoded || known.appearsIn(text)) ? known : NO_SECRETS, encoded);
}

function redactKey(key: string, ctx: Ctx): string {
  if (ctx.cleanKeys.has(key)) return key;
  const out = redactString(key, false, ctx);
  if (out === key) ctx.cleanKeys.add(key);
  return out;
}

function holdsSecret(key: string, value: unknown, siblingSaysSecret: boolean): boolean {
  return holdsSecretValue(key, value) || (siblingSaysSecret && key.toLowerCase() === 'value');
}

// Patterns of secrets that are recognisable wherever they occur.
function scrubPatterns(s: string, ctx: Ctx): string {
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
const DECODED_LEAK = /sntry[a-z]_[A-Za-z0-9]{6}|-----BEGIN [A-Z0-9 ]*PRIVATE KEY/;

// Cheap test before decoding: every escape decodedVariants undoes starts with one of these.
const DECODE_HINT = /[%\\&]/;

/** Whether a string still holds a credential in some encoding once the rules have run on it. */
function leaksDecoded(s: string, ctx: Ctx): boolean {
  if (ctx.known.size > 0 && ctx.known.holds(s)) return true;
  if (!ctx.decode || !DECODE_HINT.test(s)) return false;
  const variants = decodedVariants(s);
  return variants.length > 1 && variants.some((v) => DECODED_LEAK.test(v));
}

function redactSecretValue(value: string, ctx: Ctx): string {
  if (isMasked(value)) return value;
  // A URL whose secret is its userinfo password (dsn.secret) keeps host and public key.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^\s:@/?#]*:[^\s@/?#]+@\S+$/i.test(value)) return redactString(value, false, ctx);
  ctx.n += 1;
  return REDACTED;
}

/** The redacted form of one decoded string found under `secret` (a secret-ish property) or elsewhere. */
function redactString(value: string, secret: boolean, ctx: Ctx): string {
  if (secret) return redactSecretValue(value, ctx);
  const out = scrubPatterns(value, ctx);
  if (!leaksDecoded(out, ctx)) return out;
  ctx.n += 1;
  if (ctx.known.holds(out)) ctx.knownHit = true;
  return REDACTED;
}

/** Redacts a parsed JSON value (a deep copy is returned; the input is not modified). */
export function redactJsonValue<T>(value: T, options: RedactOptions = {}): T {
  return walkValue(value, false, ctxOf(knownSecrets(options.secrets))) as T;
}

function walkValue(value: unknown, secret: boolean, ctx: Ctx): unknown {
  if (typeof value === 'string') return redactString(value, secret, ctx);
  if (Array.isArray(value)) return value.map((v) => walkValue(v, secret, ctx));
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    const valueIsSecret = siblingNamesSecret(entries.map(([k, v]) => ({ key: k, str: typeof v === 'string' ? v : null })));
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      out[redactKey(k, ctx)] = walkValue(v, holdsSecret(k, v, valueIsSecret), ctx);
    }
    return out;
  }
  return value;
}

function siblingNamesSecret(entries: readonly { key: string; str: string | null }[]): boolean {
  return entries.some((e) => isNameField(e.key) && e.str !== null && isSecretKeyName(e.str));
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function collectEdits(node: JNode, pointer: string, secret: boolean, edits: Edit[], paths: string[], ctx: Ctx): void {
  if (node.kind === 'string') {
    const before = ctx.n;
    const next = redactString(node.value, secret, ctx);
    if (next !== node.value) {
      edits.push({ start: node.start, end: node.end, text: JSON.stringify(next) });
      paths.push(pointer);
    } else {
      ctx.n = before;
    }
  } else if (node.kind === 'array') {
    node.items.forEach((item, i) => collectEdits(item, `${pointer}/${i}`, secret, edits, paths, ctx));
  } else if (node.kind === 'object') {
    const valueIsSecret = siblingNamesSecret(
      node.entries.map((e) => ({ key: e.key, str: e.value.kind === 'string' ? e.value.value : null })),
    );
    for (const e of node.entries) {
      const before = ctx.n;
      const key = redactKey(e.key, ctx);
      if (key !== e.key) {
        ctx.n = before + 1;
        edits.push({ start: e.keyStart, end: e.keyEnd, text: JSON.stringify(key) });
        paths.push(`${pointer}/${pointerPart(e.key)} (key)`);
      }
      const childSecret = holdsSecret(e.key, e.value.kind === 'string' ? e.value.value : null, valueIsSecret);
      collectEdits(e.value, `${pointer}/${pointerPart(key)}`, childSecret, edits, paths, ctx);
    }
  }
}

/**
 * Whether the walk of `collectEdits` would change anything, on the natively parsed value: the
 * position-keeping parser is slow on 100 kB pages, and most pages need no edit at all.
 */
function wouldRedact(value: unknown, secret: boolean, ctx: Ctx): boolean {
  if (typeof value === 'string') return redactString(value, secret, ctx) !== value;
  if (Array.isArray(value)) {
    for (const v of value) if (wouldRedact(v, secret, ctx)) return true;
    return false;
  }
  if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    let valueIsSecret = false;
    for (const k in obj) {
      const v = obj[k];
      if (typeof v === 'string' && isNameField(k) && isSecretKeyName(v)) valueIsSecret = true;
    }
    for (const k in obj) {
      const v = obj[k];
      if (redactKey(k, ctx) !== k) return true;
      if (wouldRedact(v, holdsSecret(k, typeof v === 'string' ? v : null, valueIsSecret), ctx)) return true;
    }
  }
  return false;
}

interface JsonRedaction {
  text: string;
  redactions: number;
  paths: string[];
  parsed: unknown;
  knownHit: boolean;
}

/** Null when the text is not JSON. One native parse; the position-keeping parse only when something changes. */
function redactJsonText(text: string, base: Ctx): JsonRedaction | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!wouldRedact(parsed, false, base)) return { text, redactions: 0, paths: [], parsed, knownHit: false };
  const tree = new TreeParser(text).parse();
  const edits: Edit[] = [];
  const paths: string[] = [];
  const ctx = ctxOf(base.known, base.decode);
  collectEdits(tree, '', false, edits, paths, ctx);
  // One pass over the text (edits in order): splicing edit by edit copied a 100 kB key page
  // hundreds of times.
  const pieces: string[] = [];
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    pieces.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  pieces.push(text.slice(at));
  return { text: pieces.join(''), redactions: paths.length, paths, parsed, knownHit: ctx.knownHit };
}

/** Redacts text that is not JSON: header lines, key/value pairs, then the value patterns. */
export function redactText(text: string, options: RedactOptions = {}): { text: string; redactions: number } {
  const ctx = ctxOf(knownSecrets(options.secrets));
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

const KNOWN_NOTE = 'The response held the session API token (possibly escaped or encoded); it was redacted before storing.';

/** Redacts one raw response body for storage in raw/. */
export function redactResponseBody(body: string | Uint8Array, options: RedactOptions = {}): RedactionResult {
  let text: string;
  let encoding: 'utf8' | 'latin1' = 'utf8';
  if (typeof body === 'string') {
    text = body;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      // Not UTF-8: latin1 maps bytes one to one, so unchanged bytes stay identical.
      text = Buffer.from(body).toString('latin1');
      encoding = 'latin1';
    }
  }
  const known = knownSecrets(options.secrets);
  const base = bodyContext(text, known);
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
  const rawLeak = (t: string): boolean => known.appearsIn(t) || DECODED_LEAK.test(t);
  if (json && rawLeak(result.text)) {
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

import { sha256Hex } from './hash';

/**
 * Secrets are removed from raw API response bodies before they are stored in `raw/`.
 *
 * Which hash findings reference: the SHA-256 of the REDACTED bytes, i.e. of the file in `raw/`,
 * so an auditor can check every reference with `sha256sum` alone. The hash of the original bytes
 * is deliberately not offered: the rest of the body is public in the package, so a hash of the
 * original would let anyone confirm guesses of a low-entropy secret (a short password, a PIN).
 *
 * JSON bodies are rewritten in place: only the string literals that hold a secret change, so
 * numbers keep their exact digits (ids beyond 2^53), keys keep their order, whitespace stays, and
 * a body with nothing to redact is stored byte for byte. Structure is kept so verdicts can be
 * recomputed from raw/: a redacted value becomes the string `[redacted]`; empty strings, nulls,
 * booleans, numbers and values Sentry already masks (`**********`) are left as they are.
 * Identifiers stay: a client key's `id` and `public`, `publicKey`, `clientId`,
 * `tokenLastCharacters`, `securityTokenHeader` (a header name), `sentry_key=` in URLs.
 * Bodies that are not JSON go through the same value patterns plus `key: value` / `key=value`
 * and header-line rules.
 */
export const REDACTED = '[redacted]';

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
}

// Normalized (lowercase, alphanumerics only) endings of property names that hold secrets. Endings
// rather than names so `clientSecret`, `scim_api_token` and `sentry:token` are all caught, while
// `tokenLastCharacters`, `securityTokenHeader` and `publicKey` are not.
const SECRET_NAME_ENDINGS = [
  'password', 'passwd', 'passphrase', 'secret', 'secrets', 'token', 'tokens', 'apikey', 'apikeys',
  'privatekey', 'secretkey', 'accesskey', 'signingkey', 'authorization', 'cookie', 'cookies',
  'credential', 'credentials', 'sessionid', 'sessionkey', 'sentryauth', 'bearer', 'jwt',
  // A member's invite_link carries the token that accepts the invitation.
  'invitelink',
];

// Property names repeat by the hundred thousand in large pages (members, rosters): remember them.
const secretNameCache = new Map<string, boolean>();

/** True for property (or header) names whose values are secrets: `secret`, `clientSecret`, `Authorization`, ... */
export function isSecretKeyName(name: string): boolean {
  const known = secretNameCache.get(name);
  if (known !== undefined) return known;
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const secret = n !== '' && SECRET_NAME_ENDINGS.some((ending) => n.endsWith(ending));
  if (secretNameCache.size > 10_000) secretNameCache.clear();
  secretNameCache.set(name, secret);
  return secret;
}

// The one-time grant `code` Sentry returns right after an app installation; error codes
// (`sso-required`) are short and have dashes, so they stay.
function isGrantCode(key: string, value: unknown): boolean {
  return key === 'code' && typeof value === 'string' && /^[A-Za-z0-9]{24,}$/.test(value);
}

function holdsSecret(key: string, value: unknown, siblingSaysSecret: boolean): boolean {
  return isSecretKeyName(key) || isGrantCode(key, value) || (siblingSaysSecret && key.toLowerCase() === 'value');
}

// Sibling keys that name what a neighbouring `value` holds: [{name: "Authorization", value: "..."}].
const NAME_FIELDS = new Set(['name', 'key', 'header', 'headername', 'field']);

function isMasked(value: string): boolean {
  return value === '' || value === REDACTED || /^\*+$/.test(value);
}

interface Counter {
  n: number;
}

// Every pattern below needs one of these; most strings have none, and skip five regexes.
const PATTERN_TRIGGER = /-----BEGIN|sntry[a-z]_|bearer|basic|:\/\/|=/i;

// Patterns of secrets that are recognisable wherever they occur.
function scrubPatterns(s: string, counter: Counter): string {
  if (!PATTERN_TRIGGER.test(s)) return s;
  const hit = (replacement: string): string => {
    counter.n += 1;
    return replacement;
  };
  return (
    s
      .replace(/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g, () => hit(REDACTED))
      // Sentry user (sntryu_) and org (sntrys_) auth tokens, and any later sntry?_ kind.
      .replace(/sntry[a-z]_[A-Za-z0-9_+/=.-]+/g, () => hit(REDACTED))
      .replace(/\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{6,}/gi, (_m, scheme: string, sp: string) => hit(`${scheme}${sp}${REDACTED}`))
      // The password of URL userinfo: the DSN secret in https://<public>:<secret>@host/1. The
      // public part before the colon is an identifier and stays.
      .replace(
        /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/?#"']*):([^\s@/?#"']+)@/gi,
        (m, scheme: string, user: string, pass: string) => (pass === REDACTED ? m : hit(`${scheme}${user}:${REDACTED}@`)),
      )
      // name=value pairs (query strings, X-Sentry-Auth's sentry_secret=...) whose name is secret-ish.
      .replace(/([A-Za-z][A-Za-z0-9_.-]*)=([^&#\s,;"']+)/g, (m, name: string, value: string) =>
        isSecretKeyName(name) && !isMasked(value) ? hit(`${name}=${REDACTED}`) : m,
      )
  );
}

function redactSecretValue(value: string, counter: Counter): string {
  if (isMasked(value)) return value;
  // A URL whose secret is its userinfo password (dsn.secret) keeps host and public key.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^\s:@/?#]*:[^\s@/?#]+@\S+$/i.test(value)) return scrubPatterns(value, counter);
  counter.n += 1;
  return REDACTED;
}

/** The redacted form of one string found under `secret` (a secret-ish property) or elsewhere. */
function redactString(value: string, secret: boolean, counter: Counter): string {
  return secret ? redactSecretValue(value, counter) : scrubPatterns(value, counter);
}

/** Redacts a parsed JSON value (a deep copy is returned; the input is not modified). */
export function redactJsonValue<T>(value: T): T {
  return walkValue(value, false, { n: 0 }) as T;
}

function walkValue(value: unknown, secret: boolean, counter: Counter): unknown {
  if (typeof value === 'string') return redactString(value, secret, counter);
  if (Array.isArray(value)) return value.map((v) => walkValue(v, secret, counter));
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    const valueIsSecret = siblingNamesSecret(entries.map(([k, v]) => ({ key: k, str: typeof v === 'string' ? v : null })));
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      out[scrubPatterns(k, counter)] = walkValue(v, holdsSecret(k, v, valueIsSecret), counter);
    }
    return out;
  }
  return value;
}

function siblingNamesSecret(entries: readonly { key: string; str: string | null }[]): boolean {
  return entries.some((e) => NAME_FIELDS.has(e.key.toLowerCase()) && e.str !== null && isSecretKeyName(e.str));
}

// A JSON parse tree that remembers where each string literal sits in the text.
type JNode =
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'object'; entries: { key: string; keyStart: number; keyEnd: number; value: JNode }[] }
  | { kind: 'array'; items: JNode[] }
  | { kind: 'scalar' };

const MAX_DEPTH = 512;

/** Parses text already known to be valid JSON (JSON.parse accepted it). */
class TreeParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): JNode {
    const node = this.value(0);
    this.ws();
    if (this.pos !== this.text.length) throw new Error('trailing data');
    return node;
  }

  private ws(): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return;
      this.pos++;
    }
  }

  private string(): { value: string; start: number; end: number } {
    const start = this.pos;
    this.pos++; // opening quote
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (c === 34) break; // "
      if (Number.isNaN(c)) throw new Error('unterminated string');
      this.pos += c === 92 ? 2 : 1; // backslash escapes the next character
    }
    this.pos++;
    const literal = this.text.slice(start, this.pos);
    // Only escapes need decoding; a plain literal is its own content.
    return { value: literal.includes('\\') ? (JSON.parse(literal) as string) : literal.slice(1, -1), start, end: this.pos };
  }

  private value(depth: number): JNode {
    if (depth > MAX_DEPTH) throw new Error('too deep');
    this.ws();
    const c = this.text[this.pos];
    if (c === '"') return { kind: 'string', ...this.string() };
    if (c === '{') {
      this.pos++;
      const entries: { key: string; keyStart: number; keyEnd: number; value: JNode }[] = [];
      this.ws();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return { kind: 'object', entries };
      }
      for (;;) {
        this.ws();
        const k = this.string();
        this.ws();
        this.pos++; // colon
        entries.push({ key: k.value, keyStart: k.start, keyEnd: k.end, value: this.value(depth + 1) });
        this.ws();
        if (this.text[this.pos++] === '}') return { kind: 'object', entries };
      }
    }
    if (c === '[') {
      this.pos++;
      const items: JNode[] = [];
      this.ws();
      if (this.text[this.pos] === ']') {
        this.pos++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(this.value(depth + 1));
        this.ws();
        if (this.text[this.pos++] === ']') return { kind: 'array', items };
      }
    }
    // A number, true, false or null: [-+0-9.eE] and lower-case letters.
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 45 || c === 43 || c === 46 || c === 69)) break;
      this.pos++;
    }
    return { kind: 'scalar' };
  }
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function pointerPart(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function collectEdits(node: JNode, pointer: string, secret: boolean, edits: Edit[], paths: string[], counter: Counter): void {
  if (node.kind === 'string') {
    const before = counter.n;
    const next = redactString(node.value, secret, counter);
    if (next !== node.value) {
      edits.push({ start: node.start, end: node.end, text: JSON.stringify(next) });
      paths.push(pointer);
    } else {
      counter.n = before;
    }
  } else if (node.kind === 'array') {
    node.items.forEach((item, i) => collectEdits(item, `${pointer}/${i}`, secret, edits, paths, counter));
  } else if (node.kind === 'object') {
    const valueIsSecret = siblingNamesSecret(
      node.entries.map((e) => ({ key: e.key, str: e.value.kind === 'string' ? e.value.value : null })),
    );
    for (const e of node.entries) {
      const keyCounter = { n: 0 };
      const key = scrubPatterns(e.key, keyCounter);
      if (key !== e.key) {
        counter.n += 1;
        edits.push({ start: e.keyStart, end: e.keyEnd, text: JSON.stringify(key) });
        paths.push(`${pointer}/${pointerPart(e.key)} (key)`);
      }
      const childSecret = holdsSecret(e.key, e.value.kind === 'string' ? e.value.value : null, valueIsSecret);
      collectEdits(e.value, `${pointer}/${pointerPart(key)}`, childSecret, edits, paths, counter);
    }
  }
}

/**
 * Whether the walk of `collectEdits` would change anything, on the natively parsed value: the
 * position-keeping parser is slow on 100 kB pages, and most pages need no edit at all.
 */
function wouldRedact(value: unknown, secret: boolean): boolean {
  if (typeof value === 'string') return redactString(value, secret, { n: 0 }) !== value;
  if (Array.isArray(value)) {
    for (const v of value) if (wouldRedact(v, secret)) return true;
    return false;
  }
  if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    let valueIsSecret = false;
    for (const k in obj) {
      const v = obj[k];
      if (NAME_FIELDS.has(k.toLowerCase()) && typeof v === 'string' && isSecretKeyName(v)) valueIsSecret = true;
    }
    for (const k in obj) {
      const v = obj[k];
      if (scrubPatterns(k, { n: 0 }) !== k) return true;
      if (wouldRedact(v, holdsSecret(k, typeof v === 'string' ? v : null, valueIsSecret))) return true;
    }
  }
  return false;
}

function redactJsonText(text: string): { text: string; redactions: number; paths: string[] } | null {
  let tree: JNode;
  try {
    if (!wouldRedact(JSON.parse(text), false)) return { text, redactions: 0, paths: [] };
    tree = new TreeParser(text).parse();
  } catch {
    return null;
  }
  const edits: Edit[] = [];
  const paths: string[] = [];
  const counter = { n: 0 };
  collectEdits(tree, '', false, edits, paths, counter);
  // One pass over the text (edits in order): splicing edit by edit copied a 100 kB key page
  // hundreds of times.
  const pieces: string[] = [];
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    pieces.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  pieces.push(text.slice(at));
  return { text: pieces.join(''), redactions: paths.length, paths };
}

/** Redacts text that is not JSON: header lines, key/value pairs, then the value patterns. */
export function redactText(text: string): { text: string; redactions: number } {
  const counter = { n: 0 };
  const hit = (replacement: string): string => {
    counter.n += 1;
    return replacement;
  };
  let out = text.replace(
    /\b((?:proxy-)?authorization|(?:set-)?cookie|x-sentry-auth|x-api-key)(\s*:\s*)([^\r\n]+)/gi,
    (_m, name: string, sep: string) => hit(`${name}${sep}${REDACTED}`),
  );
  // "key": "value", key: value, key='value' where key is secret-ish.
  out = out.replace(
    /(["']?)([A-Za-z_][A-Za-z0-9_.:-]*)\1(\s*[:=]\s*)(\[redacted\]|"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'|[^\s&#,;"'}\]]+)/g,
    (m, q: string, name: string, sep: string, value: string) => {
      if (!isSecretKeyName(name)) return m;
      const quote = value.startsWith('"') || value.startsWith("'") ? value[0] ?? '' : '';
      const inner = quote === '' ? value : value.slice(1, -1);
      if (isMasked(inner)) return m;
      return hit(`${q}${name}${q}${sep}${quote}${REDACTED}${quote}`);
    },
  );
  out = scrubPatterns(out, counter);
  return { text: out, redactions: counter.n };
}

const SECRET_NAME_IN_NORMALIZED = new RegExp(`(?:${SECRET_NAME_ENDINGS.join('|')})["=:]`);
const PATTERN_IN_BODY = /"code"|-----BEGIN|sntry[a-z]_|\b(?:bearer|basic)\s|:\/\/[^\s:@/?#"']*:[^\s@/?#"']+@/i;

/**
 * Whether a body could hold anything the rules redact: a secret-ish name anywhere (keys,
 * `name=value`, header names, a sibling `name` field), a grant `code`, or a value pattern. A
 * superset of the rules' triggers, so a body without any is stored as it came, without the cost
 * of parsing it (most pages of members and team rosters). Names are compared lower-cased without
 * non-alphanumerics; on the body normalized the same way (keeping the quote that closes a JSON
 * string and the `=` or `:` after a name in text) a secret name is an ending followed by one of
 * those. Normalizing only joins neighbours, so it can add matches, never lose one.
 */
function mayHoldSecret(text: string): boolean {
  return PATTERN_IN_BODY.test(text) || SECRET_NAME_IN_NORMALIZED.test(text.toLowerCase().replace(/[^a-z0-9"=:]+/g, ''));
}

/** Redacts one raw response body for storage in raw/. */
export function redactResponseBody(body: string | Uint8Array): RedactionResult {
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
  if (!mayHoldSecret(text)) {
    // Bytes, digest and `mode` are worked out only if asked: the client hashes what it stores
    // itself, and parsing a 100 kB page to label it costs more than the rest.
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
      get mode(): 'json' | 'text' {
        return encoding === 'utf8' && isJson(text) ? 'json' : 'text';
      },
    };
  }
  const json = encoding === 'utf8' ? redactJsonText(text) : null;
  const result = json ?? { ...redactText(text), paths: [] };
  const bytes =
    result.redactions === 0 && typeof body !== 'string' ? Buffer.from(body) : Buffer.from(result.text, encoding);
  return {
    text: result.text,
    bytes,
    sha256: sha256Hex(bytes),
    redactions: result.redactions,
    redactedPaths: result.paths,
    mode: json === null ? 'text' : 'json',
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

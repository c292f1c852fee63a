/**
 * The encodings a secret may come back in: a server, proxy or error page can echo the session's
 * token JSON-escaped (`sntryu\u005f...`), URL-encoded (once or twice), as HTML entities or
 * inside base64. Redaction decodes before it compares, so none of these survive into raw/.
 */

// Escape kinds that decoding undoes; a string with none of these characters is its own decoding.
const DECODE_TRIGGER = /%[0-9a-f]{2}|\\u[0-9a-f]{4}|\\x[0-9a-f]{2}|&#|&[a-z]+;/i;
const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", lowbar: '_', underbar: '_', equals: '=', sol: '/', plus: '+' };

function decodeOnce(s: string): string {
  return s
    .replace(/\\u([0-9a-f]{4})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\x([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#x([0-9a-f]{1,6});?/gi, (m, h: string) => safeCodePoint(parseInt(h, 16), m))
    .replace(/&#([0-9]{1,7});?/g, (m, d: string) => safeCodePoint(parseInt(d, 10), m))
    .replace(/&([a-z]+);/gi, (m, name: string) => NAMED_ENTITIES[name.toLowerCase()] ?? m)
    .replace(/%([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function safeCodePoint(cp: number, fallback: string): string {
  return cp <= 0x10ffff ? String.fromCodePoint(cp) : fallback;
}

/** `s` and what it decodes to, up to three layers deep (double encoding). */
export function decodedVariants(s: string): string[] {
  const out = [s];
  let cur = s;
  for (let i = 0; i < 3 && DECODE_TRIGGER.test(cur); i++) {
    const next = decodeOnce(cur);
    if (next === cur) break;
    out.push(next);
    cur = next;
  }
  return out;
}

/**
 * The parts of base64(x + secret + y) that depend on the secret alone, for the three alignments
 * the secret can have inside a longer base64 text; standard and URL-safe alphabets.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const enc = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    const start = k === 0 ? 0 : 4;
    const end = Math.floor((k + bytes.length) / 3) * 4;
    const core = enc.slice(start, end);
    if (core.length >= 12) out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

/** A set of secrets (the session's API token) recognised in every encoding above. */
export interface KnownSecrets {
  readonly size: number;
  /** Replaces each occurrence of a secret's plain, URL-encoded or base64 form; `onHit` per match. */
  scrub(s: string, onHit: () => void): string;
  /** Whether `s` holds a secret in any form, after decoding every escape layer. */
  holds(s: string): boolean;
  /** Whether a plain, URL-encoded or base64 form occurs in `text` as it is (no decoding). */
  appearsIn(text: string): boolean;
}

/** Secrets shorter than 8 characters are ignored: they would match ordinary words. */
export function knownSecrets(secrets: readonly string[] = []): KnownSecrets {
  const plain = [...new Set(secrets.filter((s) => s.length >= 8))];
  const forms = [...new Set(plain.flatMap((s) => [s, encodeURIComponent(s), ...base64Cores(s)]))].sort((a, b) => b.length - a.length);
  const firstChars = new Set(forms.map((f) => f.slice(0, 4)));
  // Decoding only shortens a string, so one shorter than every form cannot hold any (most
  // strings of a page: ids, names, dates).
  const minLength = forms.reduce((m, f) => Math.min(m, f.length), Infinity);
  const mayHold = (s: string): boolean => {
    if (s.length < minLength) return false;
    for (const f of firstChars) if (s.includes(f)) return true;
    return false;
  };
  return {
    size: plain.length,
    scrub(s, onHit) {
      if (forms.length === 0 || !mayHold(s)) return s;
      let out = s;
      for (const f of forms) {
        if (!out.includes(f)) continue;
        const parts = out.split(f);
        for (let i = 1; i < parts.length; i++) onHit();
        out = parts.join('[redacted]');
      }
      return out;
    },
    holds(s) {
      if (forms.length === 0 || s.length < minLength) return false;
      return decodedVariants(s).some((v) => mayHold(v) && forms.some((f) => v.includes(f)));
    },
    appearsIn(text) {
      return forms.some((f) => text.includes(f));
    },
  };
}

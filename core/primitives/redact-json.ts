import { pointerPart, TreeParser, type JNode } from './json-tree';
import { holdsSecretValue, isNameField, isSecretIfOpaque, isSecretKeyName } from './redact-names';
import { ctxOf, holdsSecret, isPlain, plainStringChanges, redactKey, redactString, siblingNamesSecret, type Ctx } from './redact-strings';

/**
 * The JSON side of redaction (redact.ts): which string literals of a body change, and the body
 * with only those rewritten. One native parse judges the body; the position-keeping parse
 * (TreeParser) runs only for the few bodies that change.
 */

/** Redacts a parsed value (a deep copy is returned; the input is not modified). */
export function walkValue(value: unknown, secret: boolean, ctx: Ctx): unknown {
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

// What a property name means to the walk, learnt once per name (names repeat in every item).
const K_NAMED = 1; // secret-ish (`token`) or secret when opaque (`key`): its value is looked at
const K_NAME_FIELD = 2; // names a sibling `value` (`name`, `header`)
const K_VALUE = 4; // `value`, which a sibling name field can make secret
const K_CHANGES = 8; // the name itself would be redacted
const keyInfo = new Map<string, number>();

function infoOf(key: string): number {
  let info = keyInfo.get(key);
  if (info === undefined) {
    info =
      (isSecretKeyName(key) || isSecretIfOpaque(key) ? K_NAMED : 0) |
      (isNameField(key) ? K_NAME_FIELD : 0) |
      (key.toLowerCase() === 'value' ? K_VALUE : 0) |
      (plainStringChanges(key, false) ? K_CHANGES : 0);
    if (keyInfo.size > 10_000) keyInfo.clear();
    keyInfo.set(key, info);
  }
  return info;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The JSON Pointer of a path of keys and indexes, built only for a literal that changes. */
function pointerOf(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += `/${typeof p === 'number' ? p : pointerPart(p)}`;
  return out;
}

function collectEdits(node: JNode, path: (string | number)[], secret: boolean, out: EditSink, ctx: Ctx): void {
  if (node.kind === 'string') {
    // In a plain context a string the quick test clears is unchanged (see plainStringChanges).
    if (out.plain && !plainStringChanges(node.value, secret)) return;
    const before = ctx.n;
    const next = redactString(node.value, secret, ctx);
    if (next !== node.value) {
      out.edits.push({ start: node.start, end: node.end, text: JSON.stringify(next) });
      out.paths.push(pointerOf(path));
    } else {
      ctx.n = before;
    }
  } else if (node.kind === 'array') {
    for (let i = 0; i < node.items.length; i++) {
      path.push(i);
      collectEdits(node.items[i] as JNode, path, secret, out, ctx);
      path.pop();
    }
  } else if (node.kind === 'object') {
    let valueIsSecret = false;
    for (const e of node.entries) {
      if (e.value.kind === 'string' && infoOf(e.key) & K_NAME_FIELD && isSecretKeyName(e.value.value)) valueIsSecret = true;
    }
    for (const e of node.entries) {
      const info = infoOf(e.key);
      let key = e.key;
      if (!out.plain || info & K_CHANGES) {
        const before = ctx.n;
        key = redactKey(e.key, ctx);
        if (key !== e.key) {
          ctx.n = before + 1;
          out.edits.push({ start: e.keyStart, end: e.keyEnd, text: JSON.stringify(key) });
          out.paths.push(`${pointerOf(path)}/${pointerPart(e.key)} (key)`);
        }
      }
      // holdsSecret(), from the name's bits: only a named property's value is looked at.
      const childSecret =
        (info & K_VALUE && valueIsSecret) || (info & K_NAMED && holdsSecretValue(e.key, e.value.kind === 'string' ? e.value.value : null));
      path.push(key);
      collectEdits(e.value, path, Boolean(childSecret), out, ctx);
      path.pop();
    }
  }
}

interface EditSink {
  readonly edits: Edit[];
  readonly paths: string[];
  /** The context is plain (`isPlain`): strings the quick test clears are skipped. */
  readonly plain: boolean;
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

/**
 * `wouldRedact` for a plain context (no known secret in the body, no escape: most pages): one
 * map lookup a property and one pattern test a string, no counting. Conservative: a secret-ish
 * value it cannot rule out sends the body to the exact walk, which then decides.
 */
function plainWouldRedact(value: unknown, secret: boolean): boolean {
  if (typeof value === 'string') return plainStringChanges(value, secret);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (plainWouldRedact(value[i], secret)) return true;
    return false;
  }
  const obj = value as Record<string, unknown>;
  let hasValueKey = false;
  let siblingSaysSecret = false;
  for (const k in obj) {
    const info = infoOf(k);
    if (info & K_CHANGES) return true;
    const v = obj[k];
    if (info & K_NAME_FIELD && typeof v === 'string' && isSecretKeyName(v)) siblingSaysSecret = true;
    // `value` is judged once every sibling has been seen.
    if (info & K_VALUE) hasValueKey = true;
    else if (plainWouldRedact(v, (info & K_NAMED) !== 0 && holdsSecretValue(k, v))) return true;
  }
  if (!hasValueKey) return false;
  for (const k in obj) {
    const info = infoOf(k);
    if (!(info & K_VALUE)) continue;
    const v = obj[k];
    if (plainWouldRedact(v, siblingSaysSecret || ((info & K_NAMED) !== 0 && holdsSecretValue(k, v)))) return true;
  }
  return false;
}

export interface JsonRedaction {
  text: string;
  redactions: number;
  paths: string[];
  parsed: unknown;
  knownHit: boolean;
}

/** Null when the text is not JSON. One native parse; the position-keeping parse only when something changes. */
export function redactJsonText(text: string, base: Ctx): JsonRedaction | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const changes = isPlain(base) ? plainWouldRedact(parsed, false) : wouldRedact(parsed, false, base);
  if (!changes) return { text, redactions: 0, paths: [], parsed, knownHit: false };
  const tree = new TreeParser(text).parse();
  const ctx = ctxOf(base.known, base.decode);
  const sink: EditSink = { edits: [], paths: [], plain: isPlain(base) };
  collectEdits(tree, [], false, sink, ctx);
  const { edits, paths } = sink;
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

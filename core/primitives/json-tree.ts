/**
 * A JSON parse tree that remembers where each string literal sits in the text, so redaction can
 * rewrite only the literals that change (numbers keep their digits, keys their order). Also the
 * duplicate-key check of verification: JSON.parse keeps the last of two equal keys silently, so a
 * signed file could show one value to a reader and another to a program.
 */
export type JNode =
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'object'; entries: { key: string; keyStart: number; keyEnd: number; value: JNode }[] }
  | { kind: 'array'; items: JNode[] }
  | { kind: 'scalar' };

const MAX_DEPTH = 512;

/** Parses text already known to be valid JSON (JSON.parse accepted it). */
export class TreeParser {
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

  /** The next backslash at or after `at` (Infinity: none), remembered so a body is searched once. */
  private nextBackslash = -1;

  private backslashFrom(at: number): number {
    if (this.nextBackslash < at) {
      const i = this.text.indexOf('\\', at);
      this.nextBackslash = i === -1 ? Infinity : i;
    }
    return this.nextBackslash;
  }

  private string(): { kind: 'string'; value: string; start: number; end: number } {
    const start = this.pos;
    const t = this.text;
    // The closing quote is the first one not escaped: found by substring search, not per character.
    let at = start + 1;
    let escaped = false;
    for (;;) {
      const quote = t.indexOf('"', at);
      if (quote === -1) throw new Error('unterminated string');
      const backslash = this.backslashFrom(at);
      if (backslash > quote) {
        this.pos = quote + 1;
        break;
      }
      escaped = true;
      at = backslash + 2; // a backslash escapes the next character
    }
    // Only escapes need decoding; a plain literal is its own content.
    const value = escaped ? (JSON.parse(t.slice(start, this.pos)) as string) : t.slice(start + 1, this.pos - 1);
    return { kind: 'string', value, start, end: this.pos };
  }

  private value(depth: number): JNode {
    if (depth > MAX_DEPTH) throw new Error('too deep');
    this.ws();
    const c = this.text.charCodeAt(this.pos);
    if (c === 34) return this.string(); // "
    if (c === 123) { // {
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
    if (c === 91) { // [
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

function pointerPart(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A JSON Pointer segment for a key or index. */
export { pointerPart };

/**
 * Parses JSON and rejects duplicate keys (after decoding escapes: `"a"` and `"\u0061"` are the
 * same key). Returns the value, or the reason it is refused: not JSON, or the pointer of the
 * first object with a repeated key.
 */
export function parseJsonNoDuplicates(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not valid JSON (${(e as Error).message})` };
  }
  let tree: JNode;
  try {
    tree = new TreeParser(text).parse();
  } catch (e) {
    return { ok: false, reason: `not valid JSON (${(e as Error).message})` };
  }
  const dup = firstDuplicate(tree, '');
  return dup === null ? { ok: true, value } : { ok: false, reason: `has the key ${JSON.stringify(dup.key)} twice in one object (at ${dup.pointer || '/'})` };
}

function firstDuplicate(node: JNode, pointer: string): { key: string; pointer: string } | null {
  if (node.kind === 'array') {
    for (let i = 0; i < node.items.length; i++) {
      const d = firstDuplicate(node.items[i] as JNode, `${pointer}/${i}`);
      if (d) return d;
    }
  } else if (node.kind === 'object') {
    const seen = new Set<string>();
    for (const e of node.entries) {
      if (seen.has(e.key)) return { key: e.key, pointer };
      seen.add(e.key);
    }
    for (const e of node.entries) {
      const d = firstDuplicate(e.value, `${pointer}/${pointerPart(e.key)}`);
      if (d) return d;
    }
  }
  return null;
}

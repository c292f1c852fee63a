import { EvidenceError } from './errors';

/** A JSON document as JavaScript values. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * RFC 8785 (JSON Canonicalization Scheme): the one byte sequence a JSON value signs as.
 * - object keys sorted by their UTF-16 code units (what `Array.prototype.sort` does by default);
 * - numbers in ECMAScript Number-to-string form (`1e+21`, `0.000001`, `-0` as `0`);
 * - strings escaped as ECMAScript `JSON.stringify` does (short escapes, `\u00xx` lowercase);
 * - no whitespace.
 * Input that JCS cannot represent is rejected with the path of the offending value rather than
 * silently dropped: non-finite numbers, lone surrogates (not I-JSON), `undefined` outside an
 * object property, functions, symbols, bigints, cycles and non-plain objects (Date, Map, class
 * instances: convert them first). An object property whose value is `undefined` is omitted, as
 * `JSON.stringify` does, so optional TypeScript fields can be passed as they are.
 */
export function canonicalize(value: unknown): string {
  const parts: string[] = [];
  write(value, '$', parts, new Set());
  return parts.join('');
}

/** The canonical form as UTF-8 bytes (what is hashed and signed). */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), 'utf8');
}

/** Parses JSON text and returns its canonical form. Duplicate keys keep the last value (as JSON.parse). */
export function canonicalizeText(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new EvidenceError('invalid_input', `Not valid JSON: ${(e as Error).message}`, e);
  }
  return canonicalize(parsed);
}

function fail(path: string, what: string): never {
  throw new EvidenceError('invalid_input', `Cannot canonicalize ${path}: ${what}`);
}

// Lone surrogates make a string that is not valid Unicode; RFC 8785 requires I-JSON input.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function writeString(s: string, path: string, parts: string[]): void {
  if (LONE_SURROGATE.test(s)) fail(path, 'string holds a lone surrogate (not valid Unicode)');
  // ES2019+ JSON.stringify escapes exactly as RFC 8785 section 3.2.2.2 requires.
  parts.push(JSON.stringify(s));
}

function write(value: unknown, path: string, parts: string[], seen: Set<object>): void {
  if (typeof value === 'string') {
    writeString(value, path, parts);
  } else if (typeof value === 'boolean') {
    parts.push(value ? 'true' : 'false');
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path, `${String(value)} is not a JSON number`);
    // Number::toString is the ECMAScript algorithm RFC 8785 adopts; String(-0) is "0".
    parts.push(String(value));
  } else if (value === null) {
    parts.push('null');
  } else if (typeof value === 'object') {
    writeContainer(value, path, parts, seen);
  } else {
    fail(path, `${value === undefined ? 'undefined' : `a ${typeof value}`} is not a JSON value`);
  }
}

function writeContainer(obj: object, path: string, parts: string[], seen: Set<object>): void {
  if (seen.has(obj)) fail(path, 'the value contains a cycle');
  seen.add(obj);
  if (Array.isArray(obj)) {
    parts.push('[');
    for (let i = 0; i < obj.length; i++) {
      if (i > 0) parts.push(',');
      // Sparse arrays read holes as undefined, which is rejected.
      write(obj[i], `${path}[${i}]`, parts, seen);
    }
    parts.push(']');
  } else {
    const proto: unknown = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      const name = (obj as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
      fail(path, `a ${name} is not a plain object; convert it to JSON values first`);
    }
    const record = obj as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    parts.push('{');
    keys.forEach((k, i) => {
      if (i > 0) parts.push(',');
      const childPath = `${path}.${k}`;
      writeString(k, childPath, parts);
      parts.push(':');
      write(record[k], childPath, parts, seen);
    });
    parts.push('}');
  }
  seen.delete(obj);
}

import { createWriteStream, type WriteStream } from 'node:fs';

/**
 * Writes a JSON value to a file piece by piece (issue 10): objects one key a line, arrays one
 * element a line (each element compact), so a report of any size is never held as one string
 * (V8 caps a string at about 512 MB) and the file grows linearly with what it lists. The result
 * is ordinary JSON: `JSON.parse` of the file equals the value (undefined members are left out,
 * as JSON.stringify does).
 */
export interface WriteJsonOptions {
  readonly mode?: number;
  /** JSON.stringify's replacer, applied to every value written whole (never to the laid-out levels). */
  readonly replacer?: (key: string, value: unknown) => unknown;
  /**
   * Objects nested less deep than this are laid out a key a line, and so are array elements that
   * are objects at such a depth; deeper values are written whole, one array element a line.
   * Default 2 (report.json: the report's keys, each list one element a line).
   */
  readonly layoutDepth?: number;
}

/**
 * An array produced an element at a time while writeJsonFile writes it, so its elements are never
 * all in memory (the OSCAL observations of a large organization); JSON.stringify sees the array.
 */
export class StreamedArray {
  constructor(
    readonly length: number,
    private readonly items: () => Iterable<unknown>,
  ) {}
  [Symbol.iterator](): Iterator<unknown> {
    return this.items()[Symbol.iterator]();
  }
  toJSON(): unknown[] {
    return [...this.items()];
  }
}

/**
 * A value computed when it is written, after everything before it in the document (the OSCAL
 * back-matter lists the resources the observations before it cited). Undefined leaves the key out.
 */
export class DeferredValue {
  private done = false;
  private result: unknown;
  constructor(private readonly compute: () => unknown) {}
  value(): unknown {
    if (!this.done) {
      this.result = this.compute();
      this.done = true;
    }
    return this.result;
  }
  toJSON(): unknown {
    return this.value();
  }
}

/** A document with its streamed and deferred parts made plain, in document order. */
export function materializeJson(value: unknown): unknown {
  if (value instanceof DeferredValue) return materializeJson(value.value());
  if (value instanceof StreamedArray) return [...value].map(materializeJson);
  if (Array.isArray(value)) return value.map(materializeJson);
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const m = materializeJson(v);
      if (m !== undefined) out[k] = m;
    }
    return out;
  }
  return value;
}

export async function writeJsonFile(file: string, value: unknown, options: WriteJsonOptions = {}): Promise<void> {
  await writeTextFile(file, jsonPieces(value, options), options.mode);
}

/**
 * The file writeJsonFile writes, as pieces in order (their UTF-8 concatenated is the file, final
 * newline included): verification hashes them as they come instead of writing a file to hash.
 */
export function* jsonPieces(value: unknown, options: WriteJsonOptions = {}): Generator<string> {
  yield* pieces(value, '', 0, { replacer: options.replacer, layoutDepth: options.layoutDepth ?? LAYOUT_DEPTH });
  yield '\n';
}

/** Writes text given whole or as pieces in order, piece by piece (a large findings.csv is never one string). */
export async function writeTextFile(file: string, text: string | Iterable<string>, mode?: number): Promise<void> {
  const out = createWriteStream(file, { encoding: 'utf8', ...(mode === undefined ? {} : { mode }) });
  const done = new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.once('finish', resolve);
  });
  try {
    if (typeof text === 'string') await write(out, text);
    else for (const batch of batched(text)) await write(out, batch);
  } finally {
    out.end();
  }
  await done;
}

/** The default layoutDepth. */
const LAYOUT_DEPTH = 2;

interface Layout {
  readonly replacer: WriteJsonOptions['replacer'];
  readonly layoutDepth: number;
}

/**
 * Small pieces (a CSV row, a JSON line) joined into strings of about 64 K characters, in order:
 * a stream or a hash is then called a few thousand times, not once per row (66,000 at 10,000 projects).
 */
export function* batched(pieces: Iterable<string>): Generator<string> {
  let batch = '';
  for (const piece of pieces) {
    batch += piece;
    if (batch.length >= 1 << 16) {
      yield batch;
      batch = '';
    }
  }
  if (batch !== '') yield batch;
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

function laidOut(value: unknown, depth: number, layout: Layout): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && depth < layout.layoutDepth && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

// A generator, not an async writer: one await a piece cost a microtask each (about a million for
// the OSCAL file at 10,000 projects); writeTextFile batches the pieces and waits only on a full stream.
function* pieces(input: unknown, indent: string, depth: number, layout: Layout): Generator<string> {
  const value = input instanceof DeferredValue ? input.value() : input;
  if (Array.isArray(value) || value instanceof StreamedArray) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    const inner = `${indent}  `;
    let i = 0;
    for (const element of value) {
      const sep = `${i === 0 ? '' : ','}\n${inner}`;
      if (laidOut(element, depth + 1, layout)) {
        yield sep;
        yield* pieces(element, inner, depth + 1, layout);
      } else {
        // Like JSON.stringify: an undefined or function element is written as null.
        yield `${sep}${JSON.stringify(element, layout.replacer) ?? 'null'}`;
      }
      i += 1;
    }
    yield `\n${indent}]`;
    return;
  }
  if (laidOut(value, depth, layout)) {
    const inner = `${indent}  `;
    let first = true;
    for (const [k, raw] of Object.entries(value)) {
      const v = raw instanceof DeferredValue ? raw.value() : raw;
      if (v === undefined || typeof v === 'function') continue;
      yield `${first ? '{' : ','}\n${inner}${JSON.stringify(k)}: `;
      first = false;
      yield* pieces(v, inner, depth + 1, layout);
    }
    yield first ? '{}' : `\n${indent}}`;
    return;
  }
  yield JSON.stringify(value, layout.replacer) ?? 'null';
}

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
}

export async function writeJsonFile(file: string, value: unknown, options: WriteJsonOptions = {}): Promise<void> {
  const out = createWriteStream(file, { encoding: 'utf8', ...(options.mode === undefined ? {} : { mode: options.mode }) });
  const done = new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.once('finish', resolve);
  });
  try {
    await writeValue(out, value, '', 0, options.replacer);
    await write(out, '\n');
  } finally {
    out.end();
  }
  await done;
}

/** Writes text given whole or as pieces in order, piece by piece (a large findings.csv is never one string). */
export async function writeTextFile(file: string, text: string | Iterable<string>): Promise<void> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const done = new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.once('finish', resolve);
  });
  try {
    if (typeof text === 'string') await write(out, text);
    else {
      // Pieces are small (a row): batch them so the stream is not called 66,000 times.
      let batch = '';
      for (const piece of text) {
        batch += piece;
        if (batch.length >= 1 << 16) {
          await write(out, batch);
          batch = '';
        }
      }
      if (batch !== '') await write(out, batch);
    }
  } finally {
    out.end();
  }
  await done;
}

/** Objects nested this deep or less are laid out a key a line; deeper ones are written whole. */
const LAYOUT_DEPTH = 2;

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

async function writeValue(out: WriteStream, value: unknown, indent: string, depth: number, replacer?: WriteJsonOptions['replacer']): Promise<void> {
  if (Array.isArray(value)) {
    if (value.length === 0) return write(out, '[]');
    await write(out, '[');
    const inner = `${indent}  `;
    for (let i = 0; i < value.length; i++) {
      // Like JSON.stringify: an undefined or function element is written as null.
      const text = JSON.stringify(value[i], replacer) ?? 'null';
      await write(out, `${i === 0 ? '' : ','}\n${inner}${text}`);
    }
    return write(out, `\n${indent}]`);
  }
  if (value !== null && typeof value === 'object' && depth < LAYOUT_DEPTH && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
    if (entries.length === 0) return write(out, '{}');
    await write(out, '{');
    const inner = `${indent}  `;
    let first = true;
    for (const [k, v] of entries) {
      await write(out, `${first ? '' : ','}\n${inner}${JSON.stringify(k)}: `);
      first = false;
      await writeValue(out, v, inner, depth + 1, replacer);
    }
    return write(out, `\n${indent}}`);
  }
  return write(out, JSON.stringify(value, replacer) ?? 'null');
}

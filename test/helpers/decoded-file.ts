import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/**
 * A file's text as a person or a tool would read it: a `.gz` file (a layout-3 package's raw/
 * bodies) decompressed first, so a search for a token or a secret never passes because the bytes
 * were compressed.
 */
export function readDecoded(file: string): string {
  const data = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(data) : data).toString('utf8');
}

export function readDecodedBytes(file: string): Buffer {
  const data = readFileSync(file);
  return file.endsWith('.gz') ? gunzipSync(data) : data;
}

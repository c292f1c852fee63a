import { promisify } from 'node:util';
import { gunzip, gunzipSync, gzip } from 'node:zlib';
import { EvidenceError } from '../primitives/errors';

/**
 * raw/ bodies of layout 3 are stored gzip-compressed (issue 10): Sentry's JSON compresses about
 * nine to one, and raw/ was three quarters of a large organization's package. The file is still
 * named by the SHA-256 of the uncompressed body, which is what findings and reads cite;
 * `zcat raw/<sha>.json.gz | sha256sum` checks one by hand.
 */

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Twice the transport's own cap on a response (64 MiB), so a redacted body always fits. */
export const MAX_RAW_BODY_BYTES = 128 * 1024 * 1024;

export function encodeRawBody(body: Buffer): Promise<Buffer> {
  return gzipAsync(body, { level: 6 });
}

function failure(e: unknown): string {
  return (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? `decompresses to more than ${MAX_RAW_BODY_BYTES / 1024 / 1024} MiB, so it was not read` : 'not a gzip file';
}

/**
 * The body stored in `rel`. A package may be crafted: a file that is not gzip, or one that would
 * decompress past MAX_RAW_BODY_BYTES (a "zip bomb"), is refused with EvidenceError('invalid_input').
 */
export async function decodeRawBody(stored: Buffer, rel: string): Promise<Buffer> {
  if (!rel.endsWith('.gz')) return stored;
  try {
    return await gunzipAsync(stored, { maxOutputLength: MAX_RAW_BODY_BYTES });
  } catch (e) {
    throw new EvidenceError('invalid_input', `${rel}: ${failure(e)}`, e);
  }
}

/** decodeRawBody, synchronously: for the offline replay, which reads a body when a request asks for it. */
export function decodeRawBodySync(stored: Buffer, rel: string): Buffer {
  if (!rel.endsWith('.gz')) return stored;
  try {
    return gunzipSync(stored, { maxOutputLength: MAX_RAW_BODY_BYTES });
  } catch (e) {
    throw new EvidenceError('invalid_input', `${rel}: ${failure(e)}`, e);
  }
}

import { createHash } from 'node:crypto';

/** Lowercase hex SHA-256: the digest form used by the manifest, the statement and findings. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

import { createHash } from 'node:crypto';
import { lstat, open } from 'node:fs/promises';
import path from 'node:path';

/**
 * The SHA-256 and size of a file, read as a stream: a package's largest files (report.json,
 * findings.csv, the OSCAL file: tens of MB each at 10,000 projects) are never held whole just to
 * be hashed (issue 10).
 */
export async function sha256OfFile(file: string): Promise<{ sha256: string; size: number }> {
  const handle = await open(file, 'r');
  try {
    // A small file (most raw/ bodies) is read whole: a 1 MiB stream buffer each for 12,800 files of
    // a few kB was most of the hashing's allocation.
    const { size: statSize } = await handle.stat();
    if (statSize <= WHOLE_FILE_BYTES) {
      const data = await handle.readFile();
      return { sha256: createHash('sha256').update(data).digest('hex'), size: data.length };
    }
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of handle.createReadStream({ highWaterMark: 1 << 20, autoClose: false })) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    await handle.close();
  }
}

/** Files up to this size are hashed from one read. */
const WHOLE_FILE_BYTES = 1 << 20;

/** Files read at once when a package is verified: one at a time left the disk's queue empty. */
export const HASH_PARALLEL = 8;

/**
 * A package file (`rel`, slash-separated, under `dir`) hashed if it is a regular file: a symbolic
 * link or special file is not followed, and a missing one says so. Other read errors are thrown.
 */
export async function hashIfRegular(dir: string, rel: string): Promise<{ sha256: string } | { missing: true } | { irregular: true }> {
  const abs = path.join(dir, ...rel.split('/'));
  try {
    const s = await lstat(abs);
    if (!s.isFile()) return { irregular: true };
    return { sha256: (await sha256OfFile(abs)).sha256 };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return { missing: true };
    throw e;
  }
}

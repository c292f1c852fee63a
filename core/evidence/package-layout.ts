import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { EvidenceError } from '../primitives/errors';
import { HASH_PARALLEL, sha256OfFile } from './file-hash';
import { mapLimit } from '../primitives/map-limit';
import { unsafePathReason } from './zip';

/** The layout of a package folder: its fixed file names, its manifest, and how its files are listed. */

export const MANIFEST_FILE = 'manifest.json';
export const ENVELOPE_FILE = 'attestation.dsse.json';
export const PUBLIC_KEY_FILE = 'signing-key.pub.pem';
export const FINGERPRINT_FILE = 'signing-key.fingerprint.txt';

// Files that desktops drop into any folder a person opens (Finder, Explorer). They are never
// signed; at verification they make the package INVALID like any other unlisted file (a folder
// named `__MACOSX/` can carry anything), unless `ignoreUnlisted` downgrades them to a warning.
const OS_CLUTTER = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);
/** Desktop clutter: never signed, always reported when found (package-zip.ts uses it too). */
export function isOsClutter(rel: string): boolean {
  return rel.startsWith('__MACOSX/') || OS_CLUTTER.has(rel.split('/').pop() ?? '') || /(^|\/)\._/.test(rel);
}

export interface ManifestEntry {
  /** Path relative to the package folder, `/`-separated. */
  readonly path: string;
  /** Lowercase hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  readonly size: number;
}

export interface Manifest {
  readonly version: 1;
  readonly algorithm: 'sha256';
  /** Sorted by path (UTF-16 code units). Excludes manifest.json and attestation.dsse.json. */
  readonly files: readonly ManifestEntry[];
}

export const ManifestSchema = z.object({
  version: z.literal(1),
  algorithm: z.literal('sha256'),
  files: z.array(z.object({ path: z.string(), sha256: z.string(), size: z.number().int().nonnegative() })),
});

export interface Listing {
  /** Regular files, relative and `/`-separated, sorted. */
  files: string[];
  /** Symbolic links, sockets and the like: never part of a package. */
  irregular: string[];
  clutter: string[];
}

/** Every entry of the folder, sorted; exported for package-zip.ts. */
export async function listFolder(dir: string): Promise<Listing> {
  const listing: Listing = { files: [], irregular: [], clutter: [] };
  async function walk(abs: string, rel: string): Promise<void> {
    const entries = await readdir(abs, { withFileTypes: true });
    for (const e of entries) {
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(path.join(abs, e.name), childRel);
      else if (isOsClutter(childRel)) listing.clutter.push(childRel);
      else if (e.isFile()) listing.files.push(childRel);
      else listing.irregular.push(childRel);
    }
  }
  await walk(dir, '');
  listing.files.sort();
  listing.irregular.sort();
  listing.clutter.sort();
  return listing;
}

export async function assertFolder(dir: string): Promise<void> {
  let s;
  try {
    s = await stat(dir);
  } catch (e) {
    throw new EvidenceError('invalid_input', `The package folder ${dir} does not exist.`, e);
  }
  if (!s.isDirectory()) throw new EvidenceError('invalid_input', `${dir} is not a folder.`);
}

/** Hashes every file of the folder except manifest.json and the envelope, and writes manifest.json. */
export async function writeManifest(dir: string): Promise<Manifest> {
  await assertFolder(dir);
  const listing = await listFolder(dir);
  if (listing.irregular.length > 0) {
    throw new EvidenceError('invalid_input', `The package holds entries that are not regular files: ${listing.irregular.join(', ')}.`);
  }
  const names = listing.files.filter((rel) => rel !== MANIFEST_FILE && rel !== ENVELOPE_FILE);
  for (const rel of names) {
    const unsafe = unsafePathReason(rel);
    if (unsafe !== null) throw new EvidenceError('invalid_input', `The file name ${JSON.stringify(rel)} has ${unsafe}.`);
  }
  // Hashed several at a time, listed in the folder's order.
  const files: ManifestEntry[] = await mapLimit(names, HASH_PARALLEL, async (rel) => ({ path: rel, ...(await sha256OfFile(path.join(dir, ...rel.split('/')))) }));
  const manifest: Manifest = { version: 1, algorithm: 'sha256', files };
  await writeFile(path.join(dir, MANIFEST_FILE), serializeManifest(manifest));
  return manifest;
}

export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

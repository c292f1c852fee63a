import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { EvidenceReport } from '../../shared/evidence';
import { HASH_PARALLEL, hashIfRegular } from './file-hash';
import { mapLimit } from '../primitives/map-limit';
import { ENVELOPE_FILE, MANIFEST_FILE, PUBLIC_KEY_FILE, type FileCheck, type PackageVerification } from './package';
import { unsafePathReason } from './zip';

/**
 * Unsigned packages: written when no signing key was available (a CI runner with no keychain and
 * no key given). They hold everything a signed package holds except the key and the envelope;
 * manifest.json lists every file's SHA-256, so verify can say the listed files are intact, but
 * not who made them nor that manifest.json itself is original. verify reports them as UNSIGNED,
 * never VALID.
 */

const ManifestSchema = z.object({
  version: z.literal(1),
  algorithm: z.literal('sha256'),
  files: z.array(z.object({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() })),
});

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

/** A folder laid out as an unsigned package: a manifest, and neither an envelope nor a key. */
export async function isUnsignedLayout(dir: string): Promise<boolean> {
  const [manifest, envelope, key] = await Promise.all([MANIFEST_FILE, ENVELOPE_FILE, PUBLIC_KEY_FILE].map((f) => exists(path.join(dir, f))));
  return manifest === true && envelope === false && key === false;
}

async function listAll(dir: string): Promise<{ files: string[]; irregular: string[] }> {
  const out = { files: [] as string[], irregular: [] as string[] };
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    const rel = path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/');
    if (e.isFile()) out.files.push(rel);
    else if (!e.isDirectory()) out.irregular.push(rel);
  }
  out.files.sort();
  return out;
}

/**
 * Checks every file of an unsigned package against manifest.json: listed files must hash as
 * listed, and no file may be missing or unlisted (desktop clutter included: nothing vouches for
 * it). The signature is reported as absent; `valid` is always false.
 */
export async function verifyUnsignedPackage(dir: string): Promise<PackageVerification> {
  const problems: string[] = [];
  const files = new Map<string, FileCheck>();
  const fail = (rel: string, reason: string): void => {
    if (files.get(rel)?.ok === false) return;
    files.set(rel, { path: rel, ok: false, reason });
    problems.push(`${rel}: ${reason}`);
  };
  const listing = await listAll(dir);
  for (const rel of listing.irregular) fail(rel, 'not a regular file (a symbolic link or special file)');
  let json: unknown = null;
  try {
    json = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
  } catch {
    json = null;
  }
  const manifest = ManifestSchema.safeParse(json);
  if (!manifest.success) {
    fail(MANIFEST_FILE, 'does not have the manifest shape, so no file can be checked');
  } else {
    files.set(MANIFEST_FILE, { path: MANIFEST_FILE, ok: true, reason: null });
    const listed = new Set<string>();
    const toHash: { path: string; sha256: string }[] = [];
    for (const entry of manifest.data.files) {
      const unsafe = unsafePathReason(entry.path);
      if (unsafe !== null || entry.path === MANIFEST_FILE || listed.has(entry.path)) {
        problems.push(`${MANIFEST_FILE}: lists ${JSON.stringify(entry.path)}, which cannot be a package file${unsafe === null ? ' (listed twice or itself)' : ` (${unsafe})`}`);
        continue;
      }
      listed.add(entry.path);
      toHash.push(entry);
    }
    // Several files at a time, as for a signed package (verifyPackage); results in the manifest's order.
    // A file that cannot be read for any reason counts as missing here.
    const hashed = await mapLimit(toHash, HASH_PARALLEL, (entry) => hashIfRegular(dir, entry.path).catch(() => ({ missing: true as const })));
    for (const [i, entry] of toHash.entries()) {
      const file = hashed[i]!;
      if ('irregular' in file) fail(entry.path, 'not a regular file (a symbolic link or special file)');
      else if ('missing' in file) fail(entry.path, `missing (listed in ${MANIFEST_FILE})`);
      else if (file.sha256 !== entry.sha256) fail(entry.path, `changed since it was written (SHA-256 ${file.sha256}, listed ${entry.sha256})`);
      else files.set(entry.path, { path: entry.path, ok: true, reason: null });
    }
    for (const rel of listing.files) if (rel !== MANIFEST_FILE && !listed.has(rel)) fail(rel, `not listed in ${MANIFEST_FILE} (added afterwards)`);
  }
  const reason = 'the package is unsigned (no signing key was available when it was written)';
  return {
    valid: false,
    signature: { ok: false, keyid: null, fingerprint: null, keySource: 'package', identityVerified: false, reason },
    packageKey: null,
    files: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    problems,
    notes: [
      `Unsigned package: every file was checked against ${MANIFEST_FILE} (integrity), but without a signature nothing shows who wrote it, ` +
        `and anyone could have rewritten the files and ${MANIFEST_FILE} together (authenticity not checked).`,
    ],
    statement: null,
    warnings: [],
  };
}

/** The files manifest.json lists (an unsigned package's stand-in for the signed subject list). */
export async function manifestListing(dir: string): Promise<string[]> {
  try {
    const parsed = ManifestSchema.safeParse(JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')));
    return parsed.success ? parsed.data.files.map((f) => f.path) : [];
  } catch {
    return [];
  }
}

/** What report.json must say in a package of this layout; a stripped signature shows here. */
export function unsignedConsistency(report: EvidenceReport, unsignedLayout: boolean, expectedKey: boolean): string[] {
  if (!unsignedLayout) return report.unsigned ? [`report.json: says the package is unsigned, but it carries a signature`] : [];
  const problems: string[] = [];
  if (report.signer) problems.push(`report.json: names the signer ${report.signer.fingerprint}, but the package carries no signature (it was removed)`);
  else if (!report.unsigned) problems.push('report.json: does not say the package is unsigned, but it carries no signature');
  if (expectedKey) problems.push(`${ENVELOPE_FILE}: missing: a signature by the expected key was asked for, and the package is unsigned`);
  return problems;
}

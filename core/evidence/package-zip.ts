import { constants as fsConstants } from 'node:fs';
import { copyFile, link, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EvidenceError } from '../primitives/errors';
import { assertFolder, isOsClutter, listFolder, MANIFEST_FILE, verifyPackage, type PackageVerification, type VerifyPackageOptions } from './package';
import { createZip, readZip, unsafePathReason } from './zip';
import type { ReadZipLimits } from './zip';

/**
 * Writes the folder as a standard .zip (deflate, CRC-32, UTF-8 names). With `folderName` the files
 * sit under that top folder inside the archive. The archive is written beside and renamed into place.
 */
export async function zipPackage(
  dir: string,
  outFile: string,
  options: { folderName?: string; mtime?: Date; /** Replace an existing file (the app's zip twin of a folder it just replaced). */ replaceExisting?: boolean } = {},
): Promise<{ entries: number; bytes: number }> {
  await assertFolder(dir);
  const absDir = path.resolve(dir);
  const absOut = path.resolve(outFile);
  if (absOut.startsWith(absDir + path.sep)) {
    throw new EvidenceError('invalid_input', 'The .zip cannot be written inside the package folder it archives.');
  }
  const prefix = options.folderName ?? '';
  if (prefix !== '' && unsafePathReason(prefix) !== null) throw new EvidenceError('invalid_input', `The folder name ${JSON.stringify(prefix)} is not a plain name.`);
  const listing = await listFolder(dir);
  if (listing.irregular.length > 0) {
    throw new EvidenceError('invalid_input', `The package holds entries that are not regular files: ${listing.irregular.join(', ')}.`);
  }
  const entries = [];
  for (const rel of listing.files) {
    entries.push({ name: prefix === '' ? rel : `${prefix}/${rel}`, data: await readFile(path.join(dir, ...rel.split('/'))) });
  }
  const zip = createZip(entries, options.mtime);
  const tmp = `${absOut}.${process.pid}.tmp`;
  await writeFile(tmp, zip, { flag: 'wx' });
  if (options.replaceExisting) {
    await rename(tmp, absOut);
    return { entries: entries.length, bytes: zip.length };
  }
  // link() fails when the name exists, where rename() would replace it: a .zip never overwrites.
  try {
    await link(tmp, absOut).catch(async (e: NodeJS.ErrnoException) => {
      // File systems without hard links (FAT, some shares): an exclusive copy, never a replace.
      if (e.code === 'EPERM' || e.code === 'ENOTSUP' || e.code === 'ENOSYS') await copyFile(tmp, absOut, fsConstants.COPYFILE_EXCL);
      else throw e;
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new EvidenceError('invalid_input', `${absOut} already exists; a package never overwrites a file.`, e);
    throw e;
  } finally {
    await rm(tmp, { force: true });
  }
  return { entries: entries.length, bytes: zip.length };
}

/**
 * Extracts a .zip into `dir` (which must not exist or be empty) for verification. Refuses absolute
 * paths, `..`, symbolic links, encrypted or ZIP64 entries, and archives that expand too far.
 * `root` is the package folder inside: `dir` itself, or the single top folder holding manifest.json.
 */
export async function unzipPackage(zipFile: string, dir: string, limits: ReadZipLimits = {}): Promise<{ root: string; files: string[] }> {
  let buf: Buffer;
  try {
    buf = await readFile(zipFile);
  } catch (e) {
    throw new EvidenceError('invalid_input', `Cannot read ${zipFile}: ${(e as NodeJS.ErrnoException).code ?? 'error'}.`, e);
  }
  const entries = readZip(buf, limits);
  try {
    if ((await readdir(dir)).length > 0) throw new EvidenceError('invalid_input', `${dir} is not empty; extract into a new folder.`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(dir, { recursive: true });
  for (const entry of entries) {
    const target = path.join(dir, ...entry.name.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, entry.data, { flag: 'wx' });
  }
  const names = entries.map((e) => e.name).sort();
  let root = dir;
  // Desktop clutter beside the top folder (`__MACOSX/`) does not hide it; verification reports
  // every entry outside the package folder as unlisted.
  const tops = new Set(names.filter((n) => !isOsClutter(n)).map((n) => n.split('/')[0]));
  const [top] = tops;
  if (!names.includes(MANIFEST_FILE) && tops.size === 1 && top !== undefined && names.includes(`${top}/${MANIFEST_FILE}`)) {
    root = path.join(dir, top);
  }
  return { root, files: names };
}

/** Extracts a .zip into a temporary folder, verifies it there, and removes the folder. */
export async function verifyZipPackage(
  zipFile: string,
  options: VerifyPackageOptions & { limits?: ReadZipLimits } = {},
): Promise<PackageVerification> {
  const work = await mkdtemp(path.join(tmpdir(), 'sentry-harden-verify-'));
  try {
    const { root } = await unzipPackage(zipFile, path.join(work, 'package'), options.limits);
    const { limits: _limits, ...rest } = options;
    return await verifyPackage(root, rest);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

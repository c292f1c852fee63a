import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EvidenceError } from '../primitives/errors';
import { ENVELOPE_FILE, FINGERPRINT_FILE, MANIFEST_FILE, PUBLIC_KEY_FILE, unzipPackage } from './package';

/** The files of an evidence package besides the signature files of package.ts. */
export const REPORT_FILE = 'report.json';
export const HTML_FILE = 'report.html';
export const CSV_FILE = 'findings.csv';
export const ICS_FILE = 'review.ics';
export const RAW_DIR = 'raw';
/** NIST OSCAL assessment results of the package (core/evidence/oscal/). */
export const OSCAL_DIR = 'oscal';
export const OSCAL_FILE = `${OSCAL_DIR}/assessment-results.json`;

/** The first package layout (`evidenceSchemaVersion`) whose raw/ bodies are stored gzip-compressed. */
export const RAW_GZIP_LAYOUT = 3;

/**
 * `raw/<sha256>.json` (layouts 1 and 2) or `raw/<sha256>.json.gz` (layout 3 on): one redacted
 * response body, named by the SHA-256 of its bytes (uncompressed).
 */
export function rawFileName(sha256: string, layout: number): string {
  return `${RAW_DIR}/${sha256}.json${layout >= RAW_GZIP_LAYOUT ? '.gz' : ''}`;
}

/** The response digest a raw/ path names, or null for any other path. */
export function rawFileDigest(rel: string): string | null {
  return /^raw\/([0-9a-f]{64})\.json(?:\.gz)?$/.exec(rel)?.[1] ?? null;
}

const PACKAGE_FILES = new Set([REPORT_FILE, HTML_FILE, CSV_FILE, ICS_FILE, OSCAL_FILE, MANIFEST_FILE, ENVELOPE_FILE, PUBLIC_KEY_FILE, FINGERPRINT_FILE]);

/** True for a path (relative, `/`-separated) a package may hold. */
export function isPackageFile(rel: string): boolean {
  return PACKAGE_FILES.has(rel) || rawFileDigest(rel) !== null;
}

/**
 * Whether `dir` may be replaced by a new package: it does not exist, is empty, or holds only
 * files a package (or an older report-only audit) writes. Anything else is someone's folder.
 */
export async function replaceableFolder(dir: string): Promise<{ exists: boolean; replaceable: boolean; foreign: string[] }> {
  let s;
  try {
    s = await stat(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, replaceable: true, foreign: [] };
    throw e;
  }
  if (!s.isDirectory()) return { exists: true, replaceable: false, foreign: [path.basename(dir)] };
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const foreign: string[] = [];
  for (const e of entries) {
    const rel = path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/');
    if (e.isDirectory() && (rel === RAW_DIR || rel === OSCAL_DIR)) continue;
    if (!e.isFile() || !isPackageFile(rel)) foreign.push(rel);
  }
  return { exists: true, replaceable: foreign.length === 0, foreign };
}

export interface OpenedPackage {
  /** The package folder (the folder given, or where the .zip was extracted). */
  readonly dir: string;
  readonly zip: boolean;
  /** Entries of a .zip outside the package folder inside it (`__MACOSX/...` beside `pkg/`). */
  readonly outside: readonly string[];
  /** Removes the extracted copy of a .zip; nothing for a folder. */
  close(): Promise<void>;
}

/**
 * Opens a package given as a folder or a .zip (extracted into a temporary folder). Throws
 * EvidenceError `not_found` when the path does not exist, `invalid_input` when the .zip is damaged.
 */
export async function openPackage(target: string): Promise<OpenedPackage> {
  let s;
  try {
    s = await stat(target);
  } catch (e) {
    throw new EvidenceError('not_found', `${target} does not exist.`, e);
  }
  if (s.isDirectory()) return { dir: target, zip: false, outside: [], close: () => Promise.resolve() };
  const work = await mkdtemp(path.join(tmpdir(), 'sentry-harden-package-'));
  const close = (): Promise<void> => rm(work, { recursive: true, force: true });
  try {
    const extracted = path.join(work, 'package');
    const { root, files } = await unzipPackage(target, extracted);
    const top = path.relative(extracted, root).split(path.sep).join('/');
    const outside = top === '' ? [] : files.filter((n) => !n.startsWith(`${top}/`));
    return { dir: root, zip: true, outside, close };
  } catch (e) {
    await close();
    throw e;
  }
}

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EvidenceReport } from '../../shared/evidence';
import { hasDuplicateKeys } from '../primitives/json-duplicates';
import { parseJsonNoDuplicates } from '../primitives/json-tree';
import { sha256OfFile } from './file-hash';
import { batched, jsonPieces } from './json-stream';
import { CSV_FILE, HTML_FILE, ICS_FILE, isPackageFile, OSCAL_FILE, rawFileDigest, rawFileName, REPORT_FILE } from './package-files';
import { DEFAULT_RENDERERS } from './writer';
import { oscalLayoutDepth } from './oscal/assessment-results';

/**
 * The checks that keep a package from being padded or re-dressed even by someone holding the
 * signing key (or signing with their own): the readable files must be exactly what report.json
 * renders to, no signed file may be something a package does not have, and no signed JSON file
 * may hold the same key twice (JSON.parse keeps the last, a human reader or another parser may see
 * the first). Kept apart from verify.ts so other verification statuses stay where they are.
 */

/** Which readable file is rendered by which default renderer (the writer's, whatever they are named). */
const RENDERED: readonly { file: string; render: (report: EvidenceReport, signer: { fingerprint: string; keyid: string }) => string | Iterable<string> | undefined }[] = [
  { file: HTML_FILE, render: (r, s) => DEFAULT_RENDERERS.html?.(r, s) },
  { file: CSV_FILE, render: (r) => DEFAULT_RENDERERS.csv?.(r) },
  { file: ICS_FILE, render: (r) => DEFAULT_RENDERERS.ics?.(r) },
];

/**
 * report.html, findings.csv and review.ics, where present, rendered again from report.json with
 * this tool's renderers: any difference is a problem (an edited table, a hidden paragraph).
 */
export async function checkRenderedFiles(
  dir: string,
  report: EvidenceReport,
  signer: { fingerprint: string; keyid: string } | null,
  signedFiles: ReadonlySet<string>,
  toolVersion: string,
): Promise<string[]> {
  const problems: string[] = [];
  for (const { file, render } of RENDERED) {
    if (!signedFiles.has(file)) continue;
    let actual: Buffer;
    try {
      actual = await readFile(path.join(dir, file));
    } catch {
      continue; // a missing signed file is already a problem of the integrity check
    }
    // report.html is a function of report.json alone (it names its signer, or says it is unsigned).
    let same: boolean;
    try {
      const expected = render(report, signer ?? { fingerprint: '', keyid: '' });
      if (expected === undefined) continue;
      same = sameBytes(actual, expected);
    } catch (e) {
      problems.push(`${file}: cannot be re-rendered from report.json (${e instanceof Error ? e.message : String(e)})`);
      continue;
    }
    if (!same) problems.push(differs(file, report, toolVersion));
  }
  if (signedFiles.has(OSCAL_FILE)) problems.push(...(await checkOscal(dir, report, toolVersion)));
  return problems;
}

/** Whether `actual` is exactly the UTF-8 of `expected`, compared piece by piece (never one string). */
function sameBytes(actual: Buffer, expected: string | Iterable<string>): boolean {
  if (typeof expected === 'string') return actual.equals(Buffer.from(expected, 'utf8'));
  let at = 0;
  for (const piece of expected) {
    const bytes = Buffer.from(piece, 'utf8');
    if (at + bytes.length > actual.length || !actual.subarray(at, at + bytes.length).equals(bytes)) return false;
    at += bytes.length;
  }
  return at === actual.length;
}

function differs(file: string, report: EvidenceReport, toolVersion: string): string {
  const made = report.tool?.version;
  const why = made !== undefined && made !== toolVersion ? ` (the package was made by version ${made}, this is ${toolVersion})` : '';
  return `${file}: differs from what report.json renders to, so it was edited or re-dressed${why}`;
}

/** The OSCAL file rebuilt from report.json (and the hash of its bytes) must match to the byte. */
async function checkOscal(dir: string, report: EvidenceReport, toolVersion: string): Promise<string[]> {
  const render = DEFAULT_RENDERERS.oscal;
  if (!render) return [];
  let actual: { sha256: string; size: number };
  try {
    actual = await sha256OfFile(path.join(dir, OSCAL_FILE));
  } catch {
    return []; // a missing signed file is already a problem of the integrity check
  }
  // Compared by SHA-256 and size: the file is read as a stream, the expected document hashed as it
  // is generated (90 MB each at 10,000 projects; neither is held whole or written out).
  try {
    const reportSha256 = (await sha256OfFile(path.join(dir, REPORT_FILE))).sha256;
    const expected = sha256OfPieces(jsonPieces(render(report, reportSha256), { layoutDepth: oscalLayoutDepth(report.evidenceSchemaVersion ?? 1) }));
    return actual.sha256 === expected.sha256 && actual.size === expected.size ? [] : [differs(OSCAL_FILE, report, toolVersion)];
  } catch (e) {
    return [`${OSCAL_FILE}: cannot be re-built from report.json (${e instanceof Error ? e.message : String(e)})`];
  }
}

/** SHA-256 and byte size of the UTF-8 of pieces of text, in order. */
function sha256OfPieces(pieces: Iterable<string>): { sha256: string; size: number } {
  const hash = createHash('sha256');
  let size = 0;
  for (const batch of batched(pieces)) {
    const bytes = Buffer.from(batch, 'utf8');
    hash.update(bytes);
    size += bytes.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Signed files that are not part of any evidence package (a `notes.txt`, `raw/extra.bin`). */
export function foreignSignedFiles(signedFiles: Iterable<string>, extraAllowed: (rel: string) => boolean = () => false): string[] {
  return [...signedFiles].filter((rel) => !isPackageFile(rel) && !extraAllowed(rel)).map((rel) => `${rel}: signed, but not a file an evidence package has (padding)`);
}

/**
 * raw/ files that no audit of report.json lists, or not under the name the package's layout
 * gives them (an uncompressed copy beside a layout-3 body): padding, even when signed.
 */
export function unreferencedRawFiles(signedFiles: Iterable<string>, listed: ReadonlySet<string>, layout: number): string[] {
  const out: string[] = [];
  for (const rel of signedFiles) {
    const digest = rawFileDigest(rel);
    if (digest === null) continue;
    if (!listed.has(digest)) out.push(`${rel}: signed, but no audit in report.json lists this response (padding)`);
    else if (rel !== rawFileName(digest, layout)) out.push(`${rel}: signed, but a package of layout ${layout} stores this response as ${rawFileName(digest, layout)} (padding)`);
  }
  return out;
}

/** The duplicate-key problem of one signed JSON file's text, or null (raw/ bodies that are not JSON pass). */
export function duplicateKeyProblem(rel: string, text: string): string | null {
  // The one-pass scan clears almost every file; the tree parse names the place of a duplicate.
  if (!hasDuplicateKeys(text)) return null;
  const parsed = parseJsonNoDuplicates(text);
  if (parsed.ok || parsed.reason.startsWith('not valid JSON')) return null; // a stored text body, or not JSON at all
  return `${rel}: ${parsed.reason}; a signed file must read the same to every parser`;
}

/**
 * Every signed `.json` file (and compressed raw/ body) checked for duplicate keys. raw/ bodies
 * were checked as verification decoded them (`rawChecked`, by path); a compressed one it did not
 * decode is padding, reported as such (unreferencedRawFiles).
 */
export async function duplicateKeyProblems(dir: string, signedFiles: Iterable<string>, rawChecked: ReadonlyMap<string, string | null> = new Map()): Promise<string[]> {
  const problems: string[] = [];
  for (const rel of signedFiles) {
    const checked = rawChecked.get(rel);
    if (checked !== undefined) {
      if (checked !== null) problems.push(checked);
      continue;
    }
    if (!rel.endsWith('.json')) continue;
    let text: string;
    try {
      text = await readFile(path.join(dir, ...rel.split('/')), 'utf8');
    } catch {
      continue;
    }
    const problem = duplicateKeyProblem(rel, text);
    if (problem !== null) problems.push(problem);
  }
  return problems;
}

/** The DSSE payload (the signed statement) checked for duplicate keys too. */
export function duplicateKeysInPayload(payloadJson: string, file: string): string[] {
  const parsed = parseJsonNoDuplicates(payloadJson);
  return parsed.ok || parsed.reason.startsWith('not valid JSON') ? [] : [`${file}: the signed statement ${parsed.reason}`];
}

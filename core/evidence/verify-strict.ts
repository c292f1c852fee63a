import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EvidenceReport } from '../../shared/evidence';
import { hasDuplicateKeys } from '../primitives/json-duplicates';
import { parseJsonNoDuplicates } from '../primitives/json-tree';
import { sha256Hex } from '../primitives/hash';
import { writeJsonFile } from './json-stream';
import { CSV_FILE, HTML_FILE, ICS_FILE, isPackageFile, OSCAL_FILE, RAW_DIR, rawFileDigest, rawFileName, REPORT_FILE } from './package-files';
import { DEFAULT_RENDERERS } from './writer';

/**
 * The checks that keep a package from being padded or re-dressed even by someone holding the
 * signing key (or signing with their own): the readable files must be exactly what report.json
 * renders to, no signed file may be something a package does not have, and no signed JSON file
 * may hold the same key twice (JSON.parse keeps the last, a human reader or another parser may see
 * the first). Kept apart from verify.ts so other verification statuses stay where they are.
 */

/** Which readable file is rendered by which default renderer (the writer's, whatever they are named). */
const RENDERED: readonly { file: string; render: (report: EvidenceReport, signer: { fingerprint: string; keyid: string }) => string | undefined }[] = [
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
    let expected: string | undefined;
    try {
      expected = render(report, signer ?? { fingerprint: '', keyid: '' });
    } catch (e) {
      problems.push(`${file}: cannot be re-rendered from report.json (${e instanceof Error ? e.message : String(e)})`);
      continue;
    }
    if (expected === undefined) continue;
    if (!actual.equals(Buffer.from(expected, 'utf8'))) problems.push(differs(file, report, toolVersion));
  }
  if (signedFiles.has(OSCAL_FILE)) problems.push(...(await checkOscal(dir, report, toolVersion)));
  return problems;
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
  let actual: Buffer;
  try {
    actual = await readFile(path.join(dir, OSCAL_FILE));
  } catch {
    return []; // a missing signed file is already a problem of the integrity check
  }
  const work = await mkdtemp(path.join(tmpdir(), 'sentry-harden-oscal-'));
  try {
    const reportSha256 = sha256Hex(await readFile(path.join(dir, REPORT_FILE)));
    const expectedFile = path.join(work, 'assessment-results.json');
    await writeJsonFile(expectedFile, render(report, reportSha256));
    return actual.equals(await readFile(expectedFile)) ? [] : [differs(OSCAL_FILE, report, toolVersion)];
  } catch (e) {
    return [`${OSCAL_FILE}: cannot be re-built from report.json (${e instanceof Error ? e.message : String(e)})`];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
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

/**
 * Every signed `.json` file parsed with the duplicate-key check; raw/ bodies that are not JSON are
 * skipped. A compressed raw/ body is checked as verification decoded it (`rawBodies`, by digest);
 * one no audit lists is padding, reported as such (unreferencedRawFiles).
 */
export async function duplicateKeyProblems(dir: string, signedFiles: Iterable<string>, rawBodies: ReadonlyMap<string, string> = new Map()): Promise<string[]> {
  const problems: string[] = [];
  for (const rel of signedFiles) {
    const digest = rawFileDigest(rel);
    if (!rel.endsWith('.json') && !(digest !== null && rel.endsWith('.gz'))) continue;
    let text: string;
    try {
      const decoded = digest === null || !rel.endsWith('.gz') ? undefined : rawBodies.get(digest);
      if (decoded === undefined && rel.endsWith('.gz')) continue;
      text = decoded ?? (await readFile(path.join(dir, ...rel.split('/')), 'utf8'));
    } catch {
      continue;
    }
    // The one-pass scan clears almost every file; the tree parse names the place of a duplicate.
    if (!hasDuplicateKeys(text)) continue;
    const parsed = parseJsonNoDuplicates(text);
    if (parsed.ok) continue;
    if (rel.startsWith(`${RAW_DIR}/`) && parsed.reason.startsWith('not valid JSON')) continue; // a stored text body
    if (!parsed.reason.startsWith('not valid JSON')) problems.push(`${rel}: ${parsed.reason}; a signed file must read the same to every parser`);
  }
  return problems;
}

/** The DSSE payload (the signed statement) checked for duplicate keys too. */
export function duplicateKeysInPayload(payloadJson: string, file: string): string[] {
  const parsed = parseJsonNoDuplicates(payloadJson);
  return parsed.ok || parsed.reason.startsWith('not valid JSON') ? [] : [`${file}: the signed statement ${parsed.reason}`];
}

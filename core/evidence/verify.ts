import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditSnapshot, EvidenceReport, RawResponse } from '../../shared/evidence';
import { parseReportFile } from './report-file';
import { countByStatus, type EvidenceGroup, type Finding } from '../../shared/finding';
import type { Level } from '../../shared/levels';
import { AuditSettingsOverridesSchema } from '../../shared/settings';
import type { AuditSettings } from '../controls/types';
import type { HttpMethod, ResponseRecord } from '../sentry/transport';
import { catalogIdentity } from './catalog-digest';
import { EvidenceError } from '../primitives/errors';
import { sha256Hex } from '../primitives/hash';
import { mapLimit } from '../primitives/map-limit';
import { HASH_PARALLEL } from './file-hash';
import { ENVELOPE_FILE, verifyPackage, type PackageVerification } from './package';
import { openPackage, RAW_DIR, rawFileName, REPORT_FILE, type OpenedPackage } from './package-files';
import { decodeRawBody, decodeRawBodySync } from './raw-body';
import { compareCounts, compareFindings, recomputeAudit, type RecomputedAudit } from './recompute';
import { applyExceptions } from './registers';
import { isUnsignedLayout, manifestListing, unsignedConsistency, verifyUnsignedPackage } from './unsigned';
import { TOOL_VERSION } from '../engine/report';
import { checkRenderedFiles, duplicateKeyProblem, duplicateKeyProblems, duplicateKeysInPayload, foreignSignedFiles, unreferencedRawFiles } from './verify-strict';
import { evidenceGroupProblems } from './verify-groups';
import { EVIDENCE_KIND } from './writer';

/**
 * Full offline verification of an evidence package:
 * 1. integrity: the DSSE signature (by the expected key when one is given) and the SHA-256 of
 *    every file, none added or missing (`verifyPackage`);
 * 2. consistency: report.json is an evidence report; every response it lists has its raw/ file,
 *    whose bytes hash to its name; every read a finding cites is listed;
 * 3. recomputation: each audit of the package (before and after) is run again with the same
 *    control code, level, thresholds and integration register, its clock set to the audit's start,
 *    answered from raw/ alone; every finding (check, resource, status, the reads it cites), the
 *    counts and the token summary must come out as reported. So a verdict edited in report.json
 *    is caught even when the editor re-signed the package with a key of their own;
 * 4. the exception layer recomputed at the session's finish time.
 * Each problem is one sentence that starts with the file it concerns.
 */
export interface EvidenceVerification {
  readonly valid: boolean;
  /**
   * `unsigned`: a package written without a key whose files all match manifest.json and whose
   * verdicts recompute (integrity checked, authenticity not); never `valid`.
   */
  readonly status: 'valid' | 'invalid' | 'unsigned';
  readonly format: 'folder' | 'zip';
  /** Signature and hashes; null when the .zip could not even be opened. */
  readonly integrity: PackageVerification | null;
  /** The parsed report.json; null when missing or not an evidence report. */
  readonly report: EvidenceReport | null;
  /** The audits recomputed from raw/ and how many findings each has; empty when none could run. */
  readonly recomputed: readonly { readonly audit: 'before' | 'after' | 'audit'; readonly findings: number; readonly agrees: boolean }[];
  readonly problems: readonly string[];
  readonly notes: readonly string[];
  /** Unlisted files let through by `ignoreUnlisted`; printed loudly. */
  readonly warnings: readonly string[];
}

export interface VerifyEvidenceOptions {
  readonly expectedPublicKeyPem?: string;
  /** Files the manifest does not list make the package INVALID unless this is set (then: warnings). */
  readonly ignoreUnlisted?: boolean;
}

const SettingsSchema = AuditSettingsOverridesSchema.required();

/**
 * Verifies a package folder or .zip. Never throws for a damaged package (every failure is in
 * `problems`); throws EvidenceError when verification cannot run: the path does not exist
 * (`not_found`) or the expected public key is unusable (`invalid_input`).
 */
export async function verifyEvidencePackage(target: string, options: VerifyEvidenceOptions = {}): Promise<EvidenceVerification> {
  let opened;
  try {
    opened = await openPackage(target);
  } catch (e) {
    if (e instanceof EvidenceError && e.code === 'invalid_input') {
      return { valid: false, status: 'invalid', format: 'zip', integrity: null, report: null, recomputed: [], problems: [`${path.basename(target)}: ${e.message}`], notes: [], warnings: [] };
    }
    throw e;
  }
  try {
    const unsigned = await isUnsignedLayout(opened.dir);
    const integrity = unsigned ? await verifyUnsignedPackage(opened.dir) : await verifyPackage(opened.dir, options);
    const problems = [...integrity.problems];
    const notes = [...integrity.notes];
    const content = await checkContent(opened.dir, integrity, problems, notes);
    if (content.report) problems.push(...unsignedConsistency(content.report, unsigned, options.expectedPublicKeyPem !== undefined));
    const warnings = [...integrity.warnings];
    await checkStrict(opened, integrity, content.report ? { report: content.report, json: content.json } : null, content.rawKeyProblems, options, problems, warnings);
    const intact = problems.length === 0 && integrity.files.every((f) => f.ok);
    const valid = !unsigned && integrity.valid && intact;
    return {
      valid,
      status: valid ? 'valid' : unsigned && intact && content.report !== null ? 'unsigned' : 'invalid',
      warnings,
      format: opened.zip ? 'zip' : 'folder',
      integrity,
      report: content.report,
      recomputed: content.recomputed,
      problems,
      notes,
    };
  } finally {
    await opened.close();
  }
}

/** report.json validated, and as parsed (the renderers re-render the file's own values, not the schema's). */
async function readReport(dir: string, problems: string[]): Promise<{ report: EvidenceReport; json: unknown } | null> {
  let text: string;
  try {
    text = await readFile(path.join(dir, REPORT_FILE), 'utf8');
  } catch {
    if (!problems.some((p) => p.startsWith(`${REPORT_FILE}:`))) problems.push(`${REPORT_FILE}: missing`);
    return null;
  }
  const parsed = parseReportFile(text);
  if (!parsed.ok) {
    problems.push(`${REPORT_FILE}: ${parsed.reason}`);
    return null;
  }
  return { report: parsed.report, json: parsed.json };
}

interface AuditView {
  readonly name: 'before' | 'after' | 'audit';
  readonly startedAt: string;
  readonly findings: readonly Finding[];
  readonly reads: AuditSnapshot['reads'];
  readonly evidenceGroups: readonly EvidenceGroup[];
  readonly responses: readonly RawResponse[];
  readonly counts: Partial<Record<string, number>>;
  readonly controls: AuditSnapshot['controls'];
}

function auditsOf(report: EvidenceReport): AuditView[] {
  const final: AuditView = {
    name: report.before ? 'after' : 'audit',
    startedAt: report.startedAt,
    findings: report.findings,
    reads: report.reads,
    evidenceGroups: report.evidenceGroups ?? [],
    responses: report.responses,
    counts: report.summary.counts,
    controls: report.controls,
  };
  if (!report.before) return [final];
  const b = report.before;
  return [{ name: 'before', startedAt: b.startedAt, findings: b.findings, reads: b.reads, evidenceGroups: b.evidenceGroups ?? [], responses: b.responses, counts: b.counts, controls: b.controls }, final];
}

function label(name: AuditView['name']): string {
  return name === 'audit' ? 'the audit' : `the ${name} audit`;
}

async function checkContent(
  dir: string,
  integrity: PackageVerification,
  problems: string[],
  notes: string[],
): Promise<{ report: EvidenceReport | null; json: unknown; recomputed: EvidenceVerification['recomputed']; rawKeyProblems: ReadonlyMap<string, string | null> }> {
  const read = await readReport(dir, problems);
  if (!read) return { report: null, json: null, recomputed: [], rawKeyProblems: new Map() };
  const { report, json } = read;
  if (report.kind !== EVIDENCE_KIND) problems.push(`${REPORT_FILE}: kind is "${String(report.kind)}", not ${EVIDENCE_KIND}`);

  if (report.signer && integrity.signature.ok && integrity.signature.keyid !== report.signer.keyid) {
    problems.push(`${REPORT_FILE}: names the signer ${report.signer.fingerprint}, but the package is signed by ${integrity.signature.fingerprint ?? '?'}`);
  }
  const catalog = catalogIdentity();
  if (catalog.digest !== report.catalog.digest) {
    notes.push(
      `The package's control catalog (${report.catalog.version}, ${report.catalog.digest.slice(0, 12)}…) is not this tool's ` +
        `(${catalog.version}, ${catalog.digest.slice(0, 12)}…): verdicts were recomputed with this tool's controls.`,
    );
  }

  // raw/: every response listed has its file, whose bytes (uncompressed) hash to its name. Each
  // body is decoded once here, checked for duplicate keys, and dropped: the replay reads it again
  // when it is asked for (at 10,000 projects the bodies are 240 MB).
  const bodies = new Map<string, { file: string; rel: string }>();
  const rawKeyProblems = new Map<string, string | null>();
  const audits = auditsOf(report);
  const layout = report.evidenceSchemaVersion ?? 1;
  const unique = new Map<string, RawResponse>();
  for (const audit of audits) for (const r of audit.responses) if (!unique.has(r.sha256)) unique.set(r.sha256, r);
  // Read and decoded several at a time (one by one, verify waited on the disk for 10 s at 10,000
  // projects); the findings are taken in report order, so problems read the same either way.
  const checked = await mapLimit([...unique.values()], HASH_PARALLEL, (r) => checkRawBody(dir, r, layout));
  // Files the integrity check already named (a problem starts with the file's path and a colon).
  const named = new Set(problems.map((p) => p.slice(0, p.indexOf(':'))));
  for (const c of checked) {
    const already = named.has(c.rel);
    named.add(c.rel);
    if (c.kind === 'missing') {
      if (!already) problems.push(`${c.rel}: missing (${REPORT_FILE} lists the response of ${c.what} under this hash)`);
      continue;
    }
    if (c.kind === 'undecodable') {
      if (!already) problems.push(c.message);
      continue;
    }
    if (c.actual !== c.sha256 && !already) problems.push(`${c.rel}: its content does not match its name (SHA-256 ${c.actual})`);
    rawKeyProblems.set(c.rel, c.keyProblem);
    bodies.set(c.sha256, { file: path.join(dir, ...c.rel.split('/')), rel: c.rel });
  }

  // Each finding's reads are listed, and each read's pages are responses of the same audit.
  for (const audit of audits) {
    const responses = new Set(audit.responses.map((r) => r.sha256));
    const reads = new Set(audit.reads.map((r) => r.sha256));
    for (const read of audit.reads) {
      const missing = read.responses.find((p) => !responses.has(p.sha256));
      if (missing) problems.push(`${REPORT_FILE}: in ${label(audit.name)}, the read of ${read.endpoint} cites a response (${missing.sha256.slice(0, 12)}…) that is not among its responses`);
    }
    for (const f of audit.findings) {
      const missing = f.evidence.find((e) => !reads.has(e.sha256));
      if (missing) problems.push(`${REPORT_FILE}: in ${label(audit.name)}, ${f.check} on ${f.resource.type} "${f.resource.name}" cites a read (${missing.sha256.slice(0, 12)}…) that is not listed`);
    }
    problems.push(...evidenceGroupProblems(`${REPORT_FILE}: in ${label(audit.name)}`, audit.evidenceGroups, reads, audit.findings));
  }

  // Recomputation.
  const settings = SettingsSchema.safeParse(report.settings);
  if (!settings.success) {
    problems.push(`${REPORT_FILE}: the audit thresholds (settings) are incomplete or malformed, so the verdicts cannot be recomputed`);
    return { report, json, recomputed: [], rawKeyProblems };
  }
  const recomputed: { audit: AuditView['name']; findings: number; agrees: boolean }[] = [];
  for (const audit of audits) {
    const before = problems.length;
    let result: RecomputedAudit;
    try {
      result = await recomputeAudit({
        baseUrl: report.target.url,
        orgSlug: report.target.org.slug,
        level: report.level as Level,
        settings: settings.data as AuditSettings,
        integrationRegister: report.integrationRegister,
        token: report.token,
        startedAt: audit.startedAt,
        responses: toRecords(audit.responses, bodies),
      });
    } catch (e) {
      problems.push(`${REPORT_FILE}: ${label(audit.name)} cannot be recomputed from ${RAW_DIR}/: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const where = `${REPORT_FILE}: in ${label(audit.name)}, `;
    for (const p of compareFindings(audit.findings, result.findings, { reported: audit.evidenceGroups, recomputed: result.evidenceGroups })) problems.push(where + p);
    const reportedReads = new Set(audit.reads.map((r) => r.sha256));
    const extraReads = [...reportedReads].filter((s) => !result.readDigests.has(s)).length;
    const missingReads = [...result.readDigests].filter((s) => !reportedReads.has(s)).length;
    if (extraReads + missingReads > 0) {
      problems.push(`${where}the reads listed differ from the ones the verdicts rest on (${extraReads} not used, ${missingReads} missing)`);
    }
    // Totals are checked against the findings as reported: a wrong verdict is reported above once,
    // not again in every total it moves.
    const counts = compareCounts(audit.counts, countByStatus(audit.findings));
    if (counts.length > 0) problems.push(`${where}the totals do not add up to the findings: ${counts.join(', ')}`);
    for (const c of audit.controls) {
      const diff = compareCounts(c.counts, countByStatus(audit.findings.filter((f) => f.control === c.id)));
      if (diff.length > 0) problems.push(`${where}the totals of control ${c.id} do not add up to its findings: ${diff.join(', ')}`);
    }
    if (audit.name !== 'before') {
      const t = report.token;
      const same =
        t.kind === result.token.kind &&
        t.scopes.join(' ') === [...result.token.scopes].join(' ') &&
        (t.user?.id ?? null) === (result.token.user?.id ?? null);
      if (!same) problems.push(`${REPORT_FILE}: the operator (token kind, scopes, user) differs from what GET /api/0/ recorded`);
    }
    recomputed.push({ audit: audit.name, findings: result.findings.length, agrees: problems.length === before });
  }

  // The exception layer, judged at the session's finish as when the package was made.
  const entries = report.exceptions.map(({ active: _a, covers: _c, ...entry }) => entry);
  const layer = applyExceptions(report.findings, entries, new Date(report.finishedAt));
  layer.exceptions.forEach((e, i) => {
    const stated = report.exceptions[i];
    if (!stated) return;
    if (stated.active !== e.active) problems.push(`${REPORT_FILE}: exception ${e.id} is marked ${stated.active ? 'active' : 'expired'}, but by its expiry it is ${e.active ? 'active' : 'expired'}`);
    else if ([...stated.covers].sort().join(' ') !== [...e.covers].sort().join(' ')) problems.push(`${REPORT_FILE}: exception ${e.id} lists other findings than the failures it matches`);
  });
  if (report.exceptionSummary) {
    const s = report.exceptionSummary;
    const expected = layer.summary;
    const same =
      s.active === expected.active &&
      s.expired === expected.expired &&
      s.accepted === expected.accepted &&
      compareCounts(s.withExceptions, expected.withExceptions).length === 0 &&
      compareCounts(s.withoutExceptions, expected.withoutExceptions).length === 0;
    if (!same) problems.push(`${REPORT_FILE}: the counts with and without exceptions do not match the findings and exceptions`);
  }
  if (report.drift) notes.push('The drift section compares with a baseline package that is not part of this one; it was not recomputed.');
  return { report, json, recomputed, rawKeyProblems };
}

/**
 * ResponseRecords for the replay transport: the listed metadata, and the raw/ body read from its
 * file when the replay asks for it (each body once; only files that decoded in checkContent).
 */
function toRecords(responses: readonly RawResponse[], bodies: ReadonlyMap<string, { file: string; rel: string }>): ResponseRecord[] {
  const out: ResponseRecord[] = [];
  for (const r of responses) {
    const source = bodies.get(r.sha256);
    if (source === undefined) continue;
    const record = {
      method: r.method as HttpMethod,
      origin: r.origin ?? '',
      url: r.url,
      status: r.status,
      fetchedAt: r.fetchedAt,
      sha256: r.sha256,
      headers: { ...r.headers },
    };
    Object.defineProperty(record, 'body', { enumerable: true, get: () => decodeRawBodySync(readFileSync(source.file), source.rel).toString('utf8') });
    out.push(record as ResponseRecord);
  }
  return out;
}

/**
 * Padding and re-dressing (verify-strict.ts): zip entries outside the package folder, signed
 * files a package does not have, raw/ files no audit lists, duplicate JSON keys, and readable
 * files that are not what report.json renders to.
 */
type RawBodyCheck =
  | { kind: 'missing'; rel: string; what: string }
  | { kind: 'undecodable'; rel: string; message: string }
  | { kind: 'read'; rel: string; sha256: string; actual: string; keyProblem: string | null };

/** One listed response's raw/ file: read, decoded, hashed and checked for duplicate keys (nothing kept). */
async function checkRawBody(dir: string, r: RawResponse, layout: number): Promise<RawBodyCheck> {
  const rel = rawFileName(r.sha256, layout);
  let data: Buffer;
  try {
    data = await readFile(path.join(dir, ...rel.split('/')));
  } catch {
    return { kind: 'missing', rel, what: `${r.method} ${r.url.split('?')[0] ?? ''}` };
  }
  try {
    data = await decodeRawBody(data, rel);
  } catch (e) {
    return { kind: 'undecodable', rel, message: e instanceof Error ? e.message : String(e) };
  }
  return { kind: 'read', rel, sha256: r.sha256, actual: sha256Hex(data), keyProblem: duplicateKeyProblem(rel, data.toString('utf8')) };
}

async function checkStrict(
  opened: OpenedPackage,
  integrity: PackageVerification,
  read: { report: EvidenceReport; json: unknown } | null,
  rawKeyProblems: ReadonlyMap<string, string | null>,
  options: VerifyEvidenceOptions,
  problems: string[],
  warnings: string[],
): Promise<void> {
  for (const rel of opened.outside) {
    const reason = `${rel}: outside the package folder of the .zip, so not in the signed manifest`;
    if (options.ignoreUnlisted) warnings.push(`${reason}; ignored because --ignore-unlisted was given`);
    else problems.push(reason);
  }
  // Signed packages: the statement's subjects; unsigned ones: what manifest.json lists.
  const signed = new Set(integrity.statement ? integrity.statement.subject.map((s) => s.name) : await manifestListing(opened.dir));
  if (signed.size === 0) return;
  problems.push(...foreignSignedFiles(signed));
  problems.push(...(await duplicateKeyProblems(opened.dir, [...signed, ENVELOPE_FILE], rawKeyProblems)));
  const envelope = await readFile(path.join(opened.dir, ENVELOPE_FILE), 'utf8').catch(() => null);
  const payload = envelope === null ? null : payloadOf(envelope);
  if (payload !== null) problems.push(...duplicateKeysInPayload(payload, ENVELOPE_FILE));
  if (!read) return;
  const { report } = read;
  const listed = new Set(auditsOf(report).flatMap((a) => a.responses.map((r) => r.sha256)));
  problems.push(...unreferencedRawFiles(signed, listed, report.evidenceSchemaVersion ?? 1));
  const signer = report.signer ?? (integrity.signature.fingerprint && integrity.signature.keyid ? { fingerprint: integrity.signature.fingerprint, keyid: integrity.signature.keyid } : null);
  // The file's values as parsed once (readReport), not the schema's output: what it renders to.
  problems.push(...(await checkRenderedFiles(opened.dir, read.json as EvidenceReport, signer, signed, TOOL_VERSION)));
}

function payloadOf(envelopeText: string): string | null {
  try {
    const env = JSON.parse(envelopeText) as { payload?: unknown };
    return typeof env.payload === 'string' ? Buffer.from(env.payload, 'base64').toString('utf8') : null;
  } catch {
    return null;
  }
}

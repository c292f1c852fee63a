import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  EVIDENCE_SCHEMA_VERSION,
  EvidenceReportSchema,
  SIGNATURE_DISCLAIMER,
  type AuditSnapshot,
  type ChangeRecord,
  type EvidenceReport,
  type RawResponse,
} from '../../shared/evidence';
import { countByStatus } from '../../shared/finding';
import type { AuditReport } from '../../shared/report';
import type { Registers } from '../../shared/settings';
import { DEFAULT_AUDIT_SETTINGS } from '../controls/index';
import type { AuditSettings } from '../controls/types';
import { isSpooled, readSpooled } from '../sentry/response-spool';
import type { ResponseRecord } from '../sentry/transport';
import { catalogIdentity } from './catalog-digest';
import { catalogTexts } from './catalog-texts';
import { findingsCsvRows } from './csv';
import { computeDrift, type BaselinePackage } from './drift';
import { EvidenceError } from '../primitives/errors';
import { sha256Hex } from '../primitives/hash';
import { renderReportHtml } from './render/html/index';
import { renderReviewIcs } from './ics';
import { groupSharedReads } from './shared-reads';
import { writeJsonFile, writeTextFile } from './json-stream';
import { HASH_PARALLEL, sha256OfFile } from './file-hash';
import { mapLimit } from '../primitives/map-limit';
import type { SigningKey } from './keys';
import { signPackage, writeManifest, zipPackage } from './package';
import { checkPackageDestination } from './destination';
import { CSV_FILE, HTML_FILE, ICS_FILE, OSCAL_DIR, OSCAL_FILE, RAW_DIR, RAW_GZIP_LAYOUT, rawFileName, REPORT_FILE } from './package-files';
import { decodeRawBody, encodeRawBody } from './raw-body';
import { compactGroupRefs, GROUP_ID_LAYOUT } from './report-file';
import { assessmentResultsDocument, oscalLayoutDepth } from './oscal/assessment-results';
import { applyExceptions, emptyRegisterSet } from './registers';

/** `report.json`'s `kind`, and what the statement's predicate says the package is. */
export const EVIDENCE_KIND = 'sentry-harden/evidence';
export const DEFAULT_REVIEW_INTERVAL_DAYS = 90;

/** One audit as the engine returns it (`auditOrganization`): the report and every response. */
export interface PackageAudit {
  readonly report: AuditReport;
  /** Bodies are already credential-redacted by the client; `sha256` names those bytes. */
  readonly responses: readonly ResponseRecord[];
}

export interface EvidenceInput {
  /** The audit that shows the organization as the session left it (the only one without changes). */
  readonly final: PackageAudit;
  /** The audit before any change; null or absent for a before-only package. */
  readonly before?: PackageAudit | null;
  /** The session's changes (see `changeRecordsFromJournal`). */
  readonly changes?: readonly ChangeRecord[];
  readonly registers?: Registers;
  /** The thresholds both audits ran with; recomputation uses the same. */
  readonly settings?: AuditSettings;
  readonly reviewIntervalDays?: number;
  /** The previous package, for the drift section. */
  readonly baseline?: BaselinePackage | null;
  /** The built-in demo organization: the package says so on its cover. */
  readonly demo?: boolean;
  /**
   * The package layout to write (`evidenceSchemaVersion`); default the current one. An older
   * layout is written only to test that packages made by earlier versions still verify.
   */
  readonly layout?: PackageLayout;
}

/** Layouts this version writes: 2 (raw/ uncompressed, whole group references) and 3 (the current). */
export type PackageLayout = 2 | 3;

/** Renderers of the human-readable files; each file is signed like the rest. */
export interface PackageRenderers {
  /** `signer` null: the package is unsigned and the page says so. */
  readonly html?: (report: EvidenceReport, signer: { fingerprint: string; keyid: string } | null) => string;
  /** A string, or its pieces in order (written as a stream). */
  readonly csv?: (report: EvidenceReport) => string | Iterable<string>;
  readonly ics?: (report: EvidenceReport) => string;
  /** OSCAL assessment results: a function of report.json and the SHA-256 of its bytes. */
  readonly oscal?: (report: EvidenceReport, reportSha256: string) => unknown;
}

/** report.html, findings.csv and review.ics, as every package carries them. */
export const DEFAULT_RENDERERS: PackageRenderers = {
  // The report names its signer: report.html is a function of report.json alone, so verify can re-render it.
  html: (report) => renderReportHtml(report),
  csv: (report) => findingsCsvRows(report),
  ics: (report) => renderReviewIcs(report),
  oscal: (report, reportSha256) => assessmentResultsDocument(report, reportSha256),
};

export interface WritePackageOptions {
  /** null: no key was available; the package is written unsigned (manifest.json only) and says so. */
  readonly key: SigningKey | null;
  /** Why it is unsigned (report.json's `unsigned.reason`); used when `key` is null. */
  readonly unsignedReason?: string;
  /** Default: DEFAULT_RENDERERS. */
  readonly renderers?: PackageRenderers;
  /**
   * Strings that must appear in no file (the session's API token): the package is not written
   * if one does. Redaction already removed them; this is the last look before signing.
   */
  readonly forbidden?: readonly string[];
}

export interface WrittenPackage {
  /** The folder, or the .zip file. */
  readonly path: string;
  readonly format: 'folder' | 'zip';
  readonly report: EvidenceReport;
  /** Every file of the package, relative, sorted. */
  readonly files: readonly string[];
  /** null for an unsigned package. */
  readonly keyid: string | null;
  readonly fingerprint: string | null;
}

function toRaw(r: ResponseRecord): RawResponse {
  return { method: r.method, url: r.url, origin: r.origin, status: r.status, fetchedAt: r.fetchedAt, sha256: r.sha256, headers: { ...r.headers } };
}

function snapshot(audit: PackageAudit): AuditSnapshot {
  const r = audit.report;
  const grouped = groupSharedReads(r.findings, r.evidenceGroups ?? []);
  return {
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    controls: r.controls,
    findings: grouped.findings,
    reads: r.reads,
    evidenceGroups: grouped.evidenceGroups,
    responses: audit.responses.map(toRaw),
    counts: r.summary.counts,
  };
}

/** Where a raw/ file comes from: a body in memory, or a spooled one (read when its file is written, one at a time). */
type RawSource = { readonly body: string } | { readonly read: () => Promise<Buffer> };

/** A body whose bytes do not hash to the digest its evidence cites is never packaged. */
function checked(r: PackageAudit['responses'][number], bytes: Buffer): Buffer {
  if (sha256Hex(bytes) !== r.sha256) {
    throw new EvidenceError('internal', `The recorded response of ${r.method} ${r.url.split('?')[0] ?? ''} does not match its SHA-256; refusing to package it.`);
  }
  return bytes;
}

/**
 * The raw/ files of the audits by SHA-256. An in-memory body is checked against its name here; a
 * spooled one when it is read back to be written (one at a time, so memory stays flat).
 */
export async function rawSources(audits: readonly PackageAudit[]): Promise<Map<string, RawSource>> {
  const out = new Map<string, RawSource>();
  for (const audit of audits) {
    for (const r of audit.responses) {
      if (out.has(r.sha256)) continue;
      if (isSpooled(r)) {
        out.set(r.sha256, { read: async () => checked(r, (await readSpooled(r)) ?? Buffer.from(r.body, 'utf8')) });
        continue;
      }
      checked(r, Buffer.from(r.body, 'utf8'));
      out.set(r.sha256, { body: r.body });
    }
  }
  return out;
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

/**
 * Builds report.json of a package (validated against EvidenceReportSchema). Throws
 * EvidenceError('invalid_input') when the two audits are not of the same organization and level.
 */
export function buildEvidenceReport(
  input: EvidenceInput,
  signer?: Pick<SigningKey, 'keyid' | 'fingerprint'> | null,
  unsigned?: { reason: string },
): EvidenceReport {
  const final = input.final.report;
  const before = input.before ?? null;
  if (before) {
    const b = before.report;
    if (b.target.org.id !== final.target.org.id || b.target.url !== final.target.url) {
      throw new EvidenceError('invalid_input', `The audits before and after are of different organizations (${b.target.org.slug}, ${final.target.org.slug}).`);
    }
    if (b.level !== final.level) throw new EvidenceError('invalid_input', `The audits before and after ran at different levels (${b.level}, ${final.level}).`);
  }
  const registers = input.registers ?? emptyRegisterSet();
  const intervalDays = input.reviewIntervalDays ?? DEFAULT_REVIEW_INTERVAL_DAYS;
  if (!Number.isInteger(intervalDays) || intervalDays < 1 || intervalDays > 3660) {
    throw new EvidenceError('invalid_input', `The review interval must be a whole number of days between 1 and 3660 (got ${intervalDays}).`);
  }
  const settings = input.settings ?? DEFAULT_AUDIT_SETTINGS;
  const layer = applyExceptions(final.findings, registers.exceptions, new Date(final.finishedAt));
  // Reads many findings cite are cited through a group, once (issue 10).
  const grouped = groupSharedReads(final.findings, final.evidenceGroups ?? []);
  const report: EvidenceReport = {
    ...final,
    findings: grouped.findings,
    evidenceGroups: grouped.evidenceGroups,
    summary: { ...final.summary, counts: countByStatus(final.findings) },
    kind: EVIDENCE_KIND,
    catalog: catalogIdentity(),
    settings: { ...settings, sensitiveFieldBaseline: [...settings.sensitiveFieldBaseline] },
    responses: input.final.responses.map(toRaw),
    before: before ? snapshot(before) : null,
    changes: [...(input.changes ?? [])],
    exceptions: layer.exceptions,
    attestations: [...registers.attestations],
    integrationRegister: [...registers.integrationRegister],
    review: { nextReviewDate: addDays(final.finishedAt, intervalDays), intervalDays },
    disclaimer: SIGNATURE_DISCLAIMER,
    session: { startedAt: before?.report.startedAt ?? final.startedAt, finishedAt: final.finishedAt },
    ...(signer ? { signer: { keyid: signer.keyid, fingerprint: signer.fingerprint } } : {}),
    ...(!signer && unsigned ? { unsigned: { reason: unsigned.reason } } : {}),
    exceptionSummary: layer.summary,
    catalogTexts: catalogTexts(),
    ...(input.demo ? { demo: true } : {}),
    evidenceSchemaVersion: input.layout ?? EVIDENCE_SCHEMA_VERSION,
  };
  if (input.baseline) report.drift = computeDrift(input.baseline, report);
  // The findings, reads and responses were validated one by one as the audit made them; parsing
  // them again here copied the whole report (1 GB at 10,000 projects). The envelope is checked.
  const parsed = EvidenceReportSchema.safeParse({
    ...report,
    findings: [],
    reads: [],
    evidenceGroups: [],
    responses: [],
    before: report.before ? { ...report.before, findings: [], reads: [], evidenceGroups: [], responses: [] } : null,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvidenceError('internal', `The evidence report does not match its schema (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}).`);
  }
  return report;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

function includesAny(data: Buffer, needles: readonly Buffer[]): boolean {
  return needles.some((n) => data.includes(n));
}

/** Whether the file holds one of the needles, read a MiB at a time (a needle may straddle two reads). */
async function fileIncludesAny(file: string, needles: readonly Buffer[]): Promise<boolean> {
  const keep = Math.max(...needles.map((n) => n.length)) - 1;
  let tail = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const data = tail.length > 0 ? Buffer.concat([tail, chunk as Buffer]) : (chunk as Buffer);
    if (includesAny(data, needles)) return true;
    tail = Buffer.from(data.subarray(Math.max(0, data.length - keep)));
  }
  return false;
}

async function assertNothingForbidden(dir: string, forbidden: readonly string[]): Promise<void> {
  const needles = forbidden.filter((s) => s.length >= 8).map((s) => Buffer.from(s, 'utf8'));
  if (needles.length === 0) return;
  const files = await listFiles(dir);
  const holds = await mapLimit(files, HASH_PARALLEL, async (rel) => {
    const file = path.join(dir, ...rel.split('/'));
    // A compressed raw/ body (one response, small) is searched decompressed: the token must not
    // hide in gzip. The large files are searched as a stream.
    return rel.endsWith('.gz') ? includesAny(await decodeRawBody(await readFile(file), rel), needles) : await fileIncludesAny(file, needles);
  });
  const first = files.find((_, i) => holds[i]);
  if (first !== undefined) {
    throw new EvidenceError('internal', `Refusing to write the evidence package: ${first} would contain the API token.`);
  }
}

/** Writes the unsigned files of a package into an empty folder. */
async function writeContent(dir: string, report: EvidenceReport, raw: ReadonlyMap<string, RawSource>, key: SigningKey | null, renderers: PackageRenderers): Promise<void> {
  await mkdir(path.join(dir, RAW_DIR), { recursive: true });
  const layout = report.evidenceSchemaVersion ?? 1;
  const compress = layout >= RAW_GZIP_LAYOUT;
  // Several bodies at a time: compressed and written one by one, 12,800 bodies took 20 s at
  // 10,000 projects, most of it waiting on the thread pool one job at a time.
  await mapLimit([...raw], HASH_PARALLEL, async ([sha, source]) => {
    const target = path.join(dir, ...rawFileName(sha, layout).split('/'));
    const body = 'read' in source ? await source.read() : Buffer.from(source.body, 'utf8');
    await writeFile(target, compress ? await encodeRawBody(body) : body);
  });
  // Streamed: a large organization's report is never one string (issue 10).
  await writeJsonFile(path.join(dir, REPORT_FILE), report, layout >= GROUP_ID_LAYOUT ? { replacer: compactGroupRefs } : {});
  if (renderers.html) await writeFile(path.join(dir, HTML_FILE), renderers.html(report, key ? { fingerprint: key.fingerprint, keyid: key.keyid } : null), 'utf8');
  if (renderers.csv) await writeTextFile(path.join(dir, CSV_FILE), renderers.csv(report));
  if (renderers.ics) await writeFile(path.join(dir, ICS_FILE), renderers.ics(report), 'utf8');
  if (renderers.oscal) {
    const reportSha256 = (await sha256OfFile(path.join(dir, REPORT_FILE))).sha256;
    await mkdir(path.join(dir, OSCAL_DIR), { recursive: true });
    await writeJsonFile(path.join(dir, OSCAL_FILE), renderers.oscal(report, reportSha256), { layoutDepth: oscalLayoutDepth(layout) });
  }
}

/**
 * Builds, writes and signs an evidence package at `out`: a folder, or a single .zip when `out`
 * ends in `.zip`. The package is assembled in a temporary folder beside `out` and moved into place
 * only once signed, so an interrupted run never leaves half a package. An existing `out` is
 * replaced only when it holds nothing but package files (an earlier package or report); anything
 * else is refused (EvidenceError('invalid_input')), and so is an existing .zip: it is never overwritten.
 */
export async function writeEvidencePackage(out: string, input: EvidenceInput, options: WritePackageOptions): Promise<WrittenPackage> {
  const target = path.resolve(out);
  const asZip = target.toLowerCase().endsWith('.zip');
  await checkPackageDestination(target);
  const report = buildEvidenceReport(input, options.key, { reason: options.unsignedReason ?? 'no signing key was available' });
  const raw = await rawSources([...(input.before ? [input.before] : []), input.final]);
  const parent = path.dirname(target);
  await mkdir(parent, { recursive: true });
  const stage = await mkdtemp(path.join(parent, `.${path.basename(target)}.tmp-`));
  let staged = true;
  try {
    await writeContent(stage, report, raw, options.key, options.renderers ?? DEFAULT_RENDERERS);
    await assertNothingForbidden(stage, options.forbidden ?? []);
    const predicate = {
      kind: EVIDENCE_KIND,
      report: REPORT_FILE,
      organization: { slug: report.target.org.slug, id: report.target.org.id, url: report.target.url },
      level: report.level,
      session: report.session,
      tool: report.tool,
      catalog: report.catalog,
    };
    // Unsigned: manifest.json still lists every file's hash, so integrity can be checked.
    const signed = options.key ? await signPackage(stage, options.key, predicate) : (await writeManifest(stage), null);
    const files = await listFiles(stage);
    if (asZip) {
      await zipPackage(stage, target, { folderName: path.basename(target).replace(/\.zip$/i, '') });
    } else {
      const trash = `${stage}.old`;
      let moved = false;
      try {
        await rename(target, trash);
        moved = true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      await rename(stage, target);
      staged = false;
      if (moved) await rm(trash, { recursive: true, force: true });
    }
    return { path: target, format: asZip ? 'zip' : 'folder', report, files, keyid: signed?.keyid ?? null, fingerprint: signed?.fingerprint ?? null };
  } finally {
    if (staged) await rm(stage, { recursive: true, force: true });
  }
}

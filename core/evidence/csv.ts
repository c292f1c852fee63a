import type { EvidenceReport, PackageException } from '../../shared/evidence';
import type { Finding } from '../../shared/finding';
import type { ControlSummary } from '../../shared/report';

/**
 * `findings.csv` of an evidence package, for spreadsheets: RFC 4180 (CRLF line ends, fields with
 * a comma, quote or line break quoted, quotes doubled), one header row, one row per finding.
 * Titles come from the catalog texts the package recorded, never from this build's catalog, so
 * an old package gives the same rows. Since layout 2 (`evidenceSchemaVersion`) a row names its
 * evidence by hash only (the request texts made the file grow with findings x reads: 61 MB at
 * 10,000 projects; they are in report.html, once per read). The remediation steps stay on each
 * failing and manual row: a spreadsheet filtered to one row must still say what to do (issue 12).
 */

export const FINDINGS_CSV_COLUMNS = [
  'phase',
  'section',
  'control',
  'control_title',
  'check',
  'check_title',
  'level',
  'status',
  'resource_type',
  'resource_id',
  'resource_name',
  'message',
  'remediation',
  'attestation',
  'exception',
  'exception_owner',
  'exception_approved_by',
  'exception_reason',
  'exception_until',
  'cis',
  'nist',
  'soc2',
  'evidence_sha256',
] as const;

/**
 * The columns of packages made before layout 2 (verify re-renders those as they were written):
 * the same, plus the request texts of the reads a finding cites.
 */
export const FINDINGS_CSV_COLUMNS_V1 = [...FINDINGS_CSV_COLUMNS, 'evidence_endpoints'] as const;

/**
 * Spreadsheets run a cell that starts with one of these as a formula (CSV injection): an org
 * name or a message from Sentry could otherwise execute in the reader's spreadsheet. Leading
 * whitespace and line breaks do not protect a formula (Excel and LibreOffice skip them), so a
 * cell starting with a control character or with whitespace before `=`, `+`, `-`, `@` is
 * neutralised too.
 */
const FORMULA_START = /^(?:[\t\r\n]|[\s\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20])/;

/** One field, neutralised against formulas and quoted when RFC 4180 requires it. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function findingKey(f: Pick<Finding, 'check' | 'resource'>): string {
  return `${f.check}|${f.resource.type}|${f.resource.id}`;
}

function endpointOf(e: Finding['evidence'][number]): string {
  const q = Object.entries(e.query);
  return `${e.method} ${e.endpoint}${q.length > 0 ? `?${new URLSearchParams(q).toString()}` : ''}`;
}

/**
 * Rows of the final audit; with a `before` audit, its rows first (phase `before`, then `after`).
 * A package of one audit marks its rows `audit`. The `exception` column names the active
 * exceptions covering a final-audit finding (exceptions are matched against the final audit only).
 */
export function renderFindingsCsv(report: EvidenceReport): string {
  return [...findingsCsvRows(report)].join('');
}

/**
 * findings.csv a row at a time (header first), so a large organization's file is written and
 * checked as a stream, never held as one string (66,000 rows at 10,000 projects).
 */
export function* findingsCsvRows(report: EvidenceReport): Generator<string> {
  const compact = (report.evidenceSchemaVersion ?? 1) >= 2;
  const summaries = new Map<string, ControlSummary>();
  for (const c of [...(report.before?.controls ?? []), ...report.controls]) summaries.set(c.id, c);
  const texts = new Map((report.catalogTexts?.controls ?? []).map((c) => [c.id, c]));
  const checkTitles = new Map((report.catalogTexts?.controls ?? []).flatMap((c) => c.checks.map((k) => [k.id, k.title] as const)));
  const activeByKey = new Map<string, PackageException[]>();
  for (const e of report.exceptions) {
    if (!e.active) continue;
    for (const k of e.covers) activeByKey.set(k, [...(activeByKey.get(k) ?? []), e]);
  }
  const attestationsOf = new Map<string, string>();
  for (const a of report.attestations) {
    const text = `${a.id} by ${a.attestedBy} at ${a.attestedAt}: ${a.statement}`;
    attestationsOf.set(a.control, attestationsOf.has(a.control) ? `${attestationsOf.get(a.control)!}; ${text}` : text);
  }
  const remediation = (f: Finding): string =>
    f.status === 'fail' || f.status === 'manual' ? (texts.get(f.control)?.manualSteps ?? []).map((step, i) => `${i + 1}. ${step}`).join(' ') : '';

  yield csvRow(compact ? FINDINGS_CSV_COLUMNS : FINDINGS_CSV_COLUMNS_V1);
  function* emit(phase: string, findings: readonly Finding[], controls: readonly ControlSummary[], final: boolean): Generator<string> {
    const own = new Map(controls.map((c) => [c.id, c]));
    for (const f of findings) {
      const summary = own.get(f.control) ?? summaries.get(f.control);
      const m = summary?.mappings;
      const exceptions = final ? (activeByKey.get(findingKey(f)) ?? []) : [];
      const each = (pick: (e: PackageException) => string | undefined): string => exceptions.map((e) => pick(e) ?? '').join(';');
      const head = [
        phase,
        texts.get(f.control)?.section ?? summary?.section ?? '',
        f.control,
        texts.get(f.control)?.title ?? summary?.title ?? '',
        f.check,
        checkTitles.get(f.check) ?? '',
        f.level,
        f.status,
        f.resource.type,
        f.resource.id,
        f.resource.name,
        f.message,
      ];
      const tail = [
        final ? (attestationsOf.get(f.control) ?? '') : '',
        each((e) => e.id),
        each((e) => e.owner),
        each((e) => e.approvedBy),
        each((e) => e.reason),
        each((e) => e.expiresAt),
        (m?.cis ?? []).join(';'),
        (m?.nist ?? []).join(';'),
        (m?.soc2 ?? []).join(';'),
        // A shared group is named once (group:<id>), not by its hundreds of reads.
        [...f.evidence.map((e) => e.sha256), ...(f.evidenceGroups ?? []).map((g) => `group:${g.id}`)].join(';'),
      ];
      const row = [...head, remediation(f), ...tail];
      if (!compact) row.push([...f.evidence.map(endpointOf), ...(f.evidenceGroups ?? []).map((g) => `${g.label} (${g.size} reads)`)].join(';'));
      yield csvRow(row);
    }
  }
  if (report.before) {
    yield* emit('before', report.before.findings, report.before.controls, false);
    yield* emit('after', report.findings, report.controls, true);
  } else {
    yield* emit('audit', report.findings, report.controls, true);
  }
}

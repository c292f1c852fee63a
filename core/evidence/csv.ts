import type { EvidenceReport } from '../../shared/evidence';
import type { Finding } from '../../shared/finding';
import type { ControlSummary } from '../../shared/report';
import { CONTROLS } from '../controls/index';

/**
 * `findings.csv` of an evidence package, for spreadsheets: RFC 4180 (CRLF line ends, fields with
 * a comma, quote or line break quoted, quotes doubled), one header row, one row per finding.
 */

export const FINDINGS_CSV_COLUMNS = [
  'phase',
  'control',
  'check',
  'level',
  'status',
  'resource_type',
  'resource_id',
  'resource_name',
  'message',
  'exception',
  'cis',
  'nist',
  'soc2',
  'evidence_sha256',
  'evidence_endpoints',
] as const;

/**
 * Spreadsheets run a cell that starts with one of these as a formula (CSV injection): an org
 * name or a message from Sentry could otherwise execute in the reader's spreadsheet.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

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
  const mappingsOf = (controls: readonly ControlSummary[]) => {
    const m = new Map<string, ControlSummary['mappings']>();
    for (const c of CONTROLS) m.set(c.id, { cis: [...c.mappings.cis], nist: [...c.mappings.nist], soc2: [...c.mappings.soc2] });
    for (const c of controls) m.set(c.id, c.mappings);
    return m;
  };
  const activeByKey = new Map<string, string[]>();
  for (const e of report.exceptions) {
    if (!e.active) continue;
    for (const k of e.covers) activeByKey.set(k, [...(activeByKey.get(k) ?? []), e.id]);
  }

  const rows: string[] = [csvRow(FINDINGS_CSV_COLUMNS)];
  const emit = (phase: string, findings: readonly Finding[], controls: readonly ControlSummary[], withExceptions: boolean): void => {
    const mappings = mappingsOf(controls);
    for (const f of findings) {
      const m = mappings.get(f.control);
      rows.push(
        csvRow([
          phase,
          f.control,
          f.check,
          f.level,
          f.status,
          f.resource.type,
          f.resource.id,
          f.resource.name,
          f.message,
          withExceptions ? (activeByKey.get(findingKey(f)) ?? []).join(';') : '',
          (m?.cis ?? []).join(';'),
          (m?.nist ?? []).join(';'),
          (m?.soc2 ?? []).join(';'),
          // A shared group is named once (group:<id>, its label), not by its hundreds of reads.
          [...f.evidence.map((e) => e.sha256), ...(f.evidenceGroups ?? []).map((g) => `group:${g.id}`)].join(';'),
          [...f.evidence.map(endpointOf), ...(f.evidenceGroups ?? []).map((g) => `${g.label} (${g.size} reads)`)].join(';'),
        ]),
      );
    }
  };
  if (report.before) {
    emit('before', report.before.findings, report.before.controls, false);
    emit('after', report.findings, report.controls, true);
  } else {
    emit('audit', report.findings, report.controls, true);
  }
  return rows.join('');
}

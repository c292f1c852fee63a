import type { EvidenceReport } from '../../shared/evidence';
import { parseReportFile } from '../../core/evidence/report-file';

/** A package's report.json text as every reader sees it (group ids expanded, schema checked); throws when it is not one. */
export function parseReportText(text: string): EvidenceReport {
  const parsed = parseReportFile(text);
  if (!parsed.ok) throw new Error(`report.json is ${parsed.reason}`);
  return parsed.report;
}

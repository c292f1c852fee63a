import { countByStatus } from '../../shared/finding';
import { REPORT_SCHEMA_VERSION, AuditReportSchema, type AuditReport } from '../../shared/report';
import type { TokenInfo } from '../controls/types';
import type { AuditRun } from './audit';

const EnvelopeSchema = AuditReportSchema.omit({ findings: true, reads: true, evidenceGroups: true });

export { TOOL_NAME, TOOL_VERSION } from '../primitives/tool';
import { TOOL_NAME, TOOL_VERSION } from '../primitives/tool';

export interface ReportTarget {
  readonly url: string;
  readonly regionUrl: string;
  readonly org: { readonly slug: string; readonly id: string; readonly name: string };
}

/**
 * Builds and validates `report.json`; a report that does not match its own schema is a bug.
 * Findings and reads were validated one by one as the controls returned them (runAudit), so
 * only the envelope is checked here: re-parsing 10,000 findings would add seconds to a large audit.
 */
export function buildAuditReport(
  run: AuditRun,
  target: ReportTarget,
  token: TokenInfo,
  stats: { requests: number; rateLimited: number },
): AuditReport {
  const report: AuditReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    target: { url: target.url, regionUrl: target.regionUrl, org: { ...target.org } },
    level: run.level,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    token: { kind: token.kind, scopes: [...token.scopes], user: token.user ? { ...token.user } : null },
    controls: run.controls.map((c) => ({
      id: c.id,
      title: c.title,
      section: c.section,
      level: c.level,
      mappings: { cis: [...c.mappings.cis], nist: [...c.mappings.nist], soc2: [...c.mappings.soc2] },
      counts: countByStatus(run.findings.filter((f) => f.control === c.id)),
    })),
    findings: [...run.findings],
    reads: [...run.reads],
    evidenceGroups: [...run.evidenceGroups],
    summary: { counts: countByStatus(run.findings), requests: stats.requests, rateLimited: stats.rateLimited },
  };
  EnvelopeSchema.parse({ ...report, findings: undefined, reads: undefined, evidenceGroups: undefined });
  return report;
}

/** Exit status of `audit`: 0 clean, 1 a check failed, 3 a check could not be evaluated. */
export function auditExitCode(report: Pick<AuditReport, 'summary'>): 0 | 1 | 3 {
  if (report.summary.counts.error > 0) return 3;
  if (report.summary.counts.fail > 0) return 1;
  return 0;
}

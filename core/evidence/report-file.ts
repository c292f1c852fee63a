import { EvidenceReportSchema, type EvidenceReport } from '../../shared/evidence';
import type { EvidenceGroupRef } from '../../shared/finding';

/**
 * report.json as a file. From layout 3 a finding cites an evidence group by its id alone (the
 * label, size and completeness are the group's own, listed once in `evidenceGroups`): at 10,000
 * projects that is a fifth of the file (issue 10). In memory every reader sees whole references.
 */

/** The first layout whose findings cite evidence groups by id alone. */
export const GROUP_ID_LAYOUT = 3;

function isGroupRef(v: unknown): v is EvidenceGroupRef {
  return typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string' && 'size' in v && !('reads' in v);
}

/** JSON.stringify replacer for a layout-3 report.json: a finding's `evidenceGroups` become ids. */
export function compactGroupRefs(key: string, value: unknown): unknown {
  if (key === 'evidenceGroups' && Array.isArray(value) && value.length > 0 && value.every(isGroupRef)) return value.map((r) => r.id);
  return value;
}

interface GroupLike {
  readonly id?: unknown;
  readonly label?: unknown;
  readonly reads?: unknown;
  readonly complete?: unknown;
}

/** A group id in place of a reference, expanded from the audit's own groups. */
function expandAudit(audit: { findings?: unknown; evidenceGroups?: unknown }): void {
  if (!Array.isArray(audit.findings)) return;
  const groups = new Map<string, GroupLike>();
  if (Array.isArray(audit.evidenceGroups)) {
    for (const g of audit.evidenceGroups as GroupLike[]) if (g && typeof g.id === 'string') groups.set(g.id, g);
  }
  for (const f of audit.findings as { evidenceGroups?: unknown }[]) {
    if (!f || typeof f !== 'object' || !Array.isArray(f.evidenceGroups)) continue;
    f.evidenceGroups = f.evidenceGroups.map((ref: unknown) => {
      if (typeof ref !== 'string') return ref;
      const g = groups.get(ref);
      // An id with no group stays visibly unknown: verification names it (verify-groups.ts).
      if (!g) return { id: ref, label: 'not listed in evidenceGroups', size: 0, complete: false };
      return { id: ref, label: g.label, size: Array.isArray(g.reads) ? g.reads.length : 0, complete: g.complete };
    });
  }
}

/** Expands, in place, the group ids of a parsed report.json (both audits) into whole references. */
export function expandGroupRefs(json: unknown): void {
  if (typeof json !== 'object' || json === null) return;
  const report = json as { findings?: unknown; evidenceGroups?: unknown; before?: unknown };
  expandAudit(report);
  if (typeof report.before === 'object' && report.before !== null) expandAudit(report.before as { findings?: unknown });
}

export type ParsedReportFile =
  | { readonly ok: true; readonly report: EvidenceReport; /** The values as parsed (expanded), what the files render from. */ readonly json: unknown }
  | { readonly ok: false; readonly reason: string };

/** The text of a report.json: parsed, group ids expanded, checked against the schema. */
export function parseReportFile(text: string): ParsedReportFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not valid JSON (${(e as Error).message})` };
  }
  expandGroupRefs(json);
  const parsed = EvidenceReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `not an evidence report (${issue ? `${issue.path.join('.') || 'root'}: ${issue.message}` : 'invalid'})` };
  }
  return { ok: true, report: parsed.data, json };
}

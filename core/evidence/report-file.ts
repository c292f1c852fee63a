import { z } from 'zod';
import { AuditSnapshotSchema, EvidenceReportSchema, type EvidenceReport } from '../../shared/evidence';
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

/** The arrays that grow with the organization; each is checked an element at a time. */
const LISTS = ['findings', 'reads', 'evidenceGroups', 'responses'] as const;
type ListKey = (typeof LISTS)[number];

/** The element schema of one of LISTS, taken from the schema itself so the two never drift apart. */
function elementSchema(shape: Record<string, z.ZodType>, key: ListKey): z.ZodType {
  let s = shape[key] as z.ZodType;
  if (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return (s as z.ZodArray<z.ZodType>).element;
}
const REPORT_ELEMENTS = new Map(LISTS.map((k) => [k, elementSchema(EvidenceReportSchema.shape, k)]));
const BEFORE_ELEMENTS = new Map(LISTS.map((k) => [k, elementSchema(AuditSnapshotSchema.shape, k)]));

function issueText(path: readonly PropertyKey[], issue: z.core.$ZodIssue | undefined): string {
  const where = [...path, ...(issue?.path ?? [])].map(String).join('.');
  return `not an evidence report (${issue ? `${where || 'root'}: ${issue.message}` : 'invalid'})`;
}

/** The object with its long lists emptied (checked apart), or the value itself when it is no object. */
function shell(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const k of LISTS) if (Array.isArray(out[k])) out[k] = [];
  return out;
}

function checkLists(value: Record<string, unknown>, elements: ReadonlyMap<ListKey, z.ZodType>, path: readonly PropertyKey[]): string | null {
  for (const k of LISTS) {
    const list = value[k];
    if (!Array.isArray(list)) continue;
    const schema = elements.get(k)!;
    for (let i = 0; i < list.length; i++) {
      const r = schema.safeParse(list[i]);
      if (!r.success) return issueText([...path, k, i], r.error.issues[0]);
    }
  }
  return null;
}

/**
 * Checks a parsed report.json against EvidenceReportSchema without copying it whole: the envelope
 * with its long lists emptied, then each finding, read, group and response on its own (issue 10:
 * one copy of a large organization's report is hundreds of MB). The schemas have no defaults or
 * transforms, so what passes is the value as parsed.
 */
function validateReport(json: unknown): string | null {
  const top = shell(json);
  const before = typeof json === 'object' && json !== null ? (json as { before?: unknown }).before : undefined;
  if (typeof top === 'object' && top !== null && typeof before === 'object' && before !== null) (top as Record<string, unknown>)['before'] = shell(before);
  const envelope = EvidenceReportSchema.safeParse(top);
  if (!envelope.success) return issueText([], envelope.error.issues[0]);
  const report = json as Record<string, unknown>;
  return checkLists(report, REPORT_ELEMENTS, []) ?? (before ? checkLists(before as Record<string, unknown>, BEFORE_ELEMENTS, ['before']) : null);
}

/** The text of a report.json: parsed, group ids expanded, checked against the schema. */
export function parseReportFile(text: string): ParsedReportFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not valid JSON (${(e as Error).message})` };
  }
  expandGroupRefs(json);
  const problem = validateReport(json);
  if (problem !== null) return { ok: false, reason: problem };
  return { ok: true, report: json as EvidenceReport, json };
}

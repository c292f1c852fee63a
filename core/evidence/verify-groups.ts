import type { EvidenceGroup, Finding } from '../../shared/finding';
import { evidenceGroupId } from '../engine/evidence-refs';

/**
 * Checks one audit's evidence groups (issue 10): each group's id is the digest of its reads, each
 * of its reads is listed in the audit's `reads`, and every group a finding cites exists with the
 * same completeness. Returns one sentence per problem (at most a few of each kind).
 */
export function evidenceGroupProblems(
  where: string,
  groups: readonly EvidenceGroup[],
  reads: ReadonlySet<string>,
  findings: readonly Finding[],
): string[] {
  const problems: string[] = [];
  const byId = new Map<string, EvidenceGroup>();
  for (const g of groups) {
    if (evidenceGroupId(g.reads) !== g.id) problems.push(`${where}, the evidence group "${g.label}" (${g.id.slice(0, 12)}…) is not named by its reads`);
    const missing = g.reads.find((sha) => !reads.has(sha));
    if (missing) problems.push(`${where}, the evidence group "${g.label}" cites a read (${missing.slice(0, 12)}…) that is not listed`);
    byId.set(g.id, g);
  }
  let unknown = 0;
  for (const f of findings) {
    for (const ref of f.evidenceGroups ?? []) {
      const g = byId.get(ref.id);
      if (g && g.complete === ref.complete && g.reads.length === ref.size) continue;
      unknown += 1;
      if (unknown <= 3) {
        problems.push(`${where}, ${f.check} on ${f.resource.type} "${f.resource.name}" cites an evidence group (${ref.id.slice(0, 12)}…) that is ${g ? 'described differently in' : 'not listed in'} evidenceGroups`);
      }
    }
  }
  if (unknown > 3) problems.push(`${where}, ${unknown - 3} more finding(s) cite evidence groups that are not listed as cited`);
  return problems;
}

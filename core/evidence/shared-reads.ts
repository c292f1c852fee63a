import type { EvidenceGroup, EvidenceGroupRef, Finding } from '../../shared/finding';
import { evidenceGroupId } from '../engine/evidence-refs';

/** A read cited by at least this many findings is shared: findings cite it through a group. */
export const SHARED_READ_THRESHOLD = 8;

/** `GET /api/0/organizations/acme/members/` -> `members/`: short enough to repeat in every finding. */
function shortName(endpoint: string): string {
  const m = /^\/api\/0\/(?:organizations|projects)\/[^/]+\/(.*)$/.exec(endpoint);
  return m?.[1] === '' ? 'organization' : (m?.[1] ?? endpoint);
}

/**
 * Moves the reads many findings cite (the member list behind every member finding, the key and
 * project lists behind every key finding) out of each finding into one evidence group per set of
 * such reads, so the package's report.json lists a finding's own reads and cites the shared ones
 * by id: it grows with the organization, not with findings x reads (issue 10). Findings citing
 * no shared read are returned as they are; existing groups are kept.
 */
export function groupSharedReads(
  findings: readonly Finding[],
  groups: readonly EvidenceGroup[],
  threshold = SHARED_READ_THRESHOLD,
): { findings: Finding[]; evidenceGroups: EvidenceGroup[] } {
  const uses = new Map<string, number>();
  for (const f of findings) for (const e of f.evidence) uses.set(e.sha256, (uses.get(e.sha256) ?? 0) + 1);
  const all = new Map(groups.map((g) => [g.id, g]));
  const refs = new Map<string, EvidenceGroupRef>();
  const out = findings.map((f) => {
    const shared = f.evidence.filter((e) => (uses.get(e.sha256) ?? 0) >= threshold);
    if (shared.length === 0) return f;
    const digests = shared.map((e) => e.sha256);
    const key = digests.join(',');
    let ref = refs.get(key);
    if (!ref) {
      const id = evidenceGroupId(digests);
      const label = `shared reads: ${shared.map((e) => shortName(e.endpoint)).join(', ')}`;
      const complete = shared.every((e) => e.complete);
      if (!all.has(id)) all.set(id, { id, label, reads: digests, complete });
      ref = { id, label: all.get(id)!.label, size: digests.length, complete };
      refs.set(key, ref);
    }
    return { ...f, evidence: f.evidence.filter((e) => (uses.get(e.sha256) ?? 0) < threshold), evidenceGroups: [ref, ...(f.evidenceGroups ?? [])] };
  });
  return { findings: out, evidenceGroups: [...all.values()] };
}

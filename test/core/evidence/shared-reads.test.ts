import { describe, expect, it } from 'vitest';
import { evidenceGroupId } from '../../../core/engine/evidence-refs';
import { groupSharedReads } from '../../../core/evidence/shared-reads';
import { evidenceGroupProblems } from '../../../core/evidence/verify-groups';
import { findingReadDigests, type EvidenceRef, type Finding } from '../../../shared/finding';

const sha = (n: number): string => n.toString(16).padStart(64, '0');
const ref = (n: number, endpoint: string): EvidenceRef => ({ method: 'GET', endpoint, query: {}, pages: 1, items: 1, complete: true, fetchedAt: '2026-01-01T00:00:00.000Z', sha256: sha(n) });
const members = ref(1, '/api/0/organizations/acme/members/');
const finding = (i: number, evidence: EvidenceRef[]): Finding => ({
  control: '1.2',
  check: '1.2.member-2fa',
  level: 'L1',
  status: 'fail',
  resource: { type: 'member', id: String(i), name: `m${i}` },
  message: 'no 2FA',
  evidence,
});

describe('groupSharedReads', () => {
  it('cites a read many findings share through one group, keeps each finding\'s own reads, and loses no read', () => {
    const findings = Array.from({ length: 10 }, (_, i) => finding(i, [members, ref(100 + i, `/api/0/organizations/acme/members/${i}/`)]));
    const { findings: out, evidenceGroups } = groupSharedReads(findings, []);
    expect(evidenceGroups).toEqual([{ id: evidenceGroupId([sha(1)]), label: 'shared reads: members/', reads: [sha(1)], complete: true }]);
    const groups = new Map(evidenceGroups.map((g) => [g.id, g]));
    out.forEach((f, i) => {
      expect(f.evidence.map((e) => e.sha256)).toEqual([sha(100 + i)]);
      expect(findingReadDigests(f, groups).sort()).toEqual(findingReadDigests(findings[i]!, new Map()).sort());
    });
    expect(evidenceGroupProblems('here', evidenceGroups, new Set([sha(1)]), out)).toEqual([]);
  });

  it('leaves findings alone when no read is shared widely', () => {
    const findings = [finding(1, [members]), finding(2, [members])];
    expect(groupSharedReads(findings, []).findings).toEqual(findings);
  });

  it('verify names a group whose id does not match its reads, an unlisted read, and a finding citing an unknown group', () => {
    const findings = Array.from({ length: 8 }, (_, i) => finding(i, [members]));
    const { findings: out, evidenceGroups } = groupSharedReads(findings, []);
    const forged = evidenceGroups.map((g) => ({ ...g, reads: [sha(2)] }));
    const problems = evidenceGroupProblems('report.json: in the audit', forged, new Set([sha(1)]), out);
    expect(problems.join('\n')).toMatch(/is not named by its reads/);
    expect(problems.join('\n')).toMatch(/cites a read \(000000000000…\) that is not listed/);
    expect(evidenceGroupProblems('x', [], new Set(), out).join('\n')).toMatch(/cites an evidence group .* not listed in evidenceGroups/);
  });
});

import { describe, expect, it } from 'vitest';
import { compactGroupRefs, expandGroupRefs, parseReportFile } from '../../../core/evidence/report-file';
import { groupSharedReads } from '../../../core/evidence/shared-reads';
import { buildSampleEvidenceReport } from '../../helpers/report-fixture';

describe('report.json as a file (layout 3: group ids)', () => {
  // Reads cited by two findings or more become groups, so the sample has references to compact.
  const base = buildSampleEvidenceReport();
  const grouped = groupSharedReads(base.findings, base.evidenceGroups ?? [], 2);
  const sample = { ...base, findings: grouped.findings, evidenceGroups: grouped.evidenceGroups };
  const cited = sample.findings.filter((f) => (f.evidenceGroups ?? []).length > 0);

  it('writes the groups of a finding as ids and reads them back as the same references', () => {
    expect(cited.length).toBeGreaterThan(0);
    const text = JSON.stringify(sample, compactGroupRefs);
    const json = JSON.parse(text) as { findings: { evidenceGroups?: unknown[] }[]; evidenceGroups: { reads: unknown[] }[] };
    for (const f of json.findings) for (const g of f.evidenceGroups ?? []) expect(g).toMatch(/^[0-9a-f]{64}$/);
    // The group table keeps its reads: only references are compacted.
    expect(json.evidenceGroups.every((g) => Array.isArray(g.reads))).toBe(true);
    expect(text.length).toBeLessThan(JSON.stringify(sample).length);
    const parsed = parseReportFile(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.report.findings).toEqual(sample.findings);
  });

  it('leaves whole references (layouts 1 and 2) as they are', () => {
    const json = JSON.parse(JSON.stringify(sample));
    expandGroupRefs(json);
    expect(json).toEqual(JSON.parse(JSON.stringify(sample)));
  });

  it('marks an id no group has, so verification can name it', () => {
    const json = JSON.parse(JSON.stringify(sample, compactGroupRefs)) as { findings: { evidenceGroups?: unknown[] }[] };
    const f = json.findings.find((x) => (x.evidenceGroups ?? []).length > 0)!;
    f.evidenceGroups = ['e'.repeat(64)];
    expandGroupRefs(json);
    expect(f.evidenceGroups).toEqual([{ id: 'e'.repeat(64), label: 'not listed in evidenceGroups', size: 0, complete: false }]);
  });

  it('says why a file is not a report, without a schema dump', () => {
    expect(parseReportFile('{"kind":')).toMatchObject({ ok: false, reason: expect.stringMatching(/^not valid JSON/) });
    const bad = parseReportFile('{"kind":"x"}');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason).toMatch(/^not an evidence report \([^\n]{1,200}\)$/);
  });

  it('checks every finding, read and response on its own, naming the one that is wrong', () => {
    const json = JSON.parse(JSON.stringify(sample, compactGroupRefs)) as { findings: { status: unknown }[]; responses: { sha256: unknown }[]; before: { findings: { status: unknown }[] } };
    json.findings[3]!.status = 'great';
    const bad = parseReportFile(JSON.stringify(json));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason).toMatch(/^not an evidence report \(findings\.3\.status: /);
    json.findings[3]!.status = 'pass';
    json.responses[1]!.sha256 = 'not a digest';
    const worse = parseReportFile(JSON.stringify(json));
    if (!worse.ok) expect(worse.reason).toMatch(/^not an evidence report \(responses\.1\.sha256: /);
    expect(worse.ok).toBe(false);
    json.responses[1]!.sha256 = 'a'.repeat(64);
    json.before.findings[0]!.status = 7;
    const before = parseReportFile(JSON.stringify(json));
    if (!before.ok) expect(before.reason).toMatch(/^not an evidence report \(before\.findings\.0\.status: /);
    expect(before.ok).toBe(false);
  });
});

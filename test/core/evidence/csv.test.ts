import { describe, expect, it } from 'vitest';
import { csvField, FINDINGS_CSV_COLUMNS, FINDINGS_CSV_COLUMNS_V1, renderFindingsCsv } from '../../../core/evidence/csv';
import { buildSampleEvidenceReport } from '../../helpers/report-fixture';
import { EvidenceReportSchema } from '../../../shared/evidence';
import { parseCsv, records } from '../../helpers/csv-reader';

describe('parseCsv (the test reader)', () => {
  it('rejects what is not RFC 4180', () => {
    expect(() => parseCsv('a,b\n')).toThrow(/bare LF/);
    expect(() => parseCsv('a,"b\r\n')).toThrow(/unterminated/);
    expect(() => parseCsv('a,b"c\r\n')).toThrow(/quote inside/);
    expect(() => parseCsv('a,b')).toThrow(/CRLF/);
    expect(parseCsv('a,"b ""c"", d\r\ne"\r\n')).toEqual([['a', 'b "c", d\r\ne']]);
  });
});

describe('renderFindingsCsv', () => {
  const report = buildSampleEvidenceReport();

  it('has the header and one row per finding of both audits, before first', () => {
    const text = renderFindingsCsv(report);
    const [header] = parseCsv(text);
    expect(header).toEqual([...FINDINGS_CSV_COLUMNS]);
    const rows = records(text);
    expect(rows).toHaveLength(report.before!.findings.length + report.findings.length);
    expect(rows.slice(0, report.before!.findings.length).every((r) => r.phase === 'before')).toBe(true);
    expect(rows.slice(report.before!.findings.length).every((r) => r.phase === 'after')).toBe(true);
    const after = rows.filter((r) => r.phase === 'after');
    after.forEach((r, i) => {
      const f = report.findings[i]!;
      expect(r).toMatchObject({ control: f.control, check: f.check, level: f.level, status: f.status, resource_type: f.resource.type, resource_id: f.resource.id, message: f.message });
      expect(r.evidence_sha256).toBe(f.evidence.map((e) => e.sha256).join(';'));
    });
  });

  it('carries the mappings, evidence hashes and active exceptions', () => {
    const rows = records(renderFindingsCsv(report));
    const owner = rows.find((r) => r.phase === 'after' && r.check === '2.3.owner-count')!;
    expect(owner.exception).toBe('EX-0001');
    expect(rows.find((r) => r.phase === 'before' && r.check === '2.3.owner-count')!.exception).toBe('');
    // EX-0002 has expired: it no longer counts.
    expect(rows.find((r) => r.phase === 'after' && r.check === '3.2.key-age')!.exception).toBe('');
    const saml = rows.find((r) => r.phase === 'after' && r.check === '1.1.saml-provider')!;
    expect(saml).toMatchObject({ cis: '6.3;12.5', nist: 'IA-2;IA-8', soc2: 'CC6.1' });
    const samlFinding = report.findings.find((f) => f.check === '1.1.saml-provider')!;
    expect(saml.evidence_sha256!.split(';')).toEqual(samlFinding.evidence.map((e) => e.sha256));
  });

  it('names evidence by hash only, without the repeated request texts (issue 10), and keeps the remediation on failing rows (issue 12)', () => {
    const rows = records(renderFindingsCsv(report));
    expect(rows.find((r) => r.status === 'fail')!.remediation).toMatch(/^1\. /);
    expect(rows.find((r) => r.status === 'pass')!.remediation).toBe('');
    expect(Object.keys(rows[0]!)).not.toContain('evidence_endpoints');
    const text = renderFindingsCsv(report);
    const saml = records(text).find((r) => r.phase === 'after' && r.check === '1.1.saml-provider')!;
    for (const v of Object.values(saml)) expect(v).not.toContain('auth-provider/');
  });

  it('renders a package made before layout 2 with the columns it was written with', () => {
    const legacy = { ...report, evidenceSchemaVersion: undefined };
    const text = renderFindingsCsv(legacy);
    expect(parseCsv(text)[0]).toEqual([...FINDINGS_CSV_COLUMNS_V1]);
    const rows = records(text);
    const saml = rows.find((r) => r.check === '1.1.saml-provider')!;
    expect(saml.evidence_endpoints).toBe('GET /api/0/organizations/acme-robotics/;GET /api/0/organizations/acme-robotics/auth-provider/');
    const audit = rows.find((r) => r.check === '4.1.audit-log-readable')!;
    expect(audit.evidence_endpoints).toBe('GET /api/0/organizations/acme-robotics/audit-logs/?start=2024-12-04T09%3A12%3A05Z');
    const owner = rows.find((r) => r.phase === 'after' && r.check === '2.3.owner-count')!;
    const texts = report.catalogTexts!.controls.find((c) => c.id === '2.3')!;
    expect(owner.remediation).toBe(texts.manualSteps.map((step, i) => `${i + 1}. ${step}`).join(' '));
    // A passing finding needs no remediation.
    expect(rows.find((r) => r.phase === 'after' && r.check === '2.1.open-membership')!.remediation).toBe('');
    expect(rows.filter((r) => r.phase === 'after').map((r) => r.evidence_sha256)).toEqual(records(renderFindingsCsv(report)).filter((r) => r.phase === 'after').map((r) => r.evidence_sha256));
  });

  it('carries the check title, section, attestation and who accepted the risk, why and until when', () => {
    const rows = records(renderFindingsCsv(report));
    const owner = rows.find((r) => r.phase === 'after' && r.check === '2.3.owner-count')!;
    const texts = report.catalogTexts!.controls.find((c) => c.id === '2.3')!;
    expect(owner).toMatchObject({
      section: '2',
      control_title: texts.title,
      check_title: texts.checks.find((k) => k.id === '2.3.owner-count')!.title,
      exception: 'EX-0001',
      exception_owner: 'Dana Okafor (Head of Platform)',
      exception_approved_by: 'Priya Raman (CISO)',
      exception_reason: report.exceptions[0]!.reason,
      exception_until: '2025-06-30T00:00:00Z',
    });
    // Attestations belong to the session: on the final audit's rows of their control.
    const idp = rows.filter((r) => r.check === '1.1.idp-setup');
    expect(idp.find((r) => r.phase === 'after')!.attestation).toContain('AT-0001 by Priya Raman (CISO) at 2025-03-04T08:55:00Z: Okta enforces');
    expect(idp.find((r) => r.phase === 'before')!.attestation).toBe('');
  });

  it('marks the rows of a before-only package as audit', () => {
    const only = buildSampleEvidenceReport({ withChanges: false });
    const rows = records(renderFindingsCsv(only));
    expect(rows).toHaveLength(only.findings.length);
    expect(new Set(rows.map((r) => r.phase))).toEqual(new Set(['audit']));
    expect(rows.find((r) => r.check === '2.3.owner-count')!.exception).toBe('EX-0001');
  });

  it('round-trips quotes, commas and line breaks, and defuses formulas', () => {
    const base = buildSampleEvidenceReport({ withChanges: false });
    const tricky = [
      'He said "no", then left,\r\nand a second line\nand a third',
      '=HYPERLINK("http://evil.example","click")',
      '+1+2',
      '-2+3',
      '@SUM(A1:A2)',
      '\tTabbed',
      '\rCarriage',
      'plain, with comma',
      'ünïcödé “quotes” 日本',
    ];
    const report = EvidenceReportSchema.parse({
      ...base,
      findings: tricky.map((t, i) => ({ ...base.findings[0]!, message: t, resource: { type: 'member', id: String(i), name: t } })),
    });
    const text = renderFindingsCsv(report);
    const rows = records(text);
    const expected = (t: string) => (/^[=+\-@\t\r]/.test(t) ? `'${t}` : t);
    expect(rows.map((r) => r.message)).toEqual(tricky.map(expected));
    expect(rows.map((r) => r.resource_name)).toEqual(tricky.map(expected));
    // No field of any row starts with a formula character.
    for (const r of rows) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('quotes only what needs quoting', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('=1,2')).toBe('"\'=1,2"');
    expect(csvField('')).toBe('');
  });

  it('defuses a formula after a line break or whitespace (issue 9)', () => {
    for (const v of ['\n=HYPERLINK("http://evil.example")', '\n+1', '\n-1+2', '\n@SUM(A1)', '\r\n=1', ' =1+1', '\u00a0@x', '\uff1dcmd']) {
      expect(csvField(v).replace(/^"/, '')).toMatch(/^'/);
    }
    expect(csvField('a\n=1')).toBe('"a\n=1"');
    expect(csvField('- a list item')).toBe("'- a list item");
  });
});

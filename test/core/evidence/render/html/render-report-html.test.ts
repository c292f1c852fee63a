import { describe, expect, it } from 'vitest';
import { CONTROLS } from '../../../../../core/controls/index';
import { escapeHtml, REPORT_SECTIONS, renderReportHtml, STATUS_COLORS } from '../../../../../core/evidence/render/html/index';
import { buildSampleEvidenceReport } from '../../../../helpers/report-fixture';
import { EvidenceReportSchema, SIGNATURE_DISCLAIMER } from '../../../../../shared/evidence';
import type { EvidenceReport } from '../../../../../shared/evidence';
import { countByStatus } from '../../../../../shared/finding';
import { checkStructure, text } from '../../../../helpers/html-structure';

const SIGNATURE = { fingerprint: 'SHA256:4f1c0e9a2b7d3c5e8f6a2d4b1c7e9f0a3b5d7c9e1f2a4b6c8d0e2f4a6b8c0d2e', keyid: '4f1c0e9a2b7d3c5e' };
describe('buildSampleEvidenceReport', () => {
  it('is a valid, self-consistent report of the size asked for', () => {
    for (const r of [buildSampleEvidenceReport(), buildSampleEvidenceReport({ withChanges: false, findings: 250 }), buildSampleEvidenceReport({ withDrift: true })]) {
      expect(EvidenceReportSchema.parse(r)).toEqual(r);
      for (const audit of [r, ...(r.before ? [r.before] : [])]) {
        const reads = new Set(audit.reads.map((x) => x.sha256));
        for (const f of audit.findings) for (const e of f.evidence) expect(reads).toContain(e.sha256);
        const responses = new Set(audit.responses.map((x) => x.sha256));
        for (const read of audit.reads) for (const p of read.responses) expect(responses).toContain(p.sha256);
      }
      expect(r.summary.counts).toEqual(countByStatus(r.findings));
      for (const c of r.controls) expect(c.counts).toEqual(countByStatus(r.findings.filter((f) => f.control === c.id)));
    }
    expect(buildSampleEvidenceReport({ withChanges: false, findings: 250 }).findings).toHaveLength(250);
    expect(buildSampleEvidenceReport()).toEqual(buildSampleEvidenceReport());
  });
});

describe('renderReportHtml', () => {
  const report = buildSampleEvidenceReport();
  const html = renderReportHtml(report, { signature: SIGNATURE, generatedAt: '2025-03-04T09:30:00Z' });

  it('is one well-formed document with unique ids and in-page links that resolve', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    const s = checkStructure(html);
    expect(s.tags.filter((t) => t === 'html')).toHaveLength(1);
    expect(s.tags.filter((t) => t === 'h1')).toHaveLength(1);
    expect(new Set(s.ids).size).toBe(s.ids.length);
    const ids = new Set(s.ids);
    for (const h of s.hrefs.filter((x) => x.startsWith('#'))) expect(ids, h).toContain(h.slice(1));
    // Tables have header cells; charts are images with a text alternative.
    expect(html.match(/<table/g)!.length).toBe(html.match(/<thead>/g)!.length);
    const svgs = [...html.matchAll(/<svg id="chart-[^"]*"[^>]*>/g)].map((m) => m[0]);
    expect(svgs).toHaveLength(REPORT_SECTIONS.length);
    for (const svg of svgs) expect(svg).toMatch(/role="img" aria-label="Section [^"]+: [^"]*\d+ pass/);
  });

  it('renders the same bytes for the same report', () => {
    expect(renderReportHtml(report, { signature: SIGNATURE, generatedAt: '2025-03-04T09:30:00Z' })).toBe(html);
  });

  it('has a cover with the organization, dates in UTC, operator, level and signature, and never a token', () => {
    const cover = html.slice(html.indexOf('<header class="cover"'), html.indexOf('</header>'));
    expect(cover).toContain('<h1>Acme Robotics</h1>');
    expect(cover).toContain('<code>acme-robotics</code>');
    expect(cover).toContain('https://sentry.io');
    expect(cover).toContain('2025-03-04 09:12:05 UTC');
    expect(cover).toContain('2025-03-04 09:23:44 UTC');
    expect(cover).toContain('it-admin@acme-robotics.example');
    expect(cover).toContain('personal user token');
    for (const scope of report.token.scopes) expect(cover).toContain(`<code>${scope}</code>`);
    expect(cover).toContain('L2');
    expect(cover).toContain(SIGNATURE.fingerprint);
    expect(cover).toContain(SIGNATURE.keyid);
    expect(cover).toContain('2025-03-04 09:30:00 UTC');
    expect(cover).toContain(escapeHtml(SIGNATURE_DISCLAIMER));
    expect(html).not.toMatch(/sntry[usa]_|Bearer /);

    const unsigned = renderReportHtml(report, { signature: null });
    expect(unsigned.slice(0, unsigned.indexOf('</header>'))).toContain('<strong>unsigned</strong>');
    expect(unsigned).not.toContain(SIGNATURE.fingerprint);
  });

  it('has every part of the package: scorecard, findings per section and control, changes, registers, review, disclaimer', () => {
    for (const id of ['cover', 'scorecard', 'findings', 'changes', 'exceptions', 'attestations', 'integration-register', 'review', 'evidence-register', 'about']) {
      expect(html, id).toContain(`id="${id}"`);
    }
    const t = text(html);
    for (const s of REPORT_SECTIONS) expect(t).toContain(`${s.id} ${escapeHtml(s.title)}`);
    for (const c of CONTROLS) {
      expect(html, c.id).toContain(`id="control-${c.id.replace(/\./g, '-')}"`);
      expect(html).toContain(escapeHtml(c.title));
    }
    // Mappings of a control, by framework.
    const c32 = html.slice(html.indexOf('id="control-3-2"'), html.indexOf('id="control-3-3"'));
    expect(c32).toMatch(/<dt>SOC 2<\/dt><dd>CC6\.7<\/dd><dt>NIST 800-53<\/dt><dd>SC-12<\/dd><dt>CIS Controls v8<\/dt><dd>3\.11<\/dd>/);
    // Every finding of both audits, with its message.
    for (const f of [...report.findings, ...report.before!.findings]) expect(html).toContain(escapeHtml(f.message));
    // Manual steps where the control has manual findings.
    const c11 = html.slice(html.indexOf('id="control-1-1"'), html.indexOf('id="control-1-2"'));
    expect(c11).toContain('Manual steps in Sentry');
    for (const step of CONTROLS.find((c) => c.id === '1.1')!.manualSteps) expect(c11).toContain(escapeHtml(step));
    // Change log: request, before -> after, outcome.
    const changes = html.slice(html.indexOf('id="changes"'), html.indexOf('id="exceptions"'));
    for (const c of report.changes) {
      expect(changes).toContain(`<code>${c.id}</code>`);
      expect(changes).toContain(`${c.request.method} ${c.request.path}`);
    }
    expect(changes).toContain('openMembership: true</code><br>→ <code>openMembership: false');
    for (const label of ['Applied', 'Declined', 'Failed', 'Not effective']) expect(changes).toContain(`>${label}</span>`);
    // Exceptions: active and expired, with rationale and approver; findings carry the layer.
    const exc = html.slice(html.indexOf('id="exceptions"'), html.indexOf('id="attestations"'));
    expect(exc).toMatch(/EX-0001[\s\S]*Priya Raman \(CISO\)[\s\S]*2025-06-30[\s\S]*>Active</);
    expect(exc).toMatch(/EX-0002[\s\S]*>Expired</);
    expect(html).toContain('accepted risk until 2025-06-30');
    expect(html).toContain('expired 2025-01-31: no longer counts');
    for (const a of report.attestations) expect(html).toContain(escapeHtml(a.statement));
    for (const i of report.integrationRegister) expect(html).toContain(escapeHtml(i.rationale));
    expect(html.slice(html.indexOf('id="review"'))).toContain('<strong>2025-06-02</strong>, 90 days');
    expect(html.slice(html.indexOf('id="about"'))).toContain(escapeHtml(report.disclaimer));
  });

  it('shows the exception layer, the journal\'s messages and the signer the report names', () => {
    const note = html.slice(html.indexOf('id="exception-summary"'), html.indexOf('</p>', html.indexOf('id="exception-summary"')));
    expect(report.exceptionSummary!.accepted).toBe(1);
    expect(note).toContain(`1 failing finding of the after audit is accepted by an active exception: ${report.summary.counts.fail - 1} fail with exceptions, ${report.summary.counts.fail} without.`);
    expect(note).toContain('1 exception active, 1 expired');
    const changes = html.slice(html.indexOf('id="changes"'), html.indexOf('id="exceptions"'));
    const failed = report.changes.find((c) => c.outcome === 'failed')!;
    expect(changes).toContain(escapeHtml(failed.error!.message));
    expect(changes).toContain(`<code>${failed.error!.code}</code>`);
    expect(changes).toContain('Applied and verified.');
    // Without an explicit signature, the report's own signer is shown; null still means unsigned.
    const signed = { ...report, signer: { keyid: 'a'.repeat(64), fingerprint: 'SHA256:report-signer' } };
    expect(renderReportHtml(signed)).toContain('SHA256:report-signer');
    expect(renderReportHtml(signed, { signature: null })).not.toContain('SHA256:report-signer');
    expect(renderReportHtml(report)).toContain('<strong>unsigned</strong>');
  });

  it('renders drift against a baseline when the report has it, and nothing when not', () => {
    expect(html).not.toContain('id="drift"');
    const withDrift = buildSampleEvidenceReport({ withDrift: true });
    const out = renderReportHtml(withDrift);
    checkStructure(out);
    const drift = out.slice(out.indexOf('id="drift"'), out.indexOf('id="exceptions"'));
    expect(out).toContain('<a href="#drift">Drift since the last review</a>');
    const d = withDrift.drift!;
    expect(drift).toContain(d.baseline.reportSha256);
    expect(drift).toContain(d.baseline.signer!);
    for (const caption of ['Newly failing (1)', 'Regressed: passed at the baseline, failing now (1)', 'Fixed since the baseline (1)', 'Failed at the baseline, no longer reported (1)', 'New integrations (1)', 'New scopes (1)', 'Exceptions expired since the baseline (1)']) {
      expect(drift).toContain(`<caption>${caption}</caption>`);
    }
    expect(drift).toMatch(/3\.2\.allowed-domains[\s\S]*?s-pass">Pass<[\s\S]*?s-fail">Fail</);
    expect(drift).toContain('<code>org:admin</code>');
    const quiet = renderReportHtml({ ...withDrift, drift: { ...d, newlyFailing: [], regressed: [], fixed: [], noLongerReported: [], newIntegrations: [], newScopes: [], expiredExceptions: [] } });
    expect(quiet).toContain('Nothing changed since the baseline.');
  });

  it('links every raw response a finding rests on by relative path', () => {
    const s = checkStructure(html);
    const raw = new Set(s.hrefs.filter((h) => h.startsWith('raw/')));
    for (const h of raw) expect(h).toMatch(/^raw\/[0-9a-f]{64}\.json\.gz$/);
    for (const audit of [report, report.before!]) {
      for (const read of audit.reads) for (const page of read.responses) expect(raw).toContain(`raw/${page.sha256}.json.gz`);
    }
    // A multi-page read shows its digest and links each page.
    const members = report.reads.find((r) => r.pages === 2)!;
    expect(html).toContain(members.sha256);
    expect(members.responses.every((p) => html.includes(`href="raw/${p.sha256}.json.gz"`))).toBe(true);
  });

  it('links raw/ files as a package of layout 2 stored them (uncompressed .json)', () => {
    const older = renderReportHtml({ ...report, evidenceSchemaVersion: 2 });
    const hrefs = [...older.matchAll(/href="(raw\/[^"]+)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const h of hrefs) expect(h).toMatch(/^raw\/[0-9a-f]{64}\.json$/);
    expect(older).not.toContain('.json.gz');
  });

  it('shows one bar per chart for a before-only package and two for before/after', () => {
    const bars = (h: string, label: string) => (h.match(new RegExp(`text-anchor="end" class="lbl">${label}</text>`, 'g')) ?? []).length;
    expect(bars(html, 'Before')).toBe(REPORT_SECTIONS.length);
    expect(bars(html, 'After')).toBe(REPORT_SECTIONS.length);
    const only = renderReportHtml(buildSampleEvidenceReport({ withChanges: false }));
    expect(bars(only, 'Audit')).toBe(REPORT_SECTIONS.length);
    expect(bars(only, 'Before')).toBe(0);
    expect(only).toContain('no change was made');
    checkStructure(only);
  });

  it('draws bar segments in proportion to the counts, in the status colours', () => {
    // Section 2: before 6 pass, 8 fail, 2 manual; after 9 pass, 5 fail, 2 manual (16 findings each).
    const svg = html.match(/<svg id="chart-section-2"[\s\S]*?<\/svg>/)![0];
    const rects = [...svg.matchAll(/<rect x="([\d.]+)" y="(\d+)" width="([\d.]+)" height="\d+" fill="(#[0-9a-f]{6})" data-status="(\w+)" data-count="(\d+)"/g)].map((m) => ({
      y: Number(m[2]),
      width: Number(m[3]),
      fill: m[4],
      status: m[5] as keyof typeof STATUS_COLORS,
      count: Number(m[6]),
    }));
    expect(rects.map((r) => `${r.status}:${r.count}`)).toEqual(['pass:6', 'fail:8', 'manual:2', 'pass:9', 'fail:5', 'manual:2']);
    for (const r of rects) {
      expect(r.fill).toBe(STATUS_COLORS[r.status]);
      expect(r.width).toBeCloseTo((r.count / 16) * 560, 1);
    }
  });

  it('escapes every string from the report: no markup can be injected', () => {
    const evil = '<script>alert(1)</script>';
    const attr = '"><img src=x onerror=alert(2)>';
    const base = buildSampleEvidenceReport();
    const hostile: EvidenceReport = EvidenceReportSchema.parse({
      ...base,
      target: { ...base.target, url: `https://x.example/${attr}`, org: { slug: `acme${attr}`, id: `1'${attr}`, name: `Acme ${evil}` } },
      token: { ...base.token, scopes: [`org:read${evil}`], user: { id: `u${attr}`, email: `x${attr}@example.com`, has2fa: true } },
      level: base.level,
      controls: [...base.controls, { ...base.controls[0]!, id: `9.9${attr}`, title: `Rogue ${evil}`, section: `S${attr}`, mappings: { cis: [evil], nist: [attr], soc2: ['</dd>'] } }],
      findings: [
        ...base.findings.map((f, i) =>
          i === 0
            ? {
                ...f,
                message: `</td></tr></table><iframe src="https://evil.example/"></iframe>${evil}`,
                resource: { type: 'member', id: `m${attr}`, name: `${attr}@example.com` },
                details: { note: evil },
                errorCode: attr,
                evidence: f.evidence.map((e) => ({ ...e, endpoint: `/api/0/${evil}/`, query: { q: attr } })),
              }
            : f,
        ),
        { ...base.findings[1]!, control: `9.9${attr}`, check: `9.9.${evil}`, message: 'rogue control' },
      ],
      changes: base.changes.map((c, i) => (i === 0 ? { ...c, description: evil, field: attr, before: { [attr]: evil }, response: { status: 200, fields: { x: evil } } } : c)),
      exceptions: base.exceptions.map((e, i) => (i === 0 ? { ...e, id: 'EX-x', reason: evil, approvedBy: attr, resource: evil, covers: [...e.covers, evil] } : e)),
      attestations: base.attestations.map((a, i) => (i === 0 ? { ...a, statement: evil, attestedBy: attr } : a)),
      integrationRegister: base.integrationRegister.map((r, i) => (i === 0 ? { ...r, integration: evil, permissions: [attr], owner: evil } : r)),
      settings: { [attr]: evil },
      catalog: base.catalog,
      review: base.review,
      disclaimer: `${base.disclaimer} ${evil}`,
    });
    const out = renderReportHtml(hostile, { signature: { fingerprint: evil, keyid: attr }, generatedAt: base.finishedAt });
    const s = checkStructure(out);
    expect(s.tags).not.toContain('script');
    expect(s.tags).not.toContain('iframe');
    expect(s.tags).not.toContain('img');
    expect(s.attributes.filter((a) => a.startsWith('on'))).toEqual([]);
    expect(out).not.toContain(evil);
    expect(out).toContain('Acme &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;@example.com');
    // Anchors built from hostile ids stay plain.
    for (const id of s.ids) expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    // The rogue control and section are shown, escaped, rather than dropped.
    expect(out).toContain('Rogue &lt;script&gt;');
    expect(out).toContain('rogue control');
  });

  it('references nothing outside the file: no stylesheet, script, font, image or remote link', () => {
    for (const h of [html, renderReportHtml(buildSampleEvidenceReport({ withChanges: false }))]) {
      expect(h).not.toMatch(/<link\b/i);
      expect(h).not.toMatch(/<script\b/i);
      expect(h).not.toMatch(/<(img|iframe|object|embed|video|audio|source)\b/i);
      expect(h).not.toMatch(/@import|@font-face|url\(/i);
      const attrs = [...h.matchAll(/\s(src|href|xlink:href|srcset|action|poster|data)="([^"]*)"/gi)].map((m) => m[2]!);
      expect(attrs.length).toBeGreaterThan(100);
      for (const v of attrs) {
        expect(v).not.toMatch(/^(https?:|\/\/|file:|ftp:|javascript:)/i);
        expect(v).toMatch(/^(#[A-Za-z0-9_-]+|raw\/[0-9a-f]{64}\.json\.gz)$/);
      }
      // URLs of the report appear as text only.
      expect(h).toContain('<span class="url">https://sentry.io</span>');
      // And the browser is told to load nothing even if something slipped in.
      expect(h).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    }
  });
});

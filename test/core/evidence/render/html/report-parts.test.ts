import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../../../../core/evidence/render/html/index';
import { buildSampleEvidenceReport } from '../../../../helpers/report-fixture';
import { checkStructure } from '../../../../helpers/html-structure';

/** What the report says about the session: demo or real, signed or not, who owns an accepted risk, long lists. */

const SIGNER = { keyid: 'a'.repeat(64), fingerprint: 'SHA256:report-signer' };

describe('report.html says exactly what happened', () => {
  it('says "demo organization, simulated data" on the cover of a demo package, and nothing of it otherwise', () => {
    const report = { ...buildSampleEvidenceReport(), signer: SIGNER };
    const demo = renderReportHtml({ ...report, demo: true });
    const cover = demo.slice(demo.indexOf('<header class="cover"'), demo.indexOf('</header>'));
    expect(cover).toContain('Demo organization, simulated data');
    expect(cover).toContain('demo organization, simulated data');
    expect(demo).toMatch(/<title>[^<]*demo organization<\/title>/);
    const real = renderReportHtml(report);
    expect(real.toLowerCase()).not.toContain('simulated data');
  });

  it('shows an unsigned banner exactly when no key signed the package', () => {
    const unsigned = renderReportHtml(buildSampleEvidenceReport());
    const cover = unsigned.slice(0, unsigned.indexOf('</header>'));
    expect(cover).toContain('id="unsigned-banner"');
    expect(cover).toContain('reports it as UNSIGNED');
    expect(renderReportHtml({ ...buildSampleEvidenceReport(), signer: SIGNER })).not.toContain('unsigned-banner');
    // The reason report.json gives (a CI job without a key, say) is on the banner.
    const ci = renderReportHtml({ ...buildSampleEvidenceReport(), unsigned: { reason: 'no signing key in this CI job <env>' } });
    expect(ci.slice(0, ci.indexOf('</header>'))).toContain('Unsigned: no signing key in this CI job &lt;env&gt;. Nothing proves who made this package');
  });

  it('names the risk owner and the approver of each exception, on the finding and in the register', () => {
    const html = renderReportHtml(buildSampleEvidenceReport());
    const exc = html.slice(html.indexOf('id="exceptions"'), html.indexOf('id="attestations"'));
    expect(exc).toContain('<th scope="col">Risk owner</th><th scope="col">Approved by</th>');
    expect(exc).toMatch(/EX-0001[\s\S]*?<td>Dana Okafor \(Head of Platform\)<\/td><td>Priya Raman \(CISO\)<\/td>/);
    // EX-0002 names no owner: the report says so rather than leave a blank.
    expect(exc).toMatch(/EX-0002[\s\S]*?<span class="muted">not named<\/span><\/td><td>Marco Bianchi \(Head of Mobile\)<\/td>/);
    expect(html).toContain('accepted risk until 2025-06-30, risk owner Dana Okafor (Head of Platform)');
  });

  it('groups findings per check with counts, and folds a long check after its first rows', () => {
    const small = renderReportHtml(buildSampleEvidenceReport());
    expect(small).toMatch(/<div class="check"><h5>[^<]*<code>1\.2\.member-2fa<\/code> <span class="lvl">L1<\/span> · <span class="badge s-fail">Fail<\/span> 3<\/h5>/);
    expect(small).not.toContain('<details class="more">');

    const report = buildSampleEvidenceReport({ findings: 6_000 });
    const members = report.findings.filter((f) => f.check === '1.2.member-2fa');
    const big = renderReportHtml(report);
    checkStructure(big);
    const group = big.slice(big.indexOf('<code>1.2.member-2fa</code>'), big.indexOf('</div>', big.indexOf('<details class="more">', big.indexOf('<code>1.2.member-2fa</code>'))));
    expect(group).toContain(`<span class="badge s-fail">Fail</span> ${members.length.toLocaleString('en-US')}</h5>`);
    expect(group.match(/<tr class="finding">/g)).toHaveLength(40);
    const folded = group.slice(group.indexOf('<details class="more">'));
    expect(folded).toContain(`${(members.length - 40).toLocaleString('en-US')} more findings (41 to ${members.length.toLocaleString('en-US')})`);
    // Every member is named once, in a row or in the folded list; the read they share is named once for the list.
    for (const m of members) expect(group).toContain(m.resource.name);
    expect(folded.match(/evidence <a href="#r\d+">R\d+<\/a>/g)).toHaveLength(1);
    // Under 1 KB a finding, evidence register included.
    expect(big.length / report.findings.length).toBeLessThan(1_000);
  });
});

describe('evidence groups of the report', () => {
  it('lists each group once with what it holds, and findings link to it instead of to each read', async () => {
    const { createHash } = await import('node:crypto');
    const base = buildSampleEvidenceReport({ withChanges: false });
    const projectReads = base.reads.filter((r) => /^\/api\/0\/projects\/[^/]+\/[^/]+\/$/.test(r.endpoint));
    expect(projectReads.length).toBe(4);
    const shas = projectReads.map((r) => r.sha256);
    const id = createHash('sha256').update(['evidence-group', ...shas].join('\n')).digest('hex');
    const group = { id, label: 'every project detail', reads: shas, complete: true };
    const missing = { id: 'f'.repeat(64), label: 'a group the report lost', size: 3, complete: true };
    const findings = base.findings.map((f) =>
      f.check === '3.1.project-scrub-ip' ? { ...f, evidence: [], evidenceGroups: [{ id, label: group.label, size: 4, complete: true }, missing] } : f,
    );
    const html = renderReportHtml({ ...base, findings, evidenceGroups: [group] });
    checkStructure(html);
    const check = html.slice(html.indexOf('<code>3.1.project-scrub-ip</code>'));
    const row = check.slice(check.indexOf('<tr class="finding">'));
    const cell = row.slice(0, row.indexOf('</tr>'));
    expect(cell).toMatch(/<a href="#g1">G1<\/a> <span class="muted">every project detail, \(4 reads\)<\/span>/);
    expect(cell).toMatch(/<a href="#g2">G2<\/a> <strong class="warn">incomplete<\/strong>/);
    const sets = html.slice(html.indexOf('id="evidence-sets"'));
    const g1 = sets.slice(sets.indexOf('<tr id="g1">'), sets.indexOf('</tr>', sets.indexOf('<tr id="g1">')));
    expect(g1).toContain('every project detail');
    expect(g1.match(/<a href="#r\d+">R\d+<\/a>/g)).toHaveLength(4);
    const g2 = sets.slice(sets.indexOf('<tr id="g2">'));
    expect(g2).toMatch(/^<tr id="g2"><th scope="row">G2<\/th><td>a group the report lost <strong class="warn">incomplete<\/strong>/);
    expect(g2).toContain('the report lists none of its reads');
  });
});

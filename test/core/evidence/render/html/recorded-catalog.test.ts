import { describe, expect, it } from 'vitest';
import { CONTROLS } from '../../../../../core/controls/index';
import { catalogTexts } from '../../../../../core/evidence/catalog-texts';
import { renderFindingsCsv } from '../../../../../core/evidence/csv';
import { escapeHtml, renderReportHtml } from '../../../../../core/evidence/render/html/index';
import { buildSampleEvidenceReport } from '../../../../helpers/report-fixture';
import { EvidenceReportSchema } from '../../../../../shared/evidence';

/** A package reads the same in every later version: its words come from report.json, not from the build. */

type Mutable = { title: string; rationale: string; manualSteps: string[]; checks: { title: string }[] };

function reword(): () => void {
  const c = CONTROLS.find((x) => x.id === '1.1') as unknown as Mutable;
  const saved = { title: c.title, rationale: c.rationale, manualSteps: c.manualSteps, checks: c.checks };
  c.title = 'Reworded title in a later build';
  c.rationale = 'Reworded rationale in a later build.';
  c.manualSteps = ['Reworded step in a later build.'];
  c.checks = c.checks.map((k) => ({ ...k, title: 'Reworded check title' }));
  return () => Object.assign(c, saved);
}

describe('catalog texts recorded in the package', () => {
  it('renders an old package with the words it recorded, whatever the live catalog says now', () => {
    const report = EvidenceReportSchema.parse(JSON.parse(JSON.stringify(buildSampleEvidenceReport())));
    const recorded = report.catalogTexts!.controls.find((c) => c.id === '1.1')!;
    const before = renderReportHtml(report);
    const restore = reword();
    try {
      // The live catalog did change: a package made now records the new words.
      expect(catalogTexts().controls.find((c) => c.id === '1.1')!.title).toBe('Reworded title in a later build');
      const after = renderReportHtml(report);
      expect(after).toBe(before);
      expect(after).not.toContain('Reworded');
      expect(after).toContain(escapeHtml(recorded.rationale));
      for (const step of recorded.manualSteps) expect(after).toContain(escapeHtml(step));
      for (const k of recorded.checks) if (report.findings.some((f) => f.check === k.id)) expect(after).toContain(escapeHtml(k.title));
      expect(renderFindingsCsv(report)).not.toContain('Reworded');
      expect(renderFindingsCsv(report)).toContain(recorded.title);
    } finally {
      restore();
    }
  });

  it('renders a package made before texts were recorded from its own control summaries, and says so', () => {
    const { catalogTexts: _texts, ...old } = buildSampleEvidenceReport();
    const out = renderReportHtml(old);
    for (const c of old.controls) expect(out).toContain(escapeHtml(c.title));
    expect(out).toContain('not recorded (an older package)');
    // Nothing comes from the live catalog instead.
    for (const c of CONTROLS) expect(out).not.toContain(escapeHtml(c.rationale));
    expect(out).not.toContain('Manual steps in Sentry');
  });
});

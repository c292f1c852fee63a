import { describe, expect, it } from 'vitest';
import { CONTROLS } from '../../../core/controls/index';
import { renderControlCatalog } from '../../../core/controls/catalog-doc';
import { renderReportHtml } from '../../../core/evidence/render/html/document';
import { LEVEL_NAMES, levelLabel } from '../../../shared/levels';
import { LEVEL_CHOICES } from '../../../renderer/steps/level/levels';
import { auditDemo, withDemoSimulator } from '../../helpers/demo-audit';
import { buildSampleEvidenceReport } from '../../helpers/report-fixture';

/**
 * Texts meant for people: one name per level everywhere, no internal id (check ids such as
 * `2.3.owner-count`, change ids such as `c005`) and no command-line syntax in what a finding says.
 */

const INTERNAL_ID = /\b\d\.\d\.[a-z][a-z0-9-]+\b|\bc\d{3,5}\b/;
const CLI_SYNTAX = /--set|--only|--confirm-org|--params/;

describe('words for people', () => {
  it('names each level once: the wizard, the catalog doc and the report use LEVEL_NAMES', () => {
    expect(LEVEL_NAMES).toEqual({ L1: 'Baseline', L2: 'Hardened', L3: 'Strict' });
    expect(LEVEL_CHOICES.map((c) => c.title)).toEqual(['L1: Baseline', 'L2: Hardened', 'L3: Strict']);
    const doc = renderControlCatalog(CONTROLS);
    expect(doc).toContain('Levels: L1 Baseline, L2 Hardened, L3 Strict;');
    expect(doc).not.toMatch(/maximum/i);
    const report = buildSampleEvidenceReport();
    expect(renderReportHtml(report)).toContain(`<dt>Level</dt><dd>${levelLabel(report.level)} <span`);
  });

  it('what a demo audit at L3 says holds no internal id and no command-line syntax', async () => {
    const { report } = await withDemoSimulator({}, (sim) => auditDemo(sim, { level: 'L3' }));
    expect(report.findings.length).toBeGreaterThan(50);
    for (const f of report.findings) {
      expect(f.message.match(INTERNAL_ID)?.[0] ?? null, `${f.check}: ${f.message}`).toBeNull();
      expect(f.message, f.check).not.toMatch(CLI_SYNTAX);
    }
    for (const c of CONTROLS) {
      for (const text of [c.rationale, ...c.manualSteps]) {
        expect(text.match(INTERNAL_ID)?.[0] ?? null, `${c.id}: ${text}`).toBeNull();
        expect(text, c.id).not.toMatch(CLI_SYNTAX);
      }
    }
    // "The plan includes SAML SSO" says which plan: Sentry's subscription.
    const sso = report.findings.filter((f) => f.control === '1.1' && /plan/.test(f.message));
    for (const f of sso) expect(f.message, f.message).toMatch(/Sentry subscription plan/);
  }, 60_000);
});

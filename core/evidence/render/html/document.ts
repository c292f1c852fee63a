import type { EvidenceReport } from '../../../../shared/evidence';
import { aboutSection, reviewSection } from './about';
import { changeLog } from './change-log';
import { buildContext } from './context';
import type { RenderReportHtmlOptions } from './context';
import { cover, toc } from './cover';
import { driftSection } from './drift';
import { findingsSection } from './findings';
import { evidenceRegisterSection } from './register';
import { attestationsSection, exceptionsSection, integrationRegisterSection } from './registers';
import { html } from './safe-html';
import { scorecard } from './scorecard';
import { STYLES } from './styles';

/**
 * The policy report.html carries in its own `<meta>`: nothing loads, no script runs. Web mode
 * serves the file with the same policy as a header (core/app/report-routes.ts).
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
/** The `<meta>` element that carries REPORT_CSP, exactly as written into report.html (a test holds the two equal). */
export const REPORT_CSP_META = `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`;

/**
 * `report.html` of an evidence package: one self-contained page (inline CSS and SVG, no script,
 * no font or image from anywhere) that a person reads on screen or prints to PDF. It leads with
 * the summary, groups findings per check, lists each read once, and folds long lists. Links point
 * only inside the page or to the package's own `raw/<sha256>.json` files, by relative path.
 *
 * Pure: a function of report.json alone (no clock, no environment, no live catalog), so
 * `verify` can render it again and compare byte for byte.
 */
export function renderReportHtml(report: EvidenceReport, opts: RenderReportHtmlOptions = {}): string {
  const ctx = buildContext(report, opts);
  const title = `Sentry hardening evidence: ${report.target.org.name} (${report.target.org.slug})${report.demo ? ', demo organization' : ''}`;
  // The findings are rendered before the register so that reads a finding names but the report's
  // `reads` lack still get an entry, and evidence sets are known.
  const main = html`${scorecard(ctx)}
${findingsSection(ctx)}
${changeLog(ctx)}
${driftSection(ctx)}
${exceptionsSection(ctx)}
${attestationsSection(ctx)}
${integrationRegisterSection(ctx)}
${reviewSection(ctx)}`;
  const tail = html`${evidenceRegisterSection(ctx)}
${aboutSection(ctx)}`;
  // Nothing may load from anywhere: the page is complete as it is, and stays private when opened.
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${`${report.tool.name} ${report.tool.version}`}">
<title>${title}</title>
<style>${STYLES}</style>
</head>
<body>
${cover(ctx)}
${toc(ctx)}
<main>
${main}
${tail}
</main>
<footer>${title}. ${report.disclaimer}</footer>
</body>
</html>
`;
  return page.toString();
}

import { FINDING_STATUSES } from '../../../../shared/finding';
import { STATUS_COLORS } from './format';
import { html } from './safe-html';
import type { SafeHtml } from './safe-html';

/**
 * The report's stylesheet, inlined into its one <style> (the page loads nothing). Kept apart from
 * the markup; a module rather than a .css file so tsx, the built CLI and the Electron bundle all
 * carry it without reading a file at run time. Table headers never break a word (print included).
 */
export const STYLES: SafeHtml = html`
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 1100px; padding: 24px 32px 48px; color: #1f2328; background: #fff;
  font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
h1 { font-size: 30px; margin: 4px 0 6px; }
h2 { font-size: 22px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #1f2328; }
h3 { font-size: 17px; margin: 22px 0 8px; }
h4 { font-size: 15px; margin: 18px 0 6px; }
h5 { font-size: 13px; margin: 12px 0 4px; }
code, .sha, .url { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
.sha, code { overflow-wrap: anywhere; }
a { color: #0b57c4; }
.muted { color: #57606a; }
.warn { color: #b3261e; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.cover { border-bottom: 2px solid #1f2328; padding-bottom: 16px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; color: #57606a; margin: 0; font-size: 12px; }
.slug { margin: 0 0 4px; } .kind { margin: 0 0 12px; font-weight: 600; }
.banner { border: 2px solid #a15c00; background: #fff6e5; padding: 8px 12px; margin: 10px 0; font-weight: 600; }
.banner.unsigned { border-color: #b3261e; background: #fdecea; }
dl.facts { display: grid; grid-template-columns: 150px 1fr; gap: 4px 16px; margin: 12px 0; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.disclaimer { border-left: 4px solid #2f5fa7; background: #f3f6fb; padding: 8px 12px; }
nav.toc ol { margin: 4px 0; } nav.toc li { margin: 2px 0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 8px 0 12px; }
th, td { border: 1px solid #d0d7de; padding: 4px 6px; text-align: left; vertical-align: top; }
td { overflow-wrap: break-word; }
th { word-break: normal; overflow-wrap: normal; hyphens: manual; }
.nb { white-space: nowrap; }
thead th { background: #eef1f4; font-size: 12px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.summary { width: auto; min-width: 360px; table-layout: auto; }
tr.total th, tr.total td { font-weight: 700; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; white-space: nowrap; }
${FINDING_STATUSES.map((s) => html`.s-${s} { background: ${STATUS_COLORS[s]}; }
`)}
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0; margin: 12px 0; }
.legend li { display: flex; align-items: center; gap: 6px; }
figure.chart { margin: 8px 0 18px; }
figure.chart h3 { margin: 12px 0 4px; }
svg.bars { width: 100%; height: auto; max-width: 720px; display: block; }
svg.bars .lbl { font: 12px -apple-system, "Segoe UI", Roboto, Arial, "Liberation Sans", sans-serif; fill: #1f2328; }
svg.bars .muted-fill { fill: #57606a; }
svg.bars .seg { font: 600 12px -apple-system, "Segoe UI", Roboto, Arial, "Liberation Sans", sans-serif; fill: #fff; }
.note { font-size: 13px; color: #3d444d; }
.control { border-top: 1px solid #d0d7de; padding-top: 4px; }
.cid { font-family: ui-monospace, Menlo, Consolas, "Liberation Mono", monospace; margin-right: 4px; }
.lvl { display: inline-block; border: 1px solid #8c959f; border-radius: 4px; padding: 0 4px; font-size: 11px; color: #3d444d; font-weight: 600; }
dl.mappings { display: flex; flex-wrap: wrap; gap: 2px 8px; margin: 4px 0; font-size: 13px; }
dl.mappings dt { font-weight: 600; } dl.mappings dd { margin: 0 12px 0 0; }
.rationale { font-size: 13px; }
.check h5 code { font-weight: 400; }
.ccounts { margin: 2px 0 4px; }
.rtype { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #57606a; }
table.findings, table.changes, table.register, table.exceptions, table.drift, table.sets { font-size: 12.5px; }
.ev + .ev { margin-top: 3px; }
.ev { font-size: 11.5px; } .ev code { font-size: 11px; } .rawfile, table.register .sha { font-size: 11px; }
table.changes code { font-size: 11px; }
.details code, code.body, code.rid { font-size: 11px; color: #3d444d; }
tr.gone td { background: #fafbfc; }
tr.undone td { background: #fafbfc; }
.was { margin-top: 4px; padding-top: 3px; border-top: 1px dotted #d0d7de; font-size: 12px; }
.exc { font-size: 11.5px; margin-top: 3px; } .exc.expired { color: #b3261e; }
.risk { font-size: 11px; color: #b3261e; font-weight: 600; }
.steps { background: #f6f8fa; border: 1px solid #d0d7de; padding: 4px 12px; margin: 6px 0 10px; font-size: 13px; }
details.more { margin: 4px 0 12px; border: 1px solid #d0d7de; padding: 4px 8px; }
details.more > summary { cursor: pointer; font-weight: 600; font-size: 13px; }
.names { font-size: 12px; margin: 4px 0; }
ol.reads { font-size: 11.5px; padding-left: 0; list-style: none; overflow-wrap: anywhere; }
.names a { text-decoration: none; }
dl.settings { display: grid; grid-template-columns: 220px 1fr; gap: 2px 12px; font-size: 13px; }
dl.settings dd { margin: 0; overflow-wrap: anywhere; }
.review-date { font-size: 16px; }
footer { margin-top: 32px; font-size: 12px; color: #57606a; border-top: 1px solid #d0d7de; padding-top: 6px; }
/* Long pages: the browser lays out and paints a control or a table only when it comes near the screen. */
@media screen {
  section.control, table.register, table.sets, table.changes { content-visibility: auto; contain-intrinsic-size: auto 600px; }
}
@page { margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  table.findings, table.changes, table.register, table.exceptions, table.counts, table.attestations, table.integrations, table.sets, table.drift { font-size: 8.5pt; }
  thead th { font-size: 8pt; padding: 3px 4px; }
  code, .sha, .url { font-size: 8pt; }
  .ev, .ev code, .rawfile, table.register .sha, table.changes code, .details code, code.body, code.rid { font-size: 7.5pt; }
  .badge { font-size: 8pt; }
  a { color: inherit; text-decoration: none; }
  nav.toc { break-after: page; }
  section.page { break-before: page; }
  h2, h3, h4, h5, caption { break-after: avoid; }
  thead { display: table-header-group; }
  tr, figure.chart, .disclaimer, .steps, dl.mappings, .banner { break-inside: avoid; }
  .control > h4 { break-before: auto; }
}
`;

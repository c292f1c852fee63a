import { csvRow } from '../evidence/csv';
import { html, joinHtml } from '../evidence/render/html/safe-html';
import type { SafeHtml } from '../evidence/render/html/safe-html';
import type { PortfolioEntry } from './portfolio';

/** Columns of portfolio.csv: summary fields only, one row per saved organization. */
export const PORTFOLIO_CSV_COLUMNS = [
  'label',
  'organization',
  'host',
  'last_package_state',
  'last_audit_at',
  'last_audit_level',
  'pass',
  'fail',
  'error',
  'manual',
  'not_applicable',
  'exceptions_open',
  'exceptions_expiring_30d',
  'exceptions_expired',
  'next_review',
  'review_overdue',
  'drift_newly_failing',
  'drift_regressed',
  'drift_fixed',
  'drift_against',
] as const;

function cells(e: PortfolioEntry): string[] {
  const p = e.lastPackage;
  const valid = p.state === 'valid' ? p : null;
  const n = (v: number | undefined): string => (v === undefined ? '' : String(v));
  return [
    e.label,
    e.orgSlug,
    e.host,
    p.state,
    valid?.finishedAt ?? '',
    valid?.level ?? '',
    n(valid?.counts.pass),
    n(valid?.counts.fail),
    n(valid?.counts.error),
    n(valid?.counts.manual),
    n(valid?.counts.not_applicable),
    String(e.exceptions.open),
    String(e.exceptions.expiringSoon),
    String(e.exceptions.expired),
    e.review?.nextReviewDate.slice(0, 10) ?? '',
    e.review ? (e.review.overdue ? 'yes' : 'no') : '',
    n(valid?.drift?.newlyFailing),
    n(valid?.drift?.regressed),
    n(valid?.drift?.fixed),
    valid?.drift ? (valid.drift.against === 'previous' ? 'previous package' : 'baseline') : '',
  ];
}

export function renderPortfolioCsv(entries: readonly PortfolioEntry[]): string {
  return [csvRow([...PORTFOLIO_CSV_COLUMNS]), ...entries.map((e) => csvRow(cells(e)))].join('');
}

function packageText(e: PortfolioEntry): string {
  const p = e.lastPackage;
  switch (p.state) {
    case 'none':
      return 'No signed package yet';
    case 'missing':
      return 'Last package not found';
    case 'invalid':
      return `Last package does not verify: ${p.reason}`;
    case 'valid':
      return `${p.finishedAt.slice(0, 10)}, level ${p.level}`;
  }
}

// Literal CSS, as program markup (the template escapes values, never its own literals).
const STYLE = html`body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d1d1f}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccd;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f1f2f6;word-break:normal;overflow-wrap:normal;hyphens:manual}td.num{text-align:right}
.overdue{color:#a40000;font-weight:600}.bad{color:#a40000}@media print{body{margin:0}}`;

function driftText(e: PortfolioEntry): string {
  const v = e.lastPackage.state === 'valid' ? e.lastPackage : null;
  if (!v) return '';
  if (!v.drift) return v.driftNote ?? 'First signed package: nothing to compare';
  const since = v.drift.against === 'previous' ? 'the previous package' : 'its baseline';
  return `${v.drift.newlyFailing} newly failing, ${v.drift.regressed} regressed, ${v.drift.fixed} fixed (since ${since})`;
}

function row(e: PortfolioEntry): SafeHtml {
  const c = e.lastPackage.state === 'valid' ? e.lastPackage.counts : undefined;
  const num = (x: number | undefined): SafeHtml => html`<td class="num">${x}</td>`;
  const review = e.review
    ? html`<span class="${e.review.overdue ? 'overdue' : ''}">${e.review.nextReviewDate.slice(0, 10)}${e.review.overdue ? ' (overdue)' : ''}</span>`
    : 'Not scheduled';
  const bad = e.lastPackage.state === 'invalid' || e.lastPackage.state === 'missing';
  return html`<tr><td>${e.label}<br><small>${e.orgSlug} at ${e.host}</small></td><td class="${bad ? 'bad' : ''}">${packageText(e)}</td>${num(c?.pass)}${num(c?.fail)}${num(c?.error)}${num(c?.manual)}<td>${e.exceptions.open} open, ${e.exceptions.expiringSoon} expiring within 30 days</td><td>${review}</td><td>${driftText(e)}</td></tr>`;
}

/**
 * A static, script-free page (same CSP as report.html): the summary a consultant hands over.
 * Built with the report's `html` template, so every value is escaped by construction.
 */
export function renderPortfolioHtml(entries: readonly PortfolioEntry[], generatedAt: Date): string {
  const overdue = entries.filter((e) => e.review?.overdue).length;
  const generated = generatedAt.toISOString().slice(0, 16).replace('T', ' ');
  return `${html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Sentry hardening portfolio</title><style>${STYLE}</style></head>
<body><h1>Sentry hardening portfolio</h1>
<p>${entries.length} organizations; ${overdue} review(s) overdue. Generated ${generated} UTC. Counts come from each organization's last signed evidence package (signature and file hashes checked).</p>
<table><thead><tr><th>Organization</th><th>Last signed package</th><th>Pass</th><th>Fail</th><th>Error</th><th>Manual</th><th>Exceptions</th><th>Next review</th><th>Drift</th></tr></thead>
<tbody>
${joinHtml(entries.map(row), html`
`)}
</tbody></table></body></html>
`}`;
}

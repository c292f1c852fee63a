import { PUBLIC_KEY_FILE } from '../../package';
import { CSV_FILE, ICS_FILE } from '../../package-files';
import type { Context } from './context';
import { compactJson, formatDate, num, plural } from './format';
import { html } from './safe-html';
import type { SafeHtml } from './safe-html';

/** The next review, and what the evidence is and how to verify it. */

export function reviewSection(ctx: Context): SafeHtml {
  const r = ctx.report.review;
  return html`<section id="review" aria-labelledby="review-h"><h2 id="review-h">Next review</h2><p class="review-date">The next review is due on <strong>${formatDate(r.nextReviewDate)}</strong>, ${plural(r.intervalDays, 'day')} after this session.</p><p>The package holds the date as a calendar event (<code>${ICS_FILE}</code>). At the review, audit again and compare with this package as the baseline.</p></section>`;
}

export function aboutSection(ctx: Context): SafeHtml {
  const r = ctx.report;
  const signature = ctx.signature;
  const settings = Object.entries(r.settings).map(([k, v]) => html`<dt>${k}</dt><dd><code>${compactJson(v, 600)}</code></dd>`);
  const texts = ctx.textsRecorded
    ? html`<dt>Catalog texts</dt><dd>as recorded in report.json when the package was made</dd>`
    : html`<dt>Catalog texts</dt><dd>not recorded (an older package): control titles come from its control summaries; rationale, manual steps and check titles are not shown</dd>`;
  // Layout 2 packages name evidence by hash in the spreadsheet; the remediation steps are here, per control.
  const spreadsheet =
    (r.evidenceSchemaVersion ?? 1) >= 2
      ? 'one row per finding, with its check, attestation, exception and evidence hashes (remediation steps are in this report, per control)'
      : 'one row per finding, with its check, remediation, attestation and exception';
  return html`<section id="about" class="page" aria-labelledby="about-h"><h2 id="about-h">About this evidence</h2><p class="disclaimer" role="note"><strong>What the signature proves.</strong> ${r.disclaimer}</p><h3>Verifying the package</h3><p>Verification needs no network: <code>sentry-harden verify PACKAGE --key ${PUBLIC_KEY_FILE}</code> checks the signature, the hash of every file, and recomputes every verdict from <code>raw/</code> with the same control code. Any changed byte in any file fails verification and names the file.</p><dl class="facts"><dt>Signing key</dt><dd>${
    signature ? html`<span class="sha">${signature.fingerprint}</span> <span class="muted">(key id ${signature.keyid})</span>` : html`<strong>unsigned</strong>`
  }</dd><dt>Tool</dt><dd>${r.tool.name} ${r.tool.version}</dd><dt>Control catalog</dt><dd>${r.catalog.version}, digest <span class="sha">${r.catalog.digest}</span></dd>${texts}<dt>Requests</dt><dd>${num(r.summary.requests)} (${num(r.summary.rateLimited)} rate-limited and retried); ${plural(r.responses.length, 'response')} recorded for the ${
    ctx.hasBefore ? 'after ' : ''
  }audit${r.before ? html`, ${plural(r.before.responses.length, 'response')} for the before audit` : ''}</dd><dt>Spreadsheet</dt><dd><code>${CSV_FILE}</code>: ${spreadsheet}</dd></dl><h3>Thresholds used</h3><dl class="settings">${
    settings.length > 0 ? settings : html`<dt>none</dt><dd>defaults</dd>`
  }</dl></section>`;
}

import type { Drift, DriftFinding } from '../../../../shared/evidence';
import type { FindingStatus } from '../../../../shared/finding';
import type { Context } from './context';
import { badge, formatDate, formatUtc } from './format';
import { html } from './safe-html';
import type { SafeHtml } from './safe-html';

/** Drift against the baseline package (`--baseline`). */

function statusOrNone(s: FindingStatus | null): SafeHtml {
  return s === null ? html`<span class="muted">not reported</span>` : badge(s);
}

function driftTable(caption: string, items: readonly DriftFinding[]): SafeHtml | null {
  if (items.length === 0) return null;
  return html`<table class="drift"><caption>${caption} (${items.length})</caption><colgroup><col style="width:18%"><col style="width:20%"><col style="width:11%"><col style="width:11%"><col style="width:40%"></colgroup><thead><tr><th scope="col">Check</th><th scope="col">Resource</th><th scope="col">Baseline</th><th scope="col">Now</th><th scope="col">Finding</th></tr></thead><tbody>${items.map(
    (d) => html`<tr><td><code>${d.check}</code></td><td><span class="rtype">${d.resource.type}</span> ${d.resource.name}</td><td>${statusOrNone(d.before)}</td><td>${statusOrNone(d.after)}</td><td>${d.message}</td></tr>`,
  )}</tbody></table>`;
}

function scopesTable(caption: string, items: Drift['newIntegrations']): SafeHtml | null {
  if (items.length === 0) return null;
  return html`<table class="drift"><caption>${caption} (${items.length})</caption><colgroup><col style="width:40%"><col style="width:60%"></colgroup><thead><tr><th scope="col">Resource</th><th scope="col">Scopes</th></tr></thead><tbody>${items.map(
    (i) => html`<tr><td><span class="rtype">${i.resource.type}</span> ${i.resource.name}</td><td>${i.scopes.length > 0 ? i.scopes.map((x, n) => html`${n > 0 ? ' ' : ''}<code>${x}</code>`) : html`<span class="muted">none</span>`}</td></tr>`,
  )}</tbody></table>`;
}

function expiredTable(items: Drift['expiredExceptions']): SafeHtml | null {
  if (items.length === 0) return null;
  return html`<table class="drift"><caption>Exceptions expired since the baseline (${items.length})</caption><colgroup><col style="width:14%"><col style="width:12%"><col style="width:16%"><col style="width:58%"></colgroup><thead><tr><th scope="col">Exception</th><th scope="col">Control</th><th scope="col">Expired</th><th scope="col">Rationale</th></tr></thead><tbody>${items.map(
    (e) => html`<tr><td>${e.id}</td><td>${e.control}</td><td>${e.expiresAt ? formatDate(e.expiresAt) : '—'}</td><td>${e.reason}</td></tr>`,
  )}</tbody></table>`;
}

export function driftSection(ctx: Context): SafeHtml {
  const d = ctx.report.drift;
  if (!d) return html``;
  const b = d.baseline;
  const parts = [
    driftTable('Newly failing', d.newlyFailing),
    driftTable('Regressed: passed at the baseline, failing now', d.regressed),
    driftTable('Fixed since the baseline', d.fixed),
    driftTable('Failed at the baseline, no longer reported', d.noLongerReported),
    scopesTable('New integrations', d.newIntegrations),
    scopesTable('New scopes', d.newScopes),
    expiredTable(d.expiredExceptions),
  ].filter((p): p is SafeHtml => p !== null);
  return html`<section id="drift" class="page" aria-labelledby="drift-h"><h2 id="drift-h">Drift since the last review</h2><p>Compared with the baseline package of the session ${formatUtc(b.startedAt)} to ${formatUtc(b.finishedAt)} (level ${b.level}), report.json SHA-256 <span class="sha">${b.reportSha256}</span>, ${
    b.signer ? html`signed by <span class="sha">${b.signer}</span>` : 'unsigned'
  }.</p>${d.notes.length > 0 ? html`<ul class="notes">${d.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}${parts.length > 0 ? parts : html`<p>Nothing changed since the baseline.</p>`}</section>`;
}

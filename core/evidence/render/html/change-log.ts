import type { ChangeRecord } from '../../../../shared/evidence';
import type { FindingStatus } from '../../../../shared/finding';
import type { Context } from './context';
import { badge, compactJson, formatUtc, num, OUTCOME_LABELS, OUTCOME_TONE, plural } from './format';
import { html } from './safe-html';
import type { SafeHtml } from './safe-html';

/**
 * The change log: every change of the session's runs as the journals recorded them. An applied
 * change that a later undo reversed reads "Undone" and is not counted as applied; the undo
 * itself is listed as such, naming the change it reverses.
 */

export interface ChangeCounts {
  /** Changes of the fix runs (undos not included). */
  readonly planned: number;
  /** Applied and still in place. */
  readonly applied: number;
  /** Applied, then reversed by an undo. */
  readonly undone: number;
}

function isUndone(c: ChangeRecord): boolean {
  return c.undoneBy !== undefined && c.outcome === 'applied';
}

export function changeCounts(changes: readonly ChangeRecord[]): ChangeCounts {
  const fixes = changes.filter((c) => c.kind !== 'undo');
  return { planned: fixes.length, applied: fixes.filter((c) => c.outcome === 'applied' && !isUndone(c)).length, undone: fixes.filter(isUndone).length };
}

/** What a person reads as the outcome: the journal's, except that an undone change says so. */
function outcomeOf(c: ChangeRecord): { label: string; tone: FindingStatus } {
  if (isUndone(c)) return { label: 'Undone', tone: 'not_applicable' };
  if (c.kind === 'undo' && c.outcome === 'applied') return { label: 'Undo applied', tone: 'pass' };
  return { label: OUTCOME_LABELS[c.outcome], tone: OUTCOME_TONE[c.outcome] };
}

function valuesText(v: Record<string, unknown> | null): string {
  if (!v) return '—';
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  return entries.map(([k, val]) => `${k}: ${compactJson(val, 200)}`).join(', ');
}

function row(ctx: Context, c: ChangeRecord): SafeHtml {
  const o = outcomeOf(c);
  const link = (id: string): SafeHtml => {
    const anchor = ctx.changeAnchor.get(id);
    return anchor ? html`<a href="#${anchor}"><code>${id}</code></a>` : html`<code>${id}</code>`;
  };
  const relation = c.undoes
    ? html`<br><span class="muted">undoes ${link(c.undoes)}</span>`
    : c.undoneBy
      ? html`<br><span class="muted">undone by ${link(c.undoneBy)}</span>`
      : '';
  const anchor = ctx.changeAnchor.get(c.id);
  const response = c.response
    ? html`HTTP ${c.response.status}${Object.keys(c.response.fields).length > 0 ? html` <code>${compactJson(c.response.fields, 200)}</code>` : ''}`
    : html`<span class="muted">not sent</span>`;
  return html`<tr${anchor ? html` id="${anchor}"` : ''}${isUndone(c) ? html` class="undone"` : ''}><th scope="row"><code>${c.id}</code>${c.kind === 'undo' ? html`<br><span class="muted">undo</span>` : ''}${
    c.risk === 'high' ? html`<br><span class="risk">high risk</span>` : ''
  }</th><td><code>${c.check}</code><br><span class="muted">${c.description}</span></td><td><span class="rtype">${c.resource.type}</span> ${c.resource.name}</td><td><strong>${c.field}</strong><br><code>${valuesText(c.before)}</code><br>→ <code>${valuesText(c.after)}</code></td><td><code>${c.request.method} ${c.request.path}</code><br><span class="muted">${c.request.host} host</span>${
    c.request.body === undefined ? '' : html`<br><code class="body">${compactJson(c.request.body, 300)}</code>`
  }</td><td>${badge(o.tone, o.label)} <span class="muted">${formatUtc(c.at)}</span>${relation}${c.message ? html`<br>${c.message}` : ''}${
    c.error ? html`<br><span class="warn">${c.error.message}</span> <code>${c.error.code}</code>` : ''
  }<br>Response: ${response}<br>Read back: ${c.recheck ? html`<code>${valuesText(c.recheck)}</code>` : html`<span class="muted">—</span>`}</td></tr>`;
}

export function changeLog(ctx: Context): SafeHtml {
  const changes = ctx.report.changes;
  if (changes.length === 0) {
    return html`<section id="changes" class="page" aria-labelledby="changes-h"><h2 id="changes-h">Change log</h2><p>${
      ctx.hasBefore ? 'The session recorded no change.' : 'This package records an audit only: no change was made to the organization.'
    }</p></section>`;
  }
  const tally = new Map<string, { tone: FindingStatus; n: number }>();
  for (const c of changes) {
    const o = outcomeOf(c);
    tally.set(o.label, { tone: o.tone, n: (tally.get(o.label)?.n ?? 0) + 1 });
  }
  const summary = [...tally].map(([label, t], i) => html`${i > 0 ? ' ' : ''}${badge(t.tone, label)} ${num(t.n)}`);
  const counts = changeCounts(changes);
  return html`<section id="changes" class="page" aria-labelledby="changes-h"><h2 id="changes-h">Change log</h2><p>Every change of the session as the journals recorded it: the values read before, the exact request, Sentry's answer, the values read back, and the outcome. ${plural(counts.planned, 'change')} planned, ${num(counts.applied)} applied and in place${
    counts.undone > 0 ? `, ${num(counts.undone)} undone` : ''
  }. ${summary}</p><table class="changes"><caption class="sr-only">Changes</caption><colgroup><col style="width:8%"><col style="width:18%"><col style="width:12%"><col style="width:19%"><col style="width:20%"><col style="width:23%"></colgroup><thead><tr><th scope="col">Change</th><th scope="col">Check</th><th scope="col">Resource</th><th scope="col">Field: before → after</th><th scope="col">Request</th><th scope="col">Outcome</th></tr></thead><tbody>${changes.map((c) => row(ctx, c))}</tbody></table></section>`;
}

import type { FindingStatus, StatusCounts } from '../../../../shared/finding';
import { FINDING_STATUSES } from '../../../../shared/finding';
import { barChart, legend } from './chart';
import type { Context } from './context';
import { findingKey } from './context';
import { sectionLabel } from './cover';
import { badge, countOf, emptyCounts, num, plural, STATUS_LABELS, total } from './format';
import { html } from './safe-html';
import type { SafeHtml } from './safe-html';

/** The scorecard: totals before and after, the exception layer, one chart and table per section. */

function countsCell(before: StatusCounts | null, after: StatusCounts, s: FindingStatus): SafeHtml {
  if (!before || before[s] === after[s]) return html`${num(after[s])}`;
  return html`${num(before[s])} → <strong>${num(after[s])}</strong>`;
}

function sum(parts: readonly StatusCounts[]): StatusCounts {
  const c = emptyCounts();
  for (const p of parts) for (const s of FINDING_STATUSES) c[s] += p[s];
  return c;
}

export function scorecard(ctx: Context): SafeHtml {
  const r = ctx.report;
  const after = countOf(r.findings);
  const before = r.before ? countOf(r.before.findings) : null;
  const head = before
    ? html`<tr><th scope="col">Status</th><th scope="col">Before</th><th scope="col">After</th><th scope="col">Change</th></tr>`
    : html`<tr><th scope="col">Status</th><th scope="col">Findings</th></tr>`;
  const rows = FINDING_STATUSES.map((s) => {
    const delta = before ? after[s] - before[s] : 0;
    return html`<tr><th scope="row">${badge(s)}</th>${before ? html`<td class="num">${num(before[s])}</td>` : ''}<td class="num">${num(after[s])}</td>${
      before ? html`<td class="num">${delta === 0 ? '0' : delta > 0 ? `+${num(delta)}` : `−${num(-delta)}`}</td>` : ''
    }</tr>`;
  });
  const totalRow = html`<tr class="total"><th scope="row">Total</th>${before ? html`<td class="num">${num(total(before))}</td>` : ''}<td class="num">${num(total(after))}</td>${before ? html`<td></td>` : ''}</tr>`;
  const coveredFails =
    r.exceptionSummary?.accepted ?? r.findings.filter((f) => f.status === 'fail' && (ctx.exceptionsByKey.get(findingKey(f)) ?? []).some((e) => e.active)).length;
  const activeCount = r.exceptions.filter((e) => e.active).length;
  const expiredCount = r.exceptions.length - activeCount;

  const perControl = (byControl: ReadonlyMap<string, readonly { status: FindingStatus }[]>) => new Map(ctx.views.map((v) => [v.id, countOf(byControl.get(v.id) ?? [])]));
  const afterC = perControl(ctx.afterByControl);
  const beforeC = r.before ? perControl(ctx.beforeByControl) : null;
  const charts = ctx.sections.map((s) => {
    const views = ctx.views.filter((v) => v.section === s.id);
    const a = sum(views.map((v) => afterC.get(v.id)!));
    const rowsData = beforeC ? [{ label: 'Before', counts: sum(views.map((v) => beforeC.get(v.id)!)) }, { label: 'After', counts: a }] : [{ label: 'Audit', counts: a }];
    const chartId = ctx.anchors.make('chart-section', s.id);
    const controlRows = views.map((v) => {
      const link = ctx.controlAnchor.get(v.id);
      const ac = afterC.get(v.id)!;
      const bc = beforeC?.get(v.id) ?? null;
      return html`<tr><th scope="row">${link ? html`<a href="#${link}">${v.id}</a>` : v.id}</th><td>${v.title}</td><td>${v.level}</td>${FINDING_STATUSES.map((st) => html`<td class="num">${countsCell(bc, ac, st)}</td>`)}</tr>`;
    });
    const table =
      controlRows.length > 0
        ? html`<table class="counts"><caption class="sr-only">${`Findings per control in section ${sectionLabel(s)}`}${before ? ', before → after' : ''}</caption><colgroup><col style="width:10%"><col style="width:40%"><col style="width:7%"><col span="5" style="width:8.6%"></colgroup><thead><tr><th scope="col">Control</th><th scope="col">Title</th><th scope="col">Level</th>${FINDING_STATUSES.map(
            (st) => html`<th scope="col">${STATUS_LABELS[st]}</th>`,
          )}</tr></thead><tbody>${controlRows}</tbody></table>`
        : '';
    return html`<figure class="chart" aria-labelledby="${chartId}-cap"><figcaption id="${chartId}-cap"><h3>${sectionLabel(s)}</h3></figcaption>${barChart(chartId, `Section ${s.id} ${s.title}`, rowsData)}${table}</figure>`;
  });

  return html`<section id="scorecard" class="page" aria-labelledby="scorecard-h"><h2 id="scorecard-h">Scorecard</h2><p>${
    before ? 'Findings of the audit before the session and of the audit after it.' : 'Findings of the audit.'
  } A check passes only on complete evidence; what could not be evaluated is an error, and what the API cannot show is manual.</p><div class="totals"><table class="summary"><caption>All sections</caption><thead>${head}</thead><tbody>${rows}${totalRow}</tbody></table><p class="note" id="exception-summary">${plural(coveredFails, 'failing finding')} of the ${before ? 'after ' : ''}audit ${coveredFails === 1 ? 'is' : 'are'} accepted by an active exception: ${num(after.fail - coveredFails)} fail with exceptions, ${num(after.fail)} without. <a href="#exceptions">${plural(activeCount, 'exception')} active, ${expiredCount} expired</a>. An exception does not change a finding's status, and an expired one no longer counts.</p></div>${legend()}<div id="scorecard-charts" class="charts">${charts}</div></section>`;
}

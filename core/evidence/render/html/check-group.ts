import type { Finding } from '../../../../shared/finding';
import type { Context, ControlView } from './context';
import { findingKey } from './context';
import type { EvidenceItem } from './evidence';
import { evidenceCell, itemLink, itemLinks } from './evidence';
import { badge, compactJson, countBadges, countOf, formatDate, num, plural, STATUS_LABELS } from './format';
import { html } from './safe-html';
import type { SafeHtml } from './safe-html';
import { CSV_FILE, REPORT_FILE } from '../../package-files';
import { exceptionMatches } from '../../registers';

/**
 * The findings of one check: a heading with its counts, a table of the first findings, and the
 * rest folded into a compact list grouped by status (names linking to their own reads), so a
 * check over 50,000 members stays a few lines tall until someone opens it.
 */

/**
 * Findings of a check shown as full rows; the rest fold away. A report of up to LARGE_REPORT
 * findings shows (and prints) up to 250 a check; a larger one 40, so that the page stays small.
 */
export const LARGE_REPORT = 5_000;
export function openRowsPerCheck(totalFindings: number): number {
  return totalFindings <= LARGE_REPORT ? 250 : 40;
}

interface Row {
  readonly after: Finding | null;
  readonly before: Finding | null;
}

function resourceCell(f: Finding): SafeHtml {
  const showId = f.resource.id !== f.resource.name;
  return html`<span class="rtype">${f.resource.type}</span> ${f.resource.name}${showId ? html`<br><code class="rid">${f.resource.id}</code>` : ''}`;
}

function messageCell(f: Finding): SafeHtml {
  const code = f.errorCode ? html` <code>${f.errorCode}</code>` : '';
  const details = f.details && Object.keys(f.details).length > 0 ? html`<div class="details"><code>${compactJson(f.details)}</code></div>` : '';
  return html`${f.message}${code}${details}`;
}

function exceptionNote(ctx: Context, f: Finding): SafeHtml {
  // Active exceptions name what they cover; an expired one covers nothing, so it is matched here
  // only to say that it no longer counts.
  const active = (ctx.exceptionsByKey.get(findingKey(f)) ?? []).filter((e) => e.active);
  const expired = f.status === 'fail' ? ctx.report.exceptions.filter((e) => !e.active && exceptionMatches(e, f)) : [];
  return html`${[...active, ...expired].map((e) => {
    const who = e.owner ? html`, risk owner ${e.owner}` : '';
    return e.active
      ? html`<div class="exc"><a href="#${ctx.entryAnchor.get(e)!}">Exception ${e.id}</a>: accepted risk${e.expiresAt ? ` until ${formatDate(e.expiresAt)}` : ''}${who}</div>`
      : html`<div class="exc expired"><a href="#${ctx.entryAnchor.get(e)!}">Exception ${e.id}</a> expired${e.expiresAt ? ` ${formatDate(e.expiresAt)}` : ''}: no longer counts</div>`;
  })}`;
}

function fullRow(ctx: Context, row: Row): SafeHtml {
  const { after: f, before: b } = row;
  if (f === null) {
    const items = ctx.beforeReads!.resolve(b!.evidence, b!.evidenceGroups);
    return html`<tr class="finding gone"><td>${badge(b!.status)}</td><td><span class="muted">not in the after audit</span></td><td>${resourceCell(b!)}</td><td>${messageCell(b!)}</td><td>${evidenceCell(items)}</td></tr>`;
  }
  const statusCells = ctx.hasBefore
    ? html`<td>${b ? badge(b.status) : html`<span class="muted">—</span>`}</td><td>${badge(f.status)}${exceptionNote(ctx, f)}</td>`
    : html`<td>${badge(f.status)}${exceptionNote(ctx, f)}</td>`;
  // What the before audit said, when it said something else.
  const was =
    b && b.message !== f.message
      ? html`<div class="was"><span class="muted">Before:</span> ${messageCell(b)}${b.evidence.length > 0 ? html` <span class="muted">(evidence ${itemLinks(ctx.beforeReads!.resolve(b.evidence, b.evidenceGroups))})</span>` : ''}</div>`
      : '';
  return html`<tr class="finding">${statusCells}<td>${resourceCell(f)}</td><td>${messageCell(f)}${was}</td><td>${evidenceCell(ctx.afterReads.resolve(f.evidence, f.evidenceGroups))}</td></tr>`;
}

function transition(ctx: Context, row: Row): string {
  if (row.after === null) return `${STATUS_LABELS[row.before!.status]} → not in the after audit`;
  if (!ctx.hasBefore) return STATUS_LABELS[row.after.status];
  return `${row.before ? STATUS_LABELS[row.before.status] : '—'} → ${STATUS_LABELS[row.after.status]}`;
}

/** The folded rest: per status, the reads all of them cite once, then each name linking to its own. */
function foldedList(ctx: Context, rows: readonly Row[], shownCount: number): SafeHtml {
  const groups = new Map<string, { rows: Row[]; items: (readonly EvidenceItem[])[] }>();
  for (const row of rows) {
    const key = transition(ctx, row);
    const g = groups.get(key) ?? { rows: [], items: [] };
    const f = row.after ?? row.before!;
    g.rows.push(row);
    g.items.push((row.after ? ctx.afterReads : ctx.beforeReads!).resolve(f.evidence, f.evidenceGroups));
    groups.set(key, g);
  }
  const parts = [...groups].map(([label, g]) => {
    // Items every finding of the group cites are named once, above the names.
    const common = g.items[0]!.filter((item) => g.items.every((list) => list.includes(item)));
    const names = g.rows.map((row, i) => {
      const f = row.after ?? row.before!;
      const own = g.items[i]!.filter((item) => !common.includes(item));
      const sep = i > 0 ? ', ' : '';
      if (own.length === 1) return html`${sep}<a href="#${own[0]!.anchor}">${f.resource.name}</a>`;
      return html`${sep}${f.resource.name}${own.length > 1 ? html` (${itemLinks(own)})` : ''}`;
    });
    const evidence = common.length > 0 ? html` <span class="muted">evidence ${common.map((c, i) => html`${i > 0 ? ', ' : ''}${itemLink(c)}`)}</span>` : '';
    return html`<p class="names"><strong>${label}</strong> (${num(g.rows.length)})${evidence}: ${names}</p>`;
  });
  return html`<details class="more"><summary>${plural(rows.length, 'more finding')} (${num(shownCount + 1)} to ${num(shownCount + rows.length)}); every one is in ${CSV_FILE} and ${REPORT_FILE}</summary>${parts}</details>`;
}

export function checkGroup(ctx: Context, v: ControlView, check: string, after: readonly Finding[], gone: readonly Finding[], beforeByKey: ReadonlyMap<string, Finding>): SafeHtml {
  const title = v.checkTitles.get(check);
  const level = after[0]?.level ?? gone[0]?.level ?? '';
  const rows: Row[] = [...after.map((f) => ({ after: f, before: beforeByKey.get(findingKey(f)) ?? null })), ...gone.map((b) => ({ after: null, before: b }))];
  // Long groups show what needs attention first; short ones keep the audit's order.
  const RANK = { fail: 0, error: 1, manual: 2, not_applicable: 3, pass: 4 } as const;
  const limit = openRowsPerCheck(ctx.report.findings.length + (ctx.report.before?.findings.length ?? 0));
  const ordered = rows.length > limit ? [...rows].sort((x, y) => RANK[(x.after ?? x.before!).status] - RANK[(y.after ?? y.before!).status]) : rows;
  const open = ordered.slice(0, limit);
  const rest = ordered.slice(limit);
  const head = ctx.hasBefore
    ? html`<colgroup><col style="width:9%"><col style="width:12%"><col style="width:20%"><col style="width:35%"><col style="width:24%"></colgroup><thead><tr><th scope="col">Before</th><th scope="col">After</th><th scope="col">Resource</th><th scope="col">Finding</th><th scope="col">Evidence</th></tr></thead>`
    : html`<colgroup><col style="width:10%"><col style="width:22%"><col style="width:42%"><col style="width:26%"></colgroup><thead><tr><th scope="col">Status</th><th scope="col">Resource</th><th scope="col">Finding</th><th scope="col">Evidence</th></tr></thead>`;
  return html`<div class="check"><h5>${title ?? check} <code>${check}</code> <span class="lvl">${level}</span> · ${countBadges(countOf(after))}${
    gone.length > 0 ? html` <span class="muted">and ${plural(gone.length, 'finding')} only in the before audit</span>` : ''
  }</h5><table class="findings"><caption class="sr-only">${`Findings of check ${check}`}</caption>${head}<tbody>${open.map((row) => fullRow(ctx, row))}</tbody></table>${
    rest.length > 0 ? foldedList(ctx, rest, open.length) : ''
  }</div>`;
}

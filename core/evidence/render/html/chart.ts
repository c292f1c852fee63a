import type { StatusCounts } from '../../../../shared/finding';
import { FINDING_STATUSES } from '../../../../shared/finding';
import { describeCounts, STATUS_COLORS, STATUS_LABELS, total } from './format';
import { html } from './safe-html';
import type { SafeHtml } from './safe-html';

/** Horizontal stacked bars, one per audit, on a common scale so the bars compare in length too. */
export function barChart(id: string, title: string, rows: readonly { label: string; counts: StatusCounts }[]): SafeHtml {
  const width = 720;
  const labelW = 64;
  const barX = 70;
  const barW = 560;
  const rowH = 26;
  const gap = 10;
  const top = 6;
  const height = top + rows.length * (rowH + gap) + 2;
  const max = Math.max(1, ...rows.map((r) => total(r.counts)));
  const description = rows.map((r) => `${r.label}: ${describeCounts(r.counts)}`).join('; ');
  const parts = rows.map((r, i) => {
    const y = top + i * (rowH + gap);
    const label = html`<text x="${labelW - 4}" y="${y + rowH / 2 + 4}" text-anchor="end" class="lbl">${r.label}</text>`;
    const t = total(r.counts);
    if (t === 0) {
      return html`${label}<rect x="${barX}" y="${y}" width="${barW}" height="${rowH}" fill="#f6f8fa" stroke="#d0d7de" data-status="none"/><text x="${barX + 8}" y="${y + rowH / 2 + 4}" class="lbl muted-fill">no findings at this level</text>`;
    }
    let x = barX;
    const segments: SafeHtml[] = [];
    for (const s of FINDING_STATUSES) {
      const n = r.counts[s];
      if (n === 0) continue;
      const w = (n / max) * barW;
      segments.push(
        html`<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${rowH}" fill="${STATUS_COLORS[s]}" data-status="${s}" data-count="${n}"><title>${`${r.label}: ${n} ${STATUS_LABELS[s].toLowerCase()}`}</title></rect>`,
      );
      const text = String(n);
      if (w >= text.length * 7 + 8) segments.push(html`<text x="${(x + w / 2).toFixed(2)}" y="${y + rowH / 2 + 4}" text-anchor="middle" class="seg">${text}</text>`);
      x += w;
    }
    return html`${label}${segments}<text x="${(barX + (t / max) * barW + 6).toFixed(2)}" y="${y + rowH / 2 + 4}" class="lbl">${String(t)}</text>`;
  });
  return html`<svg id="${id}" class="bars" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${`${title}. ${description}.`}" xmlns="http://www.w3.org/2000/svg"><title>${`${title}: ${description}`}</title>${parts}</svg>`;
}

export function legend(): SafeHtml {
  return html`<ul class="legend" aria-label="Legend">${FINDING_STATUSES.map(
    (s) => html`<li><svg width="14" height="14" aria-hidden="true" focusable="false"><rect width="14" height="14" rx="2" fill="${STATUS_COLORS[s]}"/></svg> ${STATUS_LABELS[s]}</li>`,
  )}</ul>`;
}

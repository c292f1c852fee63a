import type { Context } from './context';
import type { EvidenceSet, ReadEntry, ReadIndex } from './evidence';
import { itemLink, requestText } from './evidence';
import { formatUtc, num, plural } from './format';
import { html } from './safe-html';
import type { SafeHtml } from './safe-html';

/** The evidence register: every read once, its pages' raw files, and the evidence sets. */

/** Rows shown before the rest of a long register folds away. */
export const REGISTER_OPEN_ROWS = 300;

const SHA256 = /^[0-9a-f]{64}$/;

/** `.json.gz` from layout 3 (raw/ bodies compressed), `.json` before. */
type RawExt = '.json' | '.json.gz';

function rawExt(ctx: Context): RawExt {
  return (ctx.report.evidenceSchemaVersion ?? 1) >= 3 ? '.json.gz' : '.json';
}

function fileLink(sha: string, ext: RawExt, short = false): SafeHtml {
  const text = short ? `${sha.slice(0, 12)}…` : sha;
  return SHA256.test(sha) ? html`<a class="sha" href="${`raw/${sha}${ext}`}">${text}</a>` : html`<span class="sha">${text}</span>`;
}

function filesCell(e: ReadEntry, ext: RawExt): SafeHtml {
  const pages = e.read?.responses ?? [];
  if (pages.length === 1 && pages[0]!.sha256 === e.ref.sha256) return html`${fileLink(e.ref.sha256, ext)}${pages[0]!.status === 200 ? '' : html` <span class="muted">HTTP ${pages[0]!.status}</span>`}`;
  if (pages.length > 0) {
    return html`<span class="sha">${e.ref.sha256}</span>${pages.map(
      (p, i) => html`<div class="rawfile">page ${i + 1}: ${fileLink(p.sha256, ext)} <span class="muted">HTTP ${p.status}, ${plural(p.items, 'item')}</span></div>`,
    )}`;
  }
  if (e.ref.pages === 1) return fileLink(e.ref.sha256, ext);
  return html`<span class="sha">${e.ref.sha256}</span><div class="rawfile muted">no response recorded</div>`;
}

function row(e: ReadEntry, ext: RawExt): SafeHtml {
  return html`<tr id="${e.anchor}"><th scope="row">${e.label}</th><td><code>${requestText(e.ref)}</code></td><td class="num">${e.ref.pages}</td><td class="num">${e.ref.items}</td><td>${e.ref.complete ? 'yes' : html`<strong class="warn">no</strong>`}</td><td>${formatUtc(e.ref.fetchedAt)}</td><td>${filesCell(e, ext)}</td></tr>`;
}

const HEAD = html`<colgroup><col style="width:6%"><col style="width:29%"><col style="width:7%"><col style="width:7%"><col style="width:9%"><col style="width:12%"><col style="width:30%"></colgroup><thead><tr><th scope="col">Read</th><th scope="col">Request</th><th scope="col">Pages</th><th scope="col">Items</th><th scope="col">Complete</th><th scope="col">Fetched</th><th scope="col">SHA-256 of the read; raw responses</th></tr></thead>`;

/** A folded read: one line, its raw files linked by their short hash. */
function line(e: ReadEntry, ext: RawExt): SafeHtml {
  const pages = e.read?.responses ?? [];
  const single = pages.length === 1 && pages[0]!.sha256 === e.ref.sha256;
  const files = single
    ? fileLink(e.ref.sha256, ext, true)
    : pages.length > 0
      ? html`read ${e.ref.sha256.slice(0, 12)}…, pages ${pages.map((p, i) => html`${i > 0 ? ' ' : ''}${fileLink(p.sha256, ext, true)}`)}`
      : html`read ${e.ref.sha256}, no response recorded`;
  return html`<li id="${e.anchor}">${e.label} ${requestText(e.ref)} · ${plural(e.ref.pages, 'page')}, ${plural(e.ref.items, 'item')}${e.ref.complete ? '' : html`, <strong class="warn">incomplete</strong>`} · ${formatUtc(e.ref.fetchedAt)} · ${files}</li>`;
}

function registerTable(index: ReadIndex, caption: string, ext: RawExt): SafeHtml {
  if (index.entries.length === 0) return html`<p class="muted">${caption}: no reads.</p>`;
  const open = index.entries.slice(0, REGISTER_OPEN_ROWS);
  const rest = index.entries.slice(REGISTER_OPEN_ROWS);
  return html`<table class="register"><caption>${caption} (${num(index.entries.length)})</caption>${HEAD}<tbody>${open.map((e) => row(e, ext))}</tbody></table>${
    rest.length > 0
      ? html`<details class="more"><summary>${plural(rest.length, 'more read')} (${open.length + 1} to ${num(index.entries.length)}), one a line</summary><ol class="reads">${rest.map((e) => line(e, ext))}</ol></details>`
      : ''
  }`;
}

function setsTable(sets: readonly EvidenceSet[], caption: string): SafeHtml {
  if (sets.length === 0) return html``;
  return html`<table class="sets"><caption>${caption}</caption><colgroup><col style="width:8%"><col style="width:20%"><col style="width:12%"><col style="width:60%"></colgroup><thead><tr><th scope="col">Set</th><th scope="col">What</th><th scope="col">Cited by</th><th scope="col">Reads</th></tr></thead><tbody>${sets.map(
    (s) =>
      html`<tr id="${s.anchor}"><th scope="row">${s.label}</th><td>${s.description ?? html`<span class="muted">reads cited together</span>`}${s.complete ? '' : html` <strong class="warn">incomplete</strong>`}</td><td>${plural(s.uses, 'finding')}</td><td>${
        s.entries.length > 0 ? s.entries.map((e, i) => html`${i > 0 ? ', ' : ''}${itemLink(e)}`) : html`<span class="warn">the report lists none of its reads</span>`
      }</td></tr>`,
  )}</tbody></table>`;
}

export function evidenceRegisterSection(ctx: Context): SafeHtml {
  const after = ctx.afterReads;
  const before = ctx.beforeReads;
  const ext = rawExt(ctx);
  const stored =
    ext === '.json.gz'
      ? html`<code>raw/&lt;sha256&gt;.json.gz</code>, compressed with gzip and named by the SHA-256 of the uncompressed response, with secrets redacted`
      : html`<code>raw/&lt;sha256&gt;.json</code> with secrets redacted`;
  return html`<section id="evidence-register" class="page" aria-labelledby="evidence-register-h"><h2 id="evidence-register-h">Evidence register</h2><p>Every read a verdict rests on, listed once. A read is one request with all its pages; its SHA-256 is that of its one response, or of its pages' hashes joined by newlines. Each response is in the package as ${stored}, and verification recomputes every verdict from those files.</p>${registerTable(after, ctx.hasBefore ? 'Reads of the after audit' : 'Reads of the audit', ext)}${
    before ? html`${registerTable(before, 'Reads of the before audit', ext)}<p class="note">A read of the before audit that received exactly the responses of a read of the after audit is listed once, as that R read.</p>` : ''
  }${
    after.sets.length + (before?.sets.length ?? 0) > 0
      ? html`<div id="evidence-sets"><h3>Evidence sets</h3><p>Reads that many findings rest on together (every team roster, say) form a set, cited by its label instead of read by read: the report's own evidence groups (G) and other reads cited together (S).</p>${setsTable(after.sets, ctx.hasBefore ? 'Sets of the after audit' : 'Sets of the audit')}${before ? setsTable(before.sets, 'Sets of the before audit') : ''}</div>`
      : ''
  }</section>`;
}

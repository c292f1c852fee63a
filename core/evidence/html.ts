import type { ChangeRecord, Drift, DriftFinding, EvidenceReport, PackageRead } from '../../shared/evidence';
import { FINDING_STATUSES } from '../../shared/finding';
import type { EvidenceGroupRef, EvidenceRef, Finding, FindingStatus, StatusCounts } from '../../shared/finding';
import type { OutcomeStatus } from '../../shared/plan';
import type { ControlSummary } from '../../shared/report';
import { CONTROLS } from '../controls/index';
import type { ControlDefinition } from '../controls/index';
import { PUBLIC_KEY_FILE } from './package';
import { CSV_FILE, ICS_FILE } from './package-files';
import { exceptionMatches } from './registers';

/**
 * `report.html` of an evidence package: one self-contained page (inline CSS and SVG, no script,
 * no font or image from anywhere) that a person reads on screen or prints to PDF. Every string
 * that comes from the report is escaped; links point only inside the page or to the package's
 * own `raw/<sha256>.json` files, by relative path.
 */

/** The guide's sections, in its order. */
export const REPORT_SECTIONS: readonly { readonly id: string; readonly title: string }[] = [
  { id: '1', title: 'Authentication & SSO' },
  { id: '2', title: 'Access controls' },
  { id: '3', title: 'Data security' },
  { id: '4', title: 'Monitoring' },
  { id: 'INT', title: 'Integrations' },
];

export interface ReportSignatureInfo {
  /** The signing key's fingerprint, as `sentry-harden verify` prints it. */
  readonly fingerprint: string;
  /** The DSSE keyid of the signature. */
  readonly keyid: string;
}

export interface RenderReportHtmlOptions {
  /** The key the package is signed with; absent: the report's `signer`; null (or neither): "unsigned". */
  readonly signature?: ReportSignatureInfo | null;
  /** When the page was produced (ISO 8601); default: the report's finish time, so output is reproducible. */
  readonly generatedAt?: string;
}

export const STATUS_LABELS: Readonly<Record<FindingStatus, string>> = {
  pass: 'Pass',
  fail: 'Fail',
  error: 'Error',
  manual: 'Manual',
  not_applicable: 'N/A',
};

/** Fills with at least 4.5:1 contrast against white text (WCAG AA). */
export const STATUS_COLORS: Readonly<Record<FindingStatus, string>> = {
  pass: '#1a7f37',
  fail: '#c62828',
  error: '#a15c00',
  manual: '#2f5fa7',
  not_applicable: '#6b7280',
};

const OUTCOME_LABELS: Readonly<Record<OutcomeStatus, string>> = {
  applied: 'Applied',
  already_applied: 'Already applied',
  drifted: 'Drifted, not sent',
  not_effective: 'Not effective',
  failed: 'Failed',
  declined: 'Declined',
  blocked: 'Blocked',
  not_attempted: 'Not attempted',
  not_applied: 'Not applied',
  uncertain: 'Uncertain',
};
const OUTCOME_TONE: Readonly<Record<OutcomeStatus, FindingStatus>> = {
  applied: 'pass',
  already_applied: 'pass',
  drifted: 'error',
  not_effective: 'fail',
  failed: 'fail',
  declined: 'not_applicable',
  blocked: 'not_applicable',
  not_attempted: 'not_applicable',
  not_applied: 'not_applicable',
  uncertain: 'error',
};

// ---- text helpers ------------------------------------------------------------------------------

/** Escapes text and attribute values alike (quotes included). */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
const esc = escapeHtml;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2025-03-04 09:12:05 UTC`, or the input itself (escaped by the caller) when it is not a date. */
export function formatUtc(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

function formatDate(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Compact JSON for values in tables, cut at `max` characters (report.json keeps the whole value). */
function compactJson(value: unknown, max = 400): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'undefined';
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function queryString(query: Record<string, string>): string {
  const entries = Object.entries(query);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Anchors from report strings: only safe characters, and unique in the page. */
class Anchors {
  private readonly used = new Set<string>();
  reserve(id: string): void {
    for (const v of [id, `${id}-h`, `${id}-cap`]) this.used.add(v);
  }
  make(prefix: string, raw: string): string {
    const base = `${prefix}-${raw.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'x'}`;
    // Callers derive `<id>-h` and `<id>-cap` for headings and captions: keep those unique too.
    const taken = (id: string): boolean => this.used.has(id) || this.used.has(`${id}-h`) || this.used.has(`${id}-cap`);
    let id = base;
    for (let i = 2; taken(id); i++) id = `${base}-${i}`;
    for (const v of [id, `${id}-h`, `${id}-cap`]) this.used.add(v);
    return id;
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Relative link to a raw response of the package; only for well-formed hashes. */
function rawHref(sha: string): string | null {
  return SHA256.test(sha) ? `raw/${sha}.json` : null;
}

function badge(status: FindingStatus, label = STATUS_LABELS[status]): string {
  return `<span class="badge s-${status}">${esc(label)}</span>`;
}

function findingKey(f: Pick<Finding, 'check' | 'resource'>): string {
  return `${f.check}|${f.resource.type}|${f.resource.id}`;
}

function emptyCounts(): StatusCounts {
  return { pass: 0, fail: 0, error: 0, manual: 0, not_applicable: 0 };
}

function countOf(findings: readonly Finding[]): StatusCounts {
  const c = emptyCounts();
  for (const f of findings) if (f.status in c) c[f.status] += 1;
  return c;
}

function total(c: StatusCounts): number {
  return FINDING_STATUSES.reduce((n, s) => n + c[s], 0);
}

// ---- the catalog as this report sees it ---------------------------------------------------------

interface ControlView {
  readonly id: string;
  readonly title: string;
  readonly section: string;
  readonly level: string;
  readonly mappings: ControlSummary['mappings'];
  readonly definition: ControlDefinition | undefined;
}

/** Controls in the guide's order: the catalog's first, then any the report names that it does not know. */
function controlViews(report: EvidenceReport): ControlView[] {
  const summaries = new Map<string, ControlSummary>();
  for (const c of [...(report.before?.controls ?? []), ...report.controls]) summaries.set(c.id, c);
  const views: ControlView[] = [];
  const seen = new Set<string>();
  const add = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const s = summaries.get(id);
    const d = CONTROLS.find((c) => c.id === id);
    views.push({
      id,
      title: s?.title ?? d?.title ?? `Control ${id}`,
      section: s?.section ?? d?.section ?? '?',
      level: s?.level ?? d?.level ?? '',
      mappings: s?.mappings ?? { cis: [...(d?.mappings.cis ?? [])], nist: [...(d?.mappings.nist ?? [])], soc2: [...(d?.mappings.soc2 ?? [])] },
      definition: d,
    });
  };
  for (const c of CONTROLS) if (summaries.has(c.id)) add(c.id);
  for (const id of summaries.keys()) add(id);
  for (const f of [...report.findings, ...(report.before?.findings ?? [])]) add(f.control);
  return views;
}

function sectionsOf(views: readonly ControlView[]): { id: string; title: string }[] {
  const out: { id: string; title: string }[] = [...REPORT_SECTIONS];
  for (const v of views) if (!out.some((s) => s.id === v.section)) out.push({ id: v.section, title: `Section ${v.section}` });
  return out;
}

function checkTitle(view: ControlView | undefined, check: string): string | undefined {
  return view?.definition?.checks.find((c) => c.id === check)?.title;
}

// ---- evidence register ----------------------------------------------------------------------------

interface ReadEntry {
  readonly label: string;
  readonly anchor: string;
  readonly phase: 'before' | 'after';
  readonly ref: EvidenceRef;
  /** The full read with its pages, when the report lists it. */
  readonly read: PackageRead | undefined;
}

class ReadIndex {
  readonly entries: ReadEntry[] = [];
  private readonly byKey = new Map<string, ReadEntry>();
  private readonly known = new Map<string, PackageRead>();

  constructor(
    private readonly anchors: Anchors,
    readonly phase: 'before' | 'after',
    private readonly prefix: string,
    reads: readonly PackageRead[],
  ) {
    for (const r of reads) this.known.set(r.sha256, r);
    // The register lists every read of the audit, in the report's order.
    for (const r of reads) this.entry(r);
  }

  entry(ref: EvidenceRef): ReadEntry {
    const existing = this.byKey.get(ref.sha256);
    if (existing) return existing;
    const e: ReadEntry = {
      label: `${this.prefix}${this.entries.length + 1}`,
      anchor: this.anchors.make(`read-${this.phase}`, ref.sha256.slice(0, 16)),
      phase: this.phase,
      ref,
      read: this.known.get(ref.sha256),
    };
    this.entries.push(e);
    this.byKey.set(ref.sha256, e);
    return e;
  }
}

function evidenceCell(refs: readonly EvidenceRef[], index: ReadIndex, groups: readonly EvidenceGroupRef[] = []): string {
  if (refs.length === 0 && groups.length === 0) return '<span class="muted">No API read (not visible through the API)</span>';
  // A shared group (every team roster) is named once, not by its hundreds of reads; they are in the read register.
  const groupCells = groups.map(
    (g) => `<div class="ev">${esc(g.label)} <span class="muted">(${esc(plural(g.size, 'read'))} · ${g.complete ? 'complete' : '<strong class="warn">incomplete</strong>'} · group ${esc(g.id.slice(0, 16))}…)</span></div>`,
  );
  return refs
    .map((ref) => {
      const e = index.entry(ref);
      const completeness = ref.complete ? 'complete' : '<strong class="warn">incomplete</strong>';
      // A one-page read is named by its raw response: link the file itself; else the register row lists the pages.
      const single = e.read?.responses.length === 1 && e.read.responses[0]!.sha256 === ref.sha256 ? rawHref(ref.sha256) : null;
      const short = `${ref.sha256.slice(0, 16)}…`;
      const sha = `<a href="${esc(single ?? `#${e.anchor}`)}" title="${esc(ref.sha256)}">${esc(short)}</a>`;
      return (
        `<div class="ev"><a href="#${e.anchor}">${esc(e.label)}</a> <code>${esc(ref.method)} ${esc(ref.endpoint)}${esc(queryString(ref.query))}</code>` +
        `<br><span class="muted">${esc(plural(ref.pages, 'page'))} · ${esc(plural(ref.items, 'item'))} · ${completeness} · ${esc(formatUtc(ref.fetchedAt))}</span>` +
        `<br><span class="sha">SHA-256 ${sha}</span></div>`
      );
    })
    .concat(groupCells)
    .join('');
}

function readLink(index: ReadIndex, ref: EvidenceRef): string {
  const e = index.entry(ref);
  return `<a href="#${e.anchor}">${esc(e.label)}</a>`;
}

function registerTable(index: ReadIndex, caption: string): string {
  if (index.entries.length === 0) return `<p class="muted">${esc(caption)}: no reads.</p>`;
  const rows = index.entries.map((e) => {
    const pages = e.read?.responses ?? [];
    const fileLink = (sha: string): string => {
      const href = rawHref(sha);
      return href ? `<a class="sha" href="${esc(href)}">${esc(sha)}</a>` : `<span class="sha">${esc(sha)}</span>`;
    };
    let files: string;
    if (pages.length === 1 && pages[0]!.sha256 === e.ref.sha256) {
      files = `${fileLink(e.ref.sha256)}<div class="rawfile muted">raw/&lt;sha256&gt;.json, HTTP ${esc(pages[0]!.status)}</div>`;
    } else if (pages.length > 0) {
      files =
        `<span class="sha">${esc(e.ref.sha256)}</span>` +
        pages.map((p, i) => `<div class="rawfile">page ${i + 1}: ${fileLink(p.sha256)} <span class="muted">HTTP ${esc(p.status)}, ${esc(plural(p.items, 'item'))}</span></div>`).join('');
    } else if (e.ref.pages === 1) {
      files = fileLink(e.ref.sha256);
    } else {
      files = `<span class="sha">${esc(e.ref.sha256)}</span><div class="rawfile muted">no response recorded</div>`;
    }
    return (
      `<tr id="${e.anchor}"><th scope="row">${esc(e.label)}</th>` +
      `<td><code>${esc(e.ref.method)} ${esc(e.ref.endpoint)}${esc(queryString(e.ref.query))}</code></td>` +
      `<td class="num">${esc(e.ref.pages)}</td><td class="num">${esc(e.ref.items)}</td>` +
      `<td>${e.ref.complete ? 'yes' : '<strong class="warn">no</strong>'}</td>` +
      `<td>${esc(formatUtc(e.ref.fetchedAt))}</td>` +
      `<td>${files}</td></tr>`
    );
  });
  return (
    `<table class="register"><caption>${esc(caption)}</caption>` +
    '<colgroup><col style="width:5%"><col style="width:29%"><col style="width:6%"><col style="width:6%"><col style="width:9%"><col style="width:12%"><col style="width:33%"></colgroup>' +
    '<thead><tr><th scope="col">Read</th><th scope="col">Request</th><th scope="col">Pages</th><th scope="col">Items</th><th scope="col">Complete</th><th scope="col">Fetched</th><th scope="col">SHA-256 of the read; raw responses</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

// ---- charts --------------------------------------------------------------------------------------

function describeCounts(c: StatusCounts): string {
  const parts = FINDING_STATUSES.filter((s) => c[s] > 0).map((s) => `${c[s]} ${STATUS_LABELS[s].toLowerCase()}`);
  return parts.length > 0 ? parts.join(', ') : 'no findings';
}

/** Horizontal stacked bars, one per audit, on a common scale so the bars compare in length too. */
function barChart(id: string, title: string, rows: readonly { label: string; counts: StatusCounts }[]): string {
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
  const parts: string[] = [];
  rows.forEach((r, i) => {
    const y = top + i * (rowH + gap);
    parts.push(`<text x="${labelW - 4}" y="${y + rowH / 2 + 4}" text-anchor="end" class="lbl">${esc(r.label)}</text>`);
    const t = total(r.counts);
    if (t === 0) {
      parts.push(`<rect x="${barX}" y="${y}" width="${barW}" height="${rowH}" fill="#f6f8fa" stroke="#d0d7de" data-status="none"/>`);
      parts.push(`<text x="${barX + 8}" y="${y + rowH / 2 + 4}" class="lbl muted-fill">no findings at this level</text>`);
      return;
    }
    let x = barX;
    for (const s of FINDING_STATUSES) {
      const n = r.counts[s];
      if (n === 0) continue;
      const w = (n / max) * barW;
      parts.push(
        `<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${rowH}" fill="${STATUS_COLORS[s]}" data-status="${s}" data-count="${n}">` +
          `<title>${esc(`${r.label}: ${n} ${STATUS_LABELS[s].toLowerCase()}`)}</title></rect>`,
      );
      const text = String(n);
      if (w >= text.length * 7 + 8) {
        parts.push(`<text x="${(x + w / 2).toFixed(2)}" y="${y + rowH / 2 + 4}" text-anchor="middle" class="seg">${esc(text)}</text>`);
      }
      x += w;
    }
    parts.push(`<text x="${(barX + (t / max) * barW + 6).toFixed(2)}" y="${y + rowH / 2 + 4}" class="lbl">${esc(String(t))}</text>`);
  });
  return (
    `<svg id="${id}" class="bars" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" ` +
    `aria-label="${esc(`${title}. ${description}.`)}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${esc(`${title}: ${description}`)}</title>${parts.join('')}</svg>`
  );
}

function legend(): string {
  const items = FINDING_STATUSES.map(
    (s) =>
      `<li><svg width="14" height="14" aria-hidden="true" focusable="false"><rect width="14" height="14" rx="2" fill="${STATUS_COLORS[s]}"/></svg> ${esc(STATUS_LABELS[s])}</li>`,
  );
  return `<ul class="legend" aria-label="Legend">${items.join('')}</ul>`;
}

// ---- sections ------------------------------------------------------------------------------------

interface Context {
  readonly report: EvidenceReport;
  readonly signature: ReportSignatureInfo | null;
  readonly views: readonly ControlView[];
  readonly sections: readonly { id: string; title: string }[];
  readonly anchors: Anchors;
  readonly afterReads: ReadIndex;
  readonly beforeReads: ReadIndex | null;
  readonly controlAnchor: Map<string, string>;
  readonly sectionAnchor: Map<string, string>;
  /** Row anchors of exceptions and attestations, by entry. */
  readonly entryAnchor: Map<object, string>;
  readonly hasBefore: boolean;
  /** Final-audit finding keys covered by an exception. */
  readonly exceptionsByKey: Map<string, EvidenceReport['exceptions']>;
}

function cover(ctx: Context, opts: RenderReportHtmlOptions): string {
  const r = ctx.report;
  const signature = ctx.signature;
  const user = r.token.user;
  const operator = user
    ? `${esc(user.email ?? '(no email)')} <span class="muted">(Sentry user ${esc(user.id)}${user.has2fa === null ? '' : user.has2fa ? ', two-factor on' : ', two-factor off'})</span>`
    : '<span class="muted">no user (the token belongs to no person)</span>';
  const scopes = r.token.scopes.length > 0 ? r.token.scopes.map((s) => `<code>${esc(s)}</code>`).join(' ') : '<span class="muted">none reported</span>';
  const sig = signature
    ? `<span class="sha">${esc(signature.fingerprint)}</span><br><span class="muted">key id ${esc(signature.keyid)}</span>`
    : '<strong>unsigned</strong> <span class="muted">(this page carries no signature; its integrity cannot be checked)</span>';
  const applied = r.changes.filter((c) => c.outcome === 'applied').length;
  const kind = ctx.hasBefore
    ? `Before and after a hardening session: ${esc(plural(r.changes.length, 'change'))} planned, ${esc(applied)} applied`
    : 'Audit only: no change was made';
  const audits = r.before
    ? `<dt>Audit before</dt><dd>${esc(formatUtc(r.before.startedAt))} to ${esc(formatUtc(r.before.finishedAt))}</dd>` +
      `<dt>Audit after</dt><dd>${esc(formatUtc(r.startedAt))} to ${esc(formatUtc(r.finishedAt))}</dd>`
    : `<dt>Audit</dt><dd>${esc(formatUtc(r.startedAt))} to ${esc(formatUtc(r.finishedAt))}</dd>`;
  const session = r.session && r.before ? `<dt>Session</dt><dd>${esc(formatUtc(r.session.startedAt))} to ${esc(formatUtc(r.session.finishedAt))}</dd>` : '';
  return (
    '<header class="cover" id="cover">' +
    '<p class="kicker">Sentry hardening evidence</p>' +
    `<h1>${esc(r.target.org.name)}</h1>` +
    `<p class="slug">Organization <code>${esc(r.target.org.slug)}</code> <span class="muted">(id ${esc(r.target.org.id)})</span></p>` +
    `<p class="kind">${kind}</p>` +
    '<dl class="facts">' +
    `<dt>Sentry</dt><dd><span class="url">${esc(r.target.url)}</span>${r.target.regionUrl && r.target.regionUrl !== r.target.url ? ` <span class="muted">(region <span class="url">${esc(r.target.regionUrl)}</span>)</span>` : ''}</dd>` +
    session +
    audits +
    `<dt>Level</dt><dd>${esc(r.level)} <span class="muted">(checks of this level and below)</span></dd>` +
    `<dt>Operator</dt><dd>${operator}</dd>` +
    `<dt>Token</dt><dd>${esc(tokenKindLabel(r.token.kind))}; scopes ${scopes}<br><span class="muted">The token itself is never recorded.</span></dd>` +
    `<dt>Signature</dt><dd>${sig}</dd>` +
    `<dt>Next review</dt><dd>${esc(formatDate(r.review.nextReviewDate))}</dd>` +
    `<dt>Tool</dt><dd>${esc(r.tool.name)} ${esc(r.tool.version)}; control catalog ${esc(r.catalog.version)}</dd>` +
    `<dt>Generated</dt><dd>${esc(formatUtc(opts.generatedAt ?? r.finishedAt))}</dd>` +
    '</dl>' +
    `<p class="disclaimer" role="note"><strong>What the signature proves.</strong> ${esc(r.disclaimer)}</p>` +
    '</header>'
  );
}

function tokenKindLabel(kind: EvidenceReport['token']['kind']): string {
  switch (kind) {
    case 'user':
      return 'personal user token';
    case 'org_auth_token':
      return 'organization auth token';
    case 'internal_integration':
      return 'internal integration token';
    default:
      return 'token of unknown kind';
  }
}

function toc(ctx: Context): string {
  const items = [
    ['scorecard', 'Scorecard'],
    ['findings', 'Findings by control'],
    ['changes', 'Change log'],
    ...(ctx.report.drift ? [['drift', 'Drift since the last review']] : []),
    ['exceptions', 'Exceptions (accepted risk)'],
    ['attestations', 'Attestations'],
    ['integration-register', 'Integration permission register'],
    ['review', 'Next review'],
    ['evidence-register', 'Evidence register'],
    ['about', 'About this evidence'],
  ];
  const sub = ctx.sections.map((s) => `<li><a href="#${ctx.sectionAnchor.get(s.id)!}">${esc(sectionLabel(s))}</a></li>`).join('');
  return (
    '<nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">Contents</h2><ol>' +
    items.map(([id, t]) => `<li><a href="#${id}">${esc(t)}</a>${id === 'findings' ? `<ol>${sub}</ol>` : ''}</li>`).join('') +
    '</ol></nav>'
  );
}

function sectionLabel(s: { id: string; title: string }): string {
  return `${s.id} ${s.title}`;
}

function countsCell(before: StatusCounts | null, after: StatusCounts, s: FindingStatus): string {
  if (!before || before[s] === after[s]) return esc(after[s]);
  return `${esc(before[s])} → <strong>${esc(after[s])}</strong>`;
}

function scorecard(ctx: Context): string {
  const r = ctx.report;
  const after = countOf(r.findings);
  const before = r.before ? countOf(r.before.findings) : null;
  const head = before
    ? '<tr><th scope="col">Status</th><th scope="col">Before</th><th scope="col">After</th><th scope="col">Change</th></tr>'
    : '<tr><th scope="col">Status</th><th scope="col">Findings</th></tr>';
  const rows = FINDING_STATUSES.map((s) => {
    const delta = before ? after[s] - before[s] : 0;
    return (
      `<tr><th scope="row">${badge(s)}</th>` +
      (before ? `<td class="num">${esc(before[s])}</td>` : '') +
      `<td class="num">${esc(after[s])}</td>` +
      (before ? `<td class="num">${delta === 0 ? '0' : delta > 0 ? `+${delta}` : `−${-delta}`}</td>` : '') +
      '</tr>'
    );
  });
  rows.push(
    `<tr class="total"><th scope="row">Total</th>${before ? `<td class="num">${esc(total(before))}</td>` : ''}<td class="num">${esc(total(after))}</td>${before ? '<td></td>' : ''}</tr>`,
  );
  const coveredFails = r.exceptionSummary?.accepted ?? r.findings.filter((f) => f.status === 'fail' && (ctx.exceptionsByKey.get(findingKey(f)) ?? []).some((e) => e.active)).length;
  const activeCount = r.exceptions.filter((e) => e.active).length;
  const expiredCount = r.exceptions.length - activeCount;

  const charts = ctx.sections.map((s) => {
    const ids = new Set(ctx.views.filter((v) => v.section === s.id).map((v) => v.id));
    const a = countOf(r.findings.filter((f) => ids.has(f.control)));
    const rowsData = r.before ? [{ label: 'Before', counts: countOf(r.before.findings.filter((f) => ids.has(f.control))) }, { label: 'After', counts: a }] : [{ label: 'Audit', counts: a }];
    const chartId = ctx.anchors.make('chart-section', s.id);
    const controlRows = ctx.views
      .filter((v) => v.section === s.id)
      .map((v) => {
        const ac = countOf(r.findings.filter((f) => f.control === v.id));
        const bc = r.before ? countOf(r.before.findings.filter((f) => f.control === v.id)) : null;
        const link = ctx.controlAnchor.get(v.id);
        return (
          `<tr><th scope="row">${link ? `<a href="#${link}">${esc(v.id)}</a>` : esc(v.id)}</th><td>${esc(v.title)}</td><td>${esc(v.level)}</td>` +
          FINDING_STATUSES.map((st) => `<td class="num">${countsCell(bc, ac, st)}</td>`).join('') +
          '</tr>'
        );
      });
    return (
      `<figure class="chart" aria-labelledby="${chartId}-cap">` +
      `<figcaption id="${chartId}-cap"><h3>${esc(sectionLabel(s))}</h3></figcaption>` +
      barChart(chartId, `Section ${s.id} ${s.title}`, rowsData) +
      (controlRows.length > 0
        ? `<table class="counts"><caption class="sr-only">${esc(`Findings per control in section ${sectionLabel(s)}`)}${before ? ', before → after' : ''}</caption>` +
          '<colgroup><col style="width:8%"><col style="width:42%"><col style="width:7%"><col span="5" style="width:8.6%"></colgroup>' +
          `<thead><tr><th scope="col">Control</th><th scope="col">Title</th><th scope="col">Level</th>${FINDING_STATUSES.map((st) => `<th scope="col">${esc(STATUS_LABELS[st])}</th>`).join('')}</tr></thead>` +
          `<tbody>${controlRows.join('')}</tbody></table>`
        : '') +
      '</figure>'
    );
  });

  return (
    '<section id="scorecard" class="page" aria-labelledby="scorecard-h">' +
    `<h2 id="scorecard-h">Scorecard</h2>` +
    `<p>${before ? 'Findings of the audit before the session and of the audit after it.' : 'Findings of the audit.'} ` +
    'A check passes only on complete evidence; what could not be evaluated is an error, and what the API cannot show is manual.</p>' +
    `<div class="totals"><table class="summary"><caption>All sections</caption><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>` +
    `<p class="note" id="exception-summary">${esc(plural(coveredFails, 'failing finding'))} of the ${before ? 'after ' : ''}audit ${coveredFails === 1 ? 'is' : 'are'} accepted by an active exception: ` +
    `${esc(after.fail - coveredFails)} fail with exceptions, ${esc(after.fail)} without. ` +
    `<a href="#exceptions">${esc(plural(activeCount, 'exception'))} active, ${esc(expiredCount)} expired</a>. ` +
    'An exception does not change a finding\'s status, and an expired one no longer counts.</p></div>' +
    legend() +
    `<div id="scorecard-charts" class="charts">${charts.join('')}</div>` +
    '</section>'
  );
}

function resourceCell(f: Finding): string {
  const showId = f.resource.id !== f.resource.name;
  return `<span class="rtype">${esc(f.resource.type)}</span> ${esc(f.resource.name)}${showId ? `<br><code class="rid">${esc(f.resource.id)}</code>` : ''}`;
}

function exceptionNote(ctx: Context, f: Finding): string {
  // Active exceptions name what they cover; an expired one covers nothing, so it is matched here
  // only to say that it no longer counts.
  const active = (ctx.exceptionsByKey.get(findingKey(f)) ?? []).filter((e) => e.active);
  const expired = f.status === 'fail' ? ctx.report.exceptions.filter((e) => !e.active && exceptionMatches(e, f)) : [];
  return [...active, ...expired]
    .map((e) =>
      e.active
        ? `<div class="exc"><a href="#${ctx.entryAnchor.get(e)!}">Exception ${esc(e.id)}</a>: accepted risk${e.expiresAt ? ` until ${esc(formatDate(e.expiresAt))}` : ''}</div>`
        : `<div class="exc expired"><a href="#${ctx.entryAnchor.get(e)!}">Exception ${esc(e.id)}</a> expired${e.expiresAt ? ` ${esc(formatDate(e.expiresAt))}` : ''}: no longer counts</div>`,
    )
    .join('');
}


function messageCell(f: Finding): string {
  const code = f.errorCode ? ` <code>${esc(f.errorCode)}</code>` : '';
  const details = f.details && Object.keys(f.details).length > 0 ? `<div class="details"><code>${esc(compactJson(f.details))}</code></div>` : '';
  return `${esc(f.message)}${code}${details}`;
}

function controlBlock(ctx: Context, v: ControlView): string {
  const r = ctx.report;
  const after = r.findings.filter((f) => f.control === v.id);
  const before = r.before ? r.before.findings.filter((f) => f.control === v.id) : [];
  const beforeByKey = new Map(before.map((f) => [findingKey(f), f]));
  const afterKeys = new Set(after.map(findingKey));
  const anchor = ctx.controlAnchor.get(v.id)!;
  const d = v.definition;
  const mappings =
    '<dl class="mappings">' +
    `<dt>SOC 2</dt><dd>${esc(v.mappings.soc2.join(', ') || '—')}</dd>` +
    `<dt>NIST 800-53</dt><dd>${esc(v.mappings.nist.join(', ') || '—')}</dd>` +
    `<dt>CIS Controls v8</dt><dd>${esc(v.mappings.cis.join(', ') || '—')}</dd>` +
    '</dl>';
  const attest = r.attestations.filter((a) => a.control === v.id);
  const attestNote =
    attest.length > 0
      ? `<p class="note">Attested: ${attest.map((a) => `<a href="#${ctx.entryAnchor.get(a)!}">${esc(a.id)}</a> by ${esc(a.attestedBy)}`).join('; ')}.</p>`
      : '';
  const needsSteps = after.some((f) => f.status === 'manual' || f.status === 'fail');
  const steps =
    needsSteps && d && d.manualSteps.length > 0
      ? `<div class="steps"><h5>Manual steps in Sentry</h5><ol>${d.manualSteps.map((s) => `<li>${esc(s)}</li>`).join('')}</ol></div>`
      : '';

  const head = ctx.hasBefore
    ? '<tr><th scope="col">Before</th><th scope="col">After</th><th scope="col">Check</th><th scope="col">Resource</th><th scope="col">Finding</th><th scope="col">Evidence</th></tr>'
    : '<tr><th scope="col">Status</th><th scope="col">Check</th><th scope="col">Resource</th><th scope="col">Finding</th><th scope="col">Evidence</th></tr>';
  const cols = ctx.hasBefore
    ? '<colgroup><col style="width:9%"><col style="width:10%"><col style="width:14%"><col style="width:15%"><col style="width:25%"><col style="width:27%"></colgroup>'
    : '<colgroup><col style="width:10%"><col style="width:15%"><col style="width:17%"><col style="width:30%"><col style="width:28%"></colgroup>';
  const checkCell = (f: Finding): string => {
    const title = checkTitle(v, f.check);
    return `<code>${esc(f.check)}</code>${title ? `<br><span class="muted">${esc(title)}</span>` : ''} <span class="lvl">${esc(f.level)}</span>`;
  };
  const rows: string[] = [];
  for (const f of after) {
    const b = beforeByKey.get(findingKey(f));
    const statusCells = ctx.hasBefore
      ? `<td>${b ? badge(b.status) : '<span class="muted">—</span>'}</td><td>${badge(f.status)}${exceptionNote(ctx, f)}</td>`
      : `<td>${badge(f.status)}${exceptionNote(ctx, f)}</td>`;
    // What the before audit said, when it said something else.
    const was =
      b && b.message !== f.message
        ? `<div class="was"><span class="muted">Before:</span> ${messageCell(b)}${b.evidence.length > 0 ? ` <span class="muted">(evidence ${b.evidence.map((e) => readLink(ctx.beforeReads!, e)).join(', ')})</span>` : ''}</div>`
        : '';
    rows.push(`<tr class="finding">${statusCells}<td>${checkCell(f)}</td><td>${resourceCell(f)}</td><td>${messageCell(f)}${was}</td><td>${evidenceCell(f.evidence, ctx.afterReads, f.evidenceGroups)}</td></tr>`);
  }
  // Findings the after audit no longer has (a key that was replaced, a check that now passes org-wide).
  for (const b of before) {
    if (afterKeys.has(findingKey(b))) continue;
    rows.push(
      `<tr class="finding gone"><td>${badge(b.status)}</td><td><span class="muted">not in the after audit</span></td><td>${checkCell(b)}</td><td>${resourceCell(b)}</td>` +
        `<td>${messageCell(b)}</td><td>${evidenceCell(b.evidence, ctx.beforeReads!, b.evidenceGroups)}</td></tr>`,
    );
  }
  const table =
    rows.length > 0
      ? `<table class="findings"><caption class="sr-only">${esc(`Findings of control ${v.id}`)}</caption>${cols}<thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`
      : `<p class="muted">No check of this control is part of a level ${esc(r.level)} audit.</p>`;
  const counts = countOf(after);
  return (
    `<section class="control" id="${anchor}" aria-labelledby="${anchor}-h">` +
    `<h4 id="${anchor}-h"><span class="cid">${esc(v.id)}</span> ${esc(v.title)} <span class="lvl">${esc(v.level)}</span></h4>` +
    `<p class="ccounts">${FINDING_STATUSES.filter((s) => counts[s] > 0).map((s) => `${badge(s)} ${esc(counts[s])}`).join(' ') || '<span class="muted">no findings</span>'}</p>` +
    mappings +
    (d ? `<p class="rationale">${esc(d.rationale)}</p>` : '') +
    attestNote +
    table +
    steps +
    '</section>'
  );
}

function findingsSection(ctx: Context): string {
  const parts = ctx.sections.map((s) => {
    const views = ctx.views.filter((v) => v.section === s.id);
    return (
      `<section class="gsection" id="${ctx.sectionAnchor.get(s.id)!}" aria-labelledby="${ctx.sectionAnchor.get(s.id)!}-h">` +
      `<h3 id="${ctx.sectionAnchor.get(s.id)!}-h">${esc(sectionLabel(s))}</h3>` +
      (views.length > 0 ? views.map((v) => controlBlock(ctx, v)).join('') : '<p class="muted">No control of this section was audited.</p>') +
      '</section>'
    );
  });
  return (
    '<section id="findings" class="page" aria-labelledby="findings-h">' +
    '<h2 id="findings-h">Findings by control</h2>' +
    `<p>Each finding names its evidence: the read (R for the ${ctx.hasBefore ? 'after audit, B for the before audit' : 'audit'}) with its request, pages, items and time, ` +
    'and the SHA-256 that names it in the <a href="#evidence-register">evidence register</a>, where every raw response is linked.</p>' +
    parts.join('') +
    '</section>'
  );
}

function valuesText(v: Record<string, unknown> | null): string {
  if (v === null) return '—';
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  return entries.map(([k, val]) => `${k}: ${compactJson(val, 200)}`).join(', ');
}

function changeLog(ctx: Context): string {
  const changes = ctx.report.changes;
  if (changes.length === 0) {
    return (
      '<section id="changes" class="page" aria-labelledby="changes-h"><h2 id="changes-h">Change log</h2>' +
      `<p>${ctx.hasBefore ? 'The session recorded no change.' : 'This package records an audit only: no change was made to the organization.'}</p></section>`
    );
  }
  const counts = new Map<OutcomeStatus, number>();
  for (const c of changes) counts.set(c.outcome, (counts.get(c.outcome) ?? 0) + 1);
  const summary = [...counts].map(([o, n]) => `${badge(OUTCOME_TONE[o], OUTCOME_LABELS[o])} ${esc(n)}`).join(' ');
  const row = (c: ChangeRecord): string =>
    `<tr><th scope="row"><code>${esc(c.id)}</code>${c.risk === 'high' ? '<br><span class="risk">high risk</span>' : ''}</th>` +
    `<td><code>${esc(c.check)}</code><br><span class="muted">${esc(c.description)}</span></td>` +
    `<td><span class="rtype">${esc(c.resource.type)}</span> ${esc(c.resource.name)}</td>` +
    `<td><strong>${esc(c.field)}</strong><br><code>${esc(valuesText(c.before))}</code><br>→ <code>${esc(valuesText(c.after))}</code></td>` +
    `<td><code>${esc(c.request.method)} ${esc(c.request.path)}</code><br><span class="muted">${esc(c.request.host)} host</span>` +
    `${c.request.body === undefined ? '' : `<br><code class="body">${esc(compactJson(c.request.body, 300))}</code>`}</td>` +
    `<td>${badge(OUTCOME_TONE[c.outcome], OUTCOME_LABELS[c.outcome])} <span class="muted">${esc(formatUtc(c.at))}</span>` +
    `${c.message ? `<br>${esc(c.message)}` : ''}` +
    `${c.error ? `<br><span class="warn">${esc(c.error.message)}</span> <code>${esc(c.error.code)}</code>` : ''}` +
    `<br>Response: ${c.response ? `HTTP ${esc(c.response.status)}${Object.keys(c.response.fields).length > 0 ? ` <code>${esc(compactJson(c.response.fields, 200))}</code>` : ''}` : '<span class="muted">not sent</span>'}` +
    `<br>Read back: ${c.recheck ? `<code>${esc(valuesText(c.recheck))}</code>` : '<span class="muted">—</span>'}</td></tr>`;
  return (
    '<section id="changes" class="page" aria-labelledby="changes-h"><h2 id="changes-h">Change log</h2>' +
    `<p>Every change of the session as the journal recorded it: the values read before, the exact request, Sentry's answer, the values read back, and the outcome. ${summary}</p>` +
    '<table class="changes"><caption class="sr-only">Changes</caption>' +
    '<colgroup><col style="width:7%"><col style="width:18%"><col style="width:12%"><col style="width:19%"><col style="width:21%"><col style="width:23%"></colgroup>' +
    '<thead><tr><th scope="col">Change</th><th scope="col">Check</th><th scope="col">Resource</th><th scope="col">Field: before → after</th><th scope="col">Request</th><th scope="col">Outcome</th></tr></thead>' +
    `<tbody>${changes.map(row).join('')}</tbody></table></section>`
  );
}

function statusOrNone(s: FindingStatus | null): string {
  return s === null ? '<span class="muted">not reported</span>' : badge(s);
}

function driftTable(caption: string, items: readonly DriftFinding[]): string {
  if (items.length === 0) return '';
  return (
    `<table class="drift"><caption>${esc(caption)} (${esc(items.length)})</caption>` +
    '<colgroup><col style="width:18%"><col style="width:20%"><col style="width:11%"><col style="width:11%"><col style="width:40%"></colgroup>' +
    '<thead><tr><th scope="col">Check</th><th scope="col">Resource</th><th scope="col">Baseline</th><th scope="col">Now</th><th scope="col">Finding</th></tr></thead><tbody>' +
    items
      .map(
        (d) =>
          `<tr><td><code>${esc(d.check)}</code></td><td><span class="rtype">${esc(d.resource.type)}</span> ${esc(d.resource.name)}</td>` +
          `<td>${statusOrNone(d.before)}</td><td>${statusOrNone(d.after)}</td><td>${esc(d.message)}</td></tr>`,
      )
      .join('') +
    '</tbody></table>'
  );
}

function scopesTable(caption: string, items: Drift['newIntegrations']): string {
  if (items.length === 0) return '';
  return (
    `<table class="drift"><caption>${esc(caption)} (${esc(items.length)})</caption><colgroup><col style="width:40%"><col style="width:60%"></colgroup>` +
    '<thead><tr><th scope="col">Resource</th><th scope="col">Scopes</th></tr></thead><tbody>' +
    items
      .map((i) => `<tr><td><span class="rtype">${esc(i.resource.type)}</span> ${esc(i.resource.name)}</td><td>${i.scopes.map((x) => `<code>${esc(x)}</code>`).join(' ') || '<span class="muted">none</span>'}</td></tr>`)
      .join('') +
    '</tbody></table>'
  );
}

function driftSection(ctx: Context): string {
  const d = ctx.report.drift;
  if (!d) return '';
  const b = d.baseline;
  const parts = [
    driftTable('Newly failing', d.newlyFailing),
    driftTable('Regressed: passed at the baseline, failing now', d.regressed),
    driftTable('Fixed since the baseline', d.fixed),
    driftTable('Failed at the baseline, no longer reported', d.noLongerReported),
    scopesTable('New integrations', d.newIntegrations),
    scopesTable('New scopes', d.newScopes),
    d.expiredExceptions.length > 0
      ? `<table class="drift"><caption>Exceptions expired since the baseline (${esc(d.expiredExceptions.length)})</caption><colgroup><col style="width:14%"><col style="width:12%"><col style="width:16%"><col style="width:58%"></colgroup>` +
        '<thead><tr><th scope="col">Exception</th><th scope="col">Control</th><th scope="col">Expired</th><th scope="col">Rationale</th></tr></thead><tbody>' +
        d.expiredExceptions
          .map((e) => `<tr><td>${esc(e.id)}</td><td>${esc(e.control)}</td><td>${e.expiresAt ? esc(formatDate(e.expiresAt)) : '—'}</td><td>${esc(e.reason)}</td></tr>`)
          .join('') +
        '</tbody></table>'
      : '',
  ].filter((p) => p !== '');
  return (
    '<section id="drift" class="page" aria-labelledby="drift-h"><h2 id="drift-h">Drift since the last review</h2>' +
    `<p>Compared with the baseline package of the session ${esc(formatUtc(b.startedAt))} to ${esc(formatUtc(b.finishedAt))} (level ${esc(b.level)}), ` +
    `report.json SHA-256 <span class="sha">${esc(b.reportSha256)}</span>, ${b.signer ? `signed by <span class="sha">${esc(b.signer)}</span>` : 'unsigned'}.</p>` +
    (d.notes.length > 0 ? `<ul class="notes">${d.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '') +
    (parts.length > 0 ? parts.join('') : '<p>Nothing changed since the baseline.</p>') +
    '</section>'
  );
}

function exceptionsSection(ctx: Context): string {
  const list = ctx.report.exceptions;
  const body =
    list.length === 0
      ? '<p>No exception is registered.</p>'
      : '<table class="exceptions"><caption class="sr-only">Exceptions</caption>' +
        '<colgroup><col style="width:9%"><col style="width:15%"><col style="width:30%"><col style="width:14%"><col style="width:10%"><col style="width:10%"><col style="width:12%"></colgroup>' +
        '<thead><tr><th scope="col">Exception</th><th scope="col">Applies to</th><th scope="col">Rationale</th><th scope="col">Owner / approver</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">State</th></tr></thead><tbody>' +
        list
          .map(
            (e) =>
              `<tr id="${ctx.entryAnchor.get(e)!}"><th scope="row">${esc(e.id)}</th>` +
              `<td>Control ${esc(e.control)}${e.check ? `<br><code>${esc(e.check)}</code>` : ''}${e.resource ? `<br><span class="muted">${esc(e.resource)}</span>` : ''}</td>` +
              `<td>${esc(e.reason)}</td><td>${esc(e.approvedBy)}</td><td>${esc(formatDate(e.createdAt))}</td>` +
              `<td>${e.expiresAt ? esc(formatDate(e.expiresAt)) : '<span class="muted">no expiry</span>'}</td>` +
              `<td>${e.active ? badge('pass', 'Active') : badge('fail', 'Expired')}<br><span class="muted">covers ${esc(plural(e.covers.length, 'finding'))}</span></td></tr>`,
          )
          .join('') +
        '</tbody></table>';
  return (
    '<section id="exceptions" class="page" aria-labelledby="exceptions-h"><h2 id="exceptions-h">Exceptions (accepted risk)</h2>' +
    '<p>An exception records a decision to accept a failing check for a while. The finding keeps its real status; the exception is a layer on top. An expired exception no longer counts.</p>' +
    body +
    '</section>'
  );
}

function attestationsSection(ctx: Context): string {
  const list = ctx.report.attestations;
  const body =
    list.length === 0
      ? '<p>No attestation is recorded.</p>'
      : '<table class="attestations"><caption class="sr-only">Attestations</caption>' +
        '<colgroup><col style="width:10%"><col style="width:18%"><col style="width:44%"><col style="width:14%"><col style="width:14%"></colgroup>' +
        '<thead><tr><th scope="col">Attestation</th><th scope="col">Control</th><th scope="col">Statement</th><th scope="col">Attested by</th><th scope="col">When</th></tr></thead><tbody>' +
        list
          .map((a) => {
            const v = ctx.views.find((x) => x.id === a.control);
            return (
              `<tr id="${ctx.entryAnchor.get(a)!}"><th scope="row">${esc(a.id)}</th><td>${esc(a.control)}${v ? ` <span class="muted">${esc(v.title)}</span>` : ''}</td>` +
              `<td>${esc(a.statement)}</td><td>${esc(a.attestedBy)}</td><td>${esc(formatUtc(a.attestedAt))}</td></tr>`
            );
          })
          .join('') +
        '</tbody></table>';
  return (
    '<section id="attestations" class="page" aria-labelledby="attestations-h"><h2 id="attestations-h">Attestations</h2>' +
    '<p>Statements by named people about what the API cannot show (identity-provider MFA, Relay deployment, SDK-side scrubbing). They are recorded as given; the tool does not check them.</p>' +
    body +
    '</section>'
  );
}

function integrationRegisterSection(ctx: Context): string {
  const list = ctx.report.integrationRegister;
  const body =
    list.length === 0
      ? '<p>The integration permission register is empty.</p>'
      : '<table class="integrations"><caption class="sr-only">Integration permission register</caption>' +
        '<colgroup><col style="width:18%"><col style="width:24%"><col style="width:30%"><col style="width:14%"><col style="width:14%"></colgroup>' +
        '<thead><tr><th scope="col">Integration</th><th scope="col">Permissions granted</th><th scope="col">Why they are needed</th><th scope="col">Owner</th><th scope="col">Last reviewed</th></tr></thead><tbody>' +
        list
          .map(
            (i) =>
              `<tr><th scope="row">${esc(i.integration)}</th><td>${i.permissions.length > 0 ? i.permissions.map((p) => `<code>${esc(p)}</code>`).join(' ') : '<span class="muted">none listed</span>'}</td>` +
              `<td>${esc(i.rationale)}</td><td>${esc(i.owner)}</td><td>${esc(i.lastReviewed)}</td></tr>`,
          )
          .join('') +
        '</tbody></table>';
  return (
    '<section id="integration-register" class="page" aria-labelledby="integration-register-h"><h2 id="integration-register-h">Integration permission register</h2>' +
    '<p>For each integration: the permissions it was granted, why each is needed, who owns it and when it was last reviewed (controls INT.4 and INT.5).</p>' +
    body +
    '</section>'
  );
}

function reviewSection(ctx: Context): string {
  const r = ctx.report.review;
  return (
    '<section id="review" aria-labelledby="review-h"><h2 id="review-h">Next review</h2>' +
    `<p class="review-date">The next review is due on <strong>${esc(formatDate(r.nextReviewDate))}</strong>, ${esc(plural(r.intervalDays, 'day'))} after this session.</p>` +
    `<p>The package holds the date as a calendar event (<code>${esc(ICS_FILE)}</code>). At the review, audit again and compare with this package as the baseline.</p>` +
    '</section>'
  );
}

function evidenceRegisterSection(ctx: Context): string {
  return (
    '<section id="evidence-register" class="page" aria-labelledby="evidence-register-h"><h2 id="evidence-register-h">Evidence register</h2>' +
    '<p>Every read a verdict rests on. A read is one request with all its pages; its SHA-256 is that of its one response, or of its pages\' hashes joined by newlines. ' +
    'Each response is in the package as <code>raw/&lt;sha256&gt;.json</code> with secrets redacted, and verification recomputes every verdict from those files.</p>' +
    registerTable(ctx.afterReads, ctx.hasBefore ? 'Reads of the after audit' : 'Reads of the audit') +
    (ctx.beforeReads ? registerTable(ctx.beforeReads, 'Reads of the before audit') : '') +
    '</section>'
  );
}

function aboutSection(ctx: Context): string {
  const r = ctx.report;
  const signature = ctx.signature;
  const settings = Object.entries(r.settings)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd><code>${esc(compactJson(v, 600))}</code></dd>`)
    .join('');
  return (
    '<section id="about" class="page" aria-labelledby="about-h"><h2 id="about-h">About this evidence</h2>' +
    `<p class="disclaimer" role="note"><strong>What the signature proves.</strong> ${esc(r.disclaimer)}</p>` +
    '<h3>Verifying the package</h3>' +
    `<p>Verification needs no network: <code>sentry-harden verify PACKAGE --key ${esc(PUBLIC_KEY_FILE)}</code> checks the signature, the hash of every file, ` +
    'and recomputes every verdict from <code>raw/</code> with the same control code. Any changed byte in any file fails verification and names the file.</p>' +
    '<dl class="facts">' +
    `<dt>Signing key</dt><dd>${signature ? `<span class="sha">${esc(signature.fingerprint)}</span> <span class="muted">(key id ${esc(signature.keyid)})</span>` : '<strong>unsigned</strong>'}</dd>` +
    `<dt>Tool</dt><dd>${esc(r.tool.name)} ${esc(r.tool.version)}</dd>` +
    `<dt>Control catalog</dt><dd>${esc(r.catalog.version)}, digest <span class="sha">${esc(r.catalog.digest)}</span></dd>` +
    `<dt>Requests</dt><dd>${esc(r.summary.requests)} (${esc(r.summary.rateLimited)} rate-limited and retried); ${esc(plural(r.responses.length, 'response'))} recorded for the ${ctx.hasBefore ? 'after ' : ''}audit` +
    `${r.before ? `, ${esc(plural(r.before.responses.length, 'response'))} for the before audit` : ''}</dd>` +
    `<dt>Spreadsheet</dt><dd><code>${esc(CSV_FILE)}</code>: one row per finding</dd>` +
    '</dl>' +
    '<h3>Thresholds used</h3>' +
    `<dl class="settings">${settings || '<dt>none</dt><dd>defaults</dd>'}</dl>` +
    '</section>'
  );
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 1100px; padding: 24px 32px 48px; color: #1f2328; background: #fff;
  font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
h1 { font-size: 30px; margin: 4px 0 6px; }
h2 { font-size: 22px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #1f2328; }
h3 { font-size: 17px; margin: 22px 0 8px; }
h4 { font-size: 15px; margin: 18px 0 6px; }
h5 { font-size: 13px; margin: 10px 0 4px; }
code, .sha, .url { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
.sha { overflow-wrap: anywhere; }
a { color: #0b57c4; }
.muted { color: #57606a; }
.warn { color: #b3261e; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.cover { border-bottom: 2px solid #1f2328; padding-bottom: 16px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; color: #57606a; margin: 0; font-size: 12px; }
.slug { margin: 0 0 4px; } .kind { margin: 0 0 12px; font-weight: 600; }
dl.facts { display: grid; grid-template-columns: 150px 1fr; gap: 4px 16px; margin: 12px 0; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.disclaimer { border-left: 4px solid #2f5fa7; background: #f3f6fb; padding: 8px 12px; }
nav.toc ol { margin: 4px 0; } nav.toc li { margin: 2px 0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 8px 0 12px; }
th, td { border: 1px solid #d0d7de; padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
thead th { background: #eef1f4; font-size: 12px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.summary { width: auto; min-width: 360px; table-layout: auto; }
tr.total th, tr.total td { font-weight: 700; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; white-space: nowrap; }
${FINDING_STATUSES.map((s) => `.s-${s} { background: ${STATUS_COLORS[s]}; }`).join('\n')}
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
.rtype { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #57606a; }
table.findings, table.changes, table.register, table.exceptions, table.drift { font-size: 12.5px; }
.ev + .ev { margin-top: 4px; padding-top: 4px; border-top: 1px dotted #d0d7de; }
.ev { font-size: 11.5px; } .ev code { font-size: 11px; } .ev .sha, .rawfile, table.register .sha { font-size: 11px; }
table.changes code { font-size: 11px; }
.details code, code.body, code.rid { font-size: 11px; color: #3d444d; }
tr.gone td { background: #fafbfc; }
.was { margin-top: 4px; padding-top: 3px; border-top: 1px dotted #d0d7de; font-size: 12px; }
.exc { font-size: 11.5px; margin-top: 3px; } .exc.expired { color: #b3261e; }
.risk { font-size: 11px; color: #b3261e; font-weight: 600; }
.steps { background: #f6f8fa; border: 1px solid #d0d7de; padding: 4px 12px; margin: 6px 0 10px; font-size: 13px; }
dl.settings { display: grid; grid-template-columns: 220px 1fr; gap: 2px 12px; font-size: 13px; }
dl.settings dd { margin: 0; overflow-wrap: anywhere; }
.review-date { font-size: 16px; }
footer { margin-top: 32px; font-size: 12px; color: #57606a; border-top: 1px solid #d0d7de; padding-top: 6px; }
@page { margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  table.findings, table.changes, table.register, table.exceptions, table.counts, table.attestations, table.integrations { font-size: 8.5pt; }
  code, .sha, .url { font-size: 8pt; }
  .ev, .ev code, .ev .sha, .rawfile, table.register .sha, table.changes code, .details code, code.body, code.rid { font-size: 7.5pt; }
  .badge { font-size: 8pt; }
  a { color: inherit; text-decoration: none; }
  nav.toc { break-after: page; }
  section.page { break-before: page; }
  h2, h3, h4, h5, caption { break-after: avoid; }
  thead { display: table-header-group; }
  tr, figure.chart, .disclaimer, .steps, dl.mappings { break-inside: avoid; }
  .control > h4 { break-before: auto; }
}
`;

/** Renders `report.html`. Pure: the same report and options give the same bytes. */
export function renderReportHtml(report: EvidenceReport, opts: RenderReportHtmlOptions = {}): string {
  const anchors = new Anchors();
  for (const reserved of ['cover', 'toc', 'scorecard', 'exception-summary', 'findings', 'changes', 'drift', 'exceptions', 'attestations', 'integration-register', 'review', 'evidence-register', 'about', 'scorecard-charts']) {
    anchors.reserve(reserved);
  }
  const views = controlViews(report);
  const controlAnchor = new Map<string, string>();
  for (const v of views) controlAnchor.set(v.id, anchors.make('control', v.id));
  const entryAnchor = new Map<object, string>();
  for (const e of report.exceptions) entryAnchor.set(e, anchors.make('exception', e.id));
  for (const a of report.attestations) entryAnchor.set(a, anchors.make('attestation', a.id));
  const sections = sectionsOf(views);
  const sectionAnchor = new Map(sections.map((s) => [s.id, anchors.make('section', s.id)]));
  const exceptionsByKey = new Map<string, EvidenceReport['exceptions']>();
  for (const e of report.exceptions) for (const k of e.covers) exceptionsByKey.set(k, [...(exceptionsByKey.get(k) ?? []), e]);

  const ctx: Context = {
    report,
    signature: opts.signature === undefined ? (report.signer ?? null) : opts.signature,
    views,
    sections,
    sectionAnchor,
    entryAnchor,
    anchors,
    afterReads: new ReadIndex(anchors, 'after', 'R', report.reads),
    beforeReads: report.before ? new ReadIndex(anchors, 'before', 'B', report.before.reads) : null,
    controlAnchor,
    hasBefore: report.before !== null,
    exceptionsByKey,
  };
  const title = `Sentry hardening evidence: ${report.target.org.name} (${report.target.org.slug})`;
  // The findings are rendered before the register so that reads a finding names but the report's
  // `reads` lack still get an entry.
  const body = [
    cover(ctx, opts),
    toc(ctx),
    '<main>',
    scorecard(ctx),
    findingsSection(ctx),
    changeLog(ctx),
    driftSection(ctx),
    exceptionsSection(ctx),
    attestationsSection(ctx),
    integrationRegisterSection(ctx),
    reviewSection(ctx),
  ];
  const tail = [evidenceRegisterSection(ctx), aboutSection(ctx), '</main>'];
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    // Nothing may load from anywhere: the page is complete as it is, and stays private when opened.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<meta name="generator" content="${esc(`${report.tool.name} ${report.tool.version}`)}">\n` +
    `<title>${esc(title)}</title>\n<style>${CSS}</style>\n</head>\n<body>\n` +
    body.join('\n') +
    '\n' +
    tail.join('\n') +
    `\n<footer>${esc(title)}. ${esc(report.disclaimer)}</footer>\n</body>\n</html>\n`
  );
}

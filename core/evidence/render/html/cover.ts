import { ICS_FILE } from '../../package-files';
import type { Context } from './context';
import { changeCounts } from './change-log';
import { formatDate, formatUtc, plural, tokenKindLabel } from './format';
import { html } from './safe-html';
import type { SafeHtml } from './safe-html';
import { levelLabel } from '../../../../shared/levels';

/** The cover (who, what, when, signed by whom, demo or not) and the table of contents. */

/** Banners above everything else: a demo's simulated data, a package nobody signed. */
function banners(ctx: Context): SafeHtml {
  const demo = ctx.report.demo
    ? html`<p class="banner demo" id="demo-banner" role="note">Demo organization, simulated data: this package comes from the built-in simulator, not from a real Sentry organization.</p>`
    : '';
  const unsigned = ctx.signature
    ? ''
    : html`<p class="banner unsigned" id="unsigned-banner" role="note">Unsigned: ${
        ctx.report.unsigned?.reason ?? 'no signing key was available'
      }. Nothing proves who made this package; manifest.json lists every file's SHA-256, and <code>sentry-harden verify</code> reports it as UNSIGNED.</p>`;
  return html`${demo}${unsigned}`;
}

export function cover(ctx: Context): SafeHtml {
  const r = ctx.report;
  const signature = ctx.signature;
  const user = r.token.user;
  const operator = user
    ? html`${user.email ?? '(no email)'} <span class="muted">(Sentry user ${user.id}${user.has2fa === null ? '' : user.has2fa ? ', two-factor on' : ', two-factor off'})</span>`
    : html`<span class="muted">no user (the token belongs to no person)</span>`;
  const scopes = r.token.scopes.length > 0 ? html`${r.token.scopes.map((s, i) => html`${i > 0 ? ' ' : ''}<code>${s}</code>`)}` : html`<span class="muted">none reported</span>`;
  const sig = signature
    ? html`<span class="sha">${signature.fingerprint}</span><br><span class="muted">key id ${signature.keyid}</span>`
    : html`<strong>unsigned</strong> <span class="muted">(this page carries no signature; its integrity cannot be checked)</span>`;
  const counts = changeCounts(r.changes);
  const kind = ctx.hasBefore
    ? html`Before and after a hardening session: ${plural(counts.planned, 'change')} planned, ${counts.applied} applied${counts.undone > 0 ? html`, ${counts.undone} undone` : ''}`
    : html`Audit only: no change was made`;
  const audits = r.before
    ? html`<dt>Audit before</dt><dd>${formatUtc(r.before.startedAt)} to ${formatUtc(r.before.finishedAt)}</dd><dt>Audit after</dt><dd>${formatUtc(r.startedAt)} to ${formatUtc(r.finishedAt)}</dd>`
    : html`<dt>Audit</dt><dd>${formatUtc(r.startedAt)} to ${formatUtc(r.finishedAt)}</dd>`;
  const session = r.session && r.before ? html`<dt>Session</dt><dd>${formatUtc(r.session.startedAt)} to ${formatUtc(r.session.finishedAt)}</dd>` : '';
  const region = r.target.regionUrl && r.target.regionUrl !== r.target.url ? html` <span class="muted">(region <span class="url">${r.target.regionUrl}</span>)</span>` : '';
  return html`<header class="cover" id="cover"><p class="kicker">Sentry hardening evidence${r.demo ? ' · demo organization, simulated data' : ''}</p>${banners(ctx)}<h1>${r.target.org.name}</h1><p class="slug">Organization <code>${r.target.org.slug}</code> <span class="muted">(id ${r.target.org.id})</span></p><p class="kind">${kind}</p><dl class="facts"><dt>Sentry</dt><dd><span class="url">${r.target.url}</span>${region}</dd>${session}${audits}<dt>Level</dt><dd>${levelLabel(r.level)} <span class="muted">(checks of this level and below)</span></dd><dt>Operator</dt><dd>${operator}</dd><dt>Token</dt><dd>${tokenKindLabel(r.token.kind)}; scopes ${scopes}<br><span class="muted">The token itself is never recorded.</span></dd><dt>Signature</dt><dd>${sig}</dd><dt>Next review</dt><dd>${formatDate(r.review.nextReviewDate)} <span class="muted">(calendar event <code>${ICS_FILE}</code>)</span></dd><dt>Tool</dt><dd>${r.tool.name} ${r.tool.version}; control catalog ${r.catalog.version}</dd><dt>Generated</dt><dd>${formatUtc(ctx.generatedAt)}</dd></dl><p class="disclaimer" role="note"><strong>What the signature proves.</strong> ${r.disclaimer}</p></header>`;
}

export function sectionLabel(s: { id: string; title: string }): string {
  return `${s.id} ${s.title}`;
}

export function toc(ctx: Context): SafeHtml {
  const items: [string, string][] = [
    ['scorecard', 'Scorecard'],
    ['findings', 'Findings by control'],
    ['changes', 'Change log'],
    ...(ctx.report.drift ? ([['drift', 'Drift since the last review']] as [string, string][]) : []),
    ['exceptions', 'Exceptions (accepted risk)'],
    ['attestations', 'Attestations'],
    ['integration-register', 'Integration permission register'],
    ['review', 'Next review'],
    ['evidence-register', 'Evidence register'],
    ['about', 'About this evidence'],
  ];
  const sub = html`<ol>${ctx.sections.map((s) => html`<li><a href="#${ctx.sectionAnchor.get(s.id)!}">${sectionLabel(s)}</a></li>`)}</ol>`;
  return html`<nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">Contents</h2><ol>${items.map(([id, t]) => html`<li><a href="#${id}">${t}</a>${id === 'findings' ? sub : ''}</li>`)}</ol></nav>`;
}

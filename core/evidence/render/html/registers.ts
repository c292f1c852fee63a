import type { Context } from './context';
import { badge, formatDate, formatUtc, plural } from './format';
import { html } from './safe-html';
import type { SafeHtml } from './safe-html';

/** The registers a consultant keeps: exceptions (risk owner and approver), attestations, integrations. */

export function exceptionsSection(ctx: Context): SafeHtml {
  const list = ctx.report.exceptions;
  const body =
    list.length === 0
      ? html`<p>No exception is registered.</p>`
      : html`<table class="exceptions"><caption class="sr-only">Exceptions</caption><colgroup><col style="width:9%"><col style="width:14%"><col style="width:25%"><col style="width:11%"><col style="width:11%"><col style="width:9%"><col style="width:9%"><col style="width:12%"></colgroup><thead><tr><th scope="col">Exception</th><th scope="col">Applies to</th><th scope="col">Rationale</th><th scope="col">Risk owner</th><th scope="col">Approved by</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">State</th></tr></thead><tbody>${list.map(
          (e) =>
            html`<tr id="${ctx.entryAnchor.get(e)!}"><th scope="row"><span class="nb">${e.id}</span></th><td>Control ${e.control}${e.check ? html`<br><code>${e.check}</code>` : ''}${
              e.resource ? html`<br><span class="muted">${e.resource}</span>` : ''
            }</td><td>${e.reason}</td><td>${e.owner ?? html`<span class="muted">not named</span>`}</td><td>${e.approvedBy}</td><td>${formatDate(e.createdAt)}</td><td>${
              e.expiresAt ? formatDate(e.expiresAt) : html`<span class="muted">no expiry</span>`
            }</td><td>${e.active ? badge('pass', 'Active') : badge('fail', 'Expired')}<br><span class="muted">covers ${plural(e.covers.length, 'finding')}</span></td></tr>`,
        )}</tbody></table>`;
  return html`<section id="exceptions" class="page" aria-labelledby="exceptions-h"><h2 id="exceptions-h">Exceptions (accepted risk)</h2><p>An exception records a decision to accept a failing check for a while: who owns the risk, who approved it, and until when. The finding keeps its real status; the exception is a layer on top. An expired exception no longer counts.</p>${body}</section>`;
}

export function attestationsSection(ctx: Context): SafeHtml {
  const list = ctx.report.attestations;
  const body =
    list.length === 0
      ? html`<p>No attestation is recorded.</p>`
      : html`<table class="attestations"><caption class="sr-only">Attestations</caption><colgroup><col style="width:11%"><col style="width:18%"><col style="width:43%"><col style="width:14%"><col style="width:14%"></colgroup><thead><tr><th scope="col">Attestation</th><th scope="col">Control</th><th scope="col">Statement</th><th scope="col">Attested by</th><th scope="col">When</th></tr></thead><tbody>${list.map((a) => {
          const v = ctx.viewById.get(a.control);
          return html`<tr id="${ctx.entryAnchor.get(a)!}"><th scope="row"><span class="nb">${a.id}</span></th><td>${a.control}${v ? html` <span class="muted">${v.title}</span>` : ''}</td><td>${a.statement}</td><td>${a.attestedBy}</td><td>${formatUtc(a.attestedAt)}</td></tr>`;
        })}</tbody></table>`;
  return html`<section id="attestations" class="page" aria-labelledby="attestations-h"><h2 id="attestations-h">Attestations</h2><p>Statements by named people about what the API cannot show (identity-provider MFA, Relay deployment, SDK-side scrubbing). They are recorded as given; the tool does not check them.</p>${body}</section>`;
}

export function integrationRegisterSection(ctx: Context): SafeHtml {
  const list = ctx.report.integrationRegister;
  const body =
    list.length === 0
      ? html`<p>The integration permission register is empty.</p>`
      : html`<table class="integrations"><caption class="sr-only">Integration permission register</caption><colgroup><col style="width:18%"><col style="width:24%"><col style="width:30%"><col style="width:14%"><col style="width:14%"></colgroup><thead><tr><th scope="col">Integration</th><th scope="col">Permissions granted</th><th scope="col">Why they are needed</th><th scope="col">Owner</th><th scope="col">Last reviewed</th></tr></thead><tbody>${list.map(
          (i) =>
            html`<tr><th scope="row">${i.integration}</th><td>${
              i.permissions.length > 0 ? i.permissions.map((p, n) => html`${n > 0 ? ' ' : ''}<code>${p}</code>`) : html`<span class="muted">none listed</span>`
            }</td><td>${i.rationale}</td><td>${i.owner}</td><td>${i.lastReviewed}</td></tr>`,
        )}</tbody></table>`;
  return html`<section id="integration-register" class="page" aria-labelledby="integration-register-h"><h2 id="integration-register-h">Integration permission register</h2><p>For each integration: the permissions it was granted, why each is needed, who owns it and when it was last reviewed (controls INT.4 and INT.5).</p>${body}</section>`;
}

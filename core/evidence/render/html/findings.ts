import type { Finding } from '../../../../shared/finding';
import { CSV_FILE } from '../../package-files';
import { checkGroup } from './check-group';
import type { Context, ControlView } from './context';
import { findingKey } from './context';
import { sectionLabel } from './cover';
import { countBadges, countOf } from './format';
import { html } from './safe-html';
import type { SafeHtml } from './safe-html';
import { levelLabel } from '../../../../shared/levels';

/** Findings by section and control, each control's findings grouped per check. */

function groupByCheck(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = out.get(f.check);
    if (list) list.push(f);
    else out.set(f.check, [f]);
  }
  return out;
}

function controlBlock(ctx: Context, v: ControlView): SafeHtml {
  const r = ctx.report;
  const after = ctx.afterByControl.get(v.id) ?? [];
  const before = ctx.beforeByControl.get(v.id) ?? [];
  const beforeByKey = new Map(before.map((f) => [findingKey(f), f]));
  const afterKeys = new Set(after.map(findingKey));
  const anchor = ctx.controlAnchor.get(v.id)!;
  const mappings = html`<dl class="mappings"><dt>SOC 2</dt><dd>${v.mappings.soc2.join(', ') || '—'}</dd><dt>NIST 800-53</dt><dd>${v.mappings.nist.join(', ') || '—'}</dd><dt>CIS Controls v8</dt><dd>${v.mappings.cis.join(', ') || '—'}</dd></dl>`;
  const attest = r.attestations.filter((a) => a.control === v.id);
  const attestNote =
    attest.length > 0 ? html`<p class="note">Attested: ${attest.map((a, i) => html`${i > 0 ? '; ' : ''}<a href="#${ctx.entryAnchor.get(a)!}">${a.id}</a> by ${a.attestedBy}`)}.</p>` : '';
  const needsSteps = after.some((f) => f.status === 'manual' || f.status === 'fail');
  const steps =
    needsSteps && v.manualSteps.length > 0 ? html`<div class="steps"><h5>Manual steps in Sentry</h5><ol>${v.manualSteps.map((s) => html`<li>${s}</li>`)}</ol></div>` : '';

  // Checks in the recorded catalog's order, then any other the findings name.
  const afterByCheck = groupByCheck(after);
  const goneByCheck = groupByCheck(before.filter((b) => !afterKeys.has(findingKey(b))));
  const order = [...v.checkTitles.keys(), ...afterByCheck.keys(), ...goneByCheck.keys()].filter((c, i, all) => all.indexOf(c) === i);
  const groups = order
    .filter((c) => afterByCheck.has(c) || goneByCheck.has(c))
    .map((c) => checkGroup(ctx, v, c, afterByCheck.get(c) ?? [], goneByCheck.get(c) ?? [], beforeByKey));
  const body = groups.length > 0 ? html`${groups}` : html`<p class="muted">No check of this control is part of a level ${levelLabel(r.level)} audit.</p>`;
  return html`<section class="control" id="${anchor}" aria-labelledby="${anchor}-h"><h4 id="${anchor}-h"><span class="cid">${v.id}</span> ${v.title} <span class="lvl">${v.level}</span></h4><p class="ccounts">${countBadges(countOf(after))}</p>${mappings}${
    v.rationale !== null ? html`<p class="rationale">${v.rationale}</p>` : ''
  }${attestNote}${body}${steps}</section>`;
}

export function findingsSection(ctx: Context): SafeHtml {
  const parts = ctx.sections.map((s) => {
    const views = ctx.views.filter((v) => v.section === s.id);
    const a = ctx.sectionAnchor.get(s.id)!;
    return html`<section class="gsection" id="${a}" aria-labelledby="${a}-h"><h3 id="${a}-h">${sectionLabel(s)}</h3>${
      views.length > 0 ? views.map((v) => controlBlock(ctx, v)) : html`<p class="muted">No control of this section was audited.</p>`
    }</section>`;
  });
  return html`<section id="findings" class="page" aria-labelledby="findings-h"><h2 id="findings-h">Findings by control</h2><p>Findings are grouped per check, with their counts. Each names its evidence: the read (R for the ${
    ctx.hasBefore ? 'after audit, B for the before audit' : 'audit'
  }) or, when it rests on many reads at once, the evidence set (G for the report's evidence groups, S for other reads cited together) that lists them; all are in the <a href="#evidence-register">evidence register</a>, where every raw response is linked. Long lists fold away after the first findings: open them on screen, or read ${CSV_FILE}.</p>${parts}</section>`;
}

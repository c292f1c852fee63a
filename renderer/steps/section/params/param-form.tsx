import { useEffect, useId, useState } from 'react';
import type { FixPlan } from '../../../store/dto';
import type { ParamField, SectionSlice } from '../section.slice';
import { ChoicePicker } from './choice-picker';
import type { ParamControlProps } from './field-props';
import { FieldError } from './field-props';
import { ListEditor } from './list-editor';
import { MemberRolePicker } from './member-role-picker';
import { RateLimitFields } from './rate-limit-fields';
import { paramError, picksFromChoices } from './validate';
import { PageFailed, Pager } from '../pager';
import { PLAN_NOTES_PAGE, planNoteGroup } from '../../../../shared/ipc/contract';
import type { PlanNote } from '../../../store/dto';
import { noteCountOf, notesPage, pageWanted } from '../plan-paging';

/** The control for one field, by kind: pickers for known values, editors for typed ones. */
function ParamControl(props: ParamControlProps) {
  const { param } = props.field;
  if (param.kind === 'rate_limit') return <RateLimitFields {...props} />;
  if (param.kind === 'domains' || param.kind === 'cidr_ranges') return <ListEditor {...props} />;
  if (picksFromChoices(param)) return <ChoicePicker {...props} />;
  // A kind with no known values: a plain text field, still checked by the engine.
  return (
    <div className="field">
      <label htmlFor={props.inputId}>{param.label}</label>
      <input
        id={props.inputId}
        type="text"
        value={props.value}
        aria-describedby={props.describedBy}
        aria-invalid={props.error === null ? undefined : true}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <FieldError id={props.errorId} error={props.error} />
    </div>
  );
}

/**
 * The choices the fixes of a section need or offer, one form control per choice, each checked
 * inline with the reason next to it. The plan is made again only with values that pass; a value
 * the engine refuses comes back keyed to its field and is shown there, the rest of the plan stays.
 */
/** Choices the form shows at once (the page main sends). */
const FIELDS_PER_PAGE = PLAN_NOTES_PAGE;

export function ParamForm(props: { readonly plan: FixPlan; readonly slice: SectionSlice }) {
  const { slice, plan } = props;
  const formId = useId();
  const [showOptional, setShowOptional] = useState(false);
  // One choice per member without a team, say, is thousands at 5,000 members: a page at a time.
  const [chosen, setChosen] = useState({ roles: 0, needs: 0, optional: 0 });
  // A new plan may have fewer choices than the page the person was on: its first page then.
  const within = (g: 'roles' | 'needs' | 'optional') => (chosen[g] < noteCountOf(plan, g) ? chosen[g] : 0);
  const rolesOffset = within('roles');
  const offset = within('needs');
  const foldedOffset = within('optional');
  // The pages shown come from main (held pages are not asked again; a new plan's are).
  useEffect(() => {
    const wanted = [['roles', rolesOffset], ['needs', offset], ['optional', foldedOffset]] as const;
    for (const [part, at] of wanted) if (pageWanted(slice.planPages, plan, part, at)) void slice.loadPlanPage(part, at);
  }, [slice, plan, rolesOffset, offset, foldedOffset]);
  // The pages of the current plan's choices shown now (main sends them a page at a time).
  const rolePage = notesPage(slice.planPages, plan, 'roles', rolesOffset);
  const needsPage = notesPage(slice.planPages, plan, 'needs', offset);
  const optionalPage = notesPage(slice.planPages, plan, 'optional', foldedOffset);
  const asFields = (notes: readonly PlanNote[]) => notes.flatMap((n): ParamField[] => (n.param === null ? [] : [{ ...n, param: n.param }]));
  const page = (part: 'roles' | 'needs' | 'optional') => (o: number) => setChosen((c) => ({ ...c, [part]: o }));
  // The current plan's choices, and those chosen before (their note is gone once a value is set).
  const current = [...asFields(rolePage.items), ...asFields(needsPage.items), ...asFields(optionalPage.items)];
  const keys = new Set(current.map((f) => f.param.key));
  const earlier = Object.keys(slice.params).flatMap((k) => {
    const f = slice.fields[k];
    return f && !keys.has(k) ? [f] : [];
  });
  const fields = [...current, ...earlier];
  if (fields.length === 0 && rolePage.total + needsPage.total + optionalPage.total === 0) return null;

  const refused = new Map((plan.paramErrors ?? []).map((e) => [e.key, e.message]));
  const idOf = (key: string) => `${formId}-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const valueOf = (key: string) => slice.params[key] ?? '';
  const inlineErrors = new Map(fields.map((f) => [f.param.key, paramError(f.param, valueOf(f.param.key))]));
  const errorOf = (key: string) => inlineErrors.get(key) ?? (refused.has(key) ? `Not used: ${refused.get(key) ?? ''}` : null);
  const invalid = [...inlineErrors.values()].filter((e) => e !== null).length;
  const orphans = [...refused].filter(([k]) => !fields.some((f) => f.param.key === k));
  // Choices a fix needs come first; those that only change a default (info notes) are folded,
  // unless one of them is chosen or refused. By kind only (shared planNoteGroup, as main pages
  // them), so a field never moves (and loses focus) while it is being filled in.
  const groupOf = (f: ParamField) => planNoteGroup(f);
  const earlierIn = (g: 'roles' | 'needs' | 'optional') => earlier.filter((f) => groupOf(f) === g);
  const roles = [...asFields(rolePage.items), ...earlierIn('roles')];
  const others = asFields(needsPage.items);
  const folded = asFields(optionalPage.items);
  // Chosen earlier and no longer asked for: after the current page of their group.
  const othersEarlier = earlierIn('needs');
  const foldedEarlier = earlierIn('optional');
  const foldedActive = [...folded, ...foldedEarlier].some((f) => valueOf(f.param.key) !== '' || errorOf(f.param.key) !== null);
  const renderField = (f: ParamField) => {
    const id = idOf(f.param.key);
    return (
      <div key={f.param.key} className="param-field">
        <ParamControl
          field={f}
          value={valueOf(f.param.key)}
          onChange={(v) => slice.setParam(f.param.key, v)}
          inputId={id}
          describedBy={`${id}-why ${id}-error`}
          error={errorOf(f.param.key)}
          errorId={`${id}-error`}
        />
        <p className="hint" id={`${id}-why`}>
          {f.message}
        </p>
      </div>
    );
  };

  return (
    <form
      className="param-form"
      aria-labelledby={formId}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (invalid === 0) void slice.loadPlan();
      }}
    >
      <h3 id={formId}>Choices for these fixes</h3>
      {refused.size > 0 ? (
        <p className="notice notice-warn" role="status">
          {refused.size === 1 ? 'One choice was' : `${refused.size} choices were`} not used; the reason is next to {refused.size === 1 ? 'it' : 'each'}. The rest of the plan below stands.
        </p>
      ) : null}
      {orphans.map(([k, message]) => (
        <p key={k} className="field-error">
          A choice was not used: {message}
        </p>
      ))}
      <MemberRolePicker fields={roles} idOf={idOf} valueOf={valueOf} errorOf={errorOf} onChange={(k, v) => slice.setParam(k, v)} />
      <Pager offset={rolesOffset} limit={FIELDS_PER_PAGE} total={rolePage.total} label="members whose role can change" loading={rolePage.loading} onPage={page('roles')} />
      <PageFailed what="These members" message={rolePage.failed} onRetry={() => void slice.loadPlanPage('roles', rolesOffset)} />
      {others.map(renderField)}
      {needsPage.loading ? <p role="status">Loading these choices…</p> : null}
      <Pager offset={offset} limit={FIELDS_PER_PAGE} total={needsPage.total} label="choices" loading={needsPage.loading} onPage={page('needs')} />
      <PageFailed what="These choices" message={needsPage.failed} onRetry={() => void slice.loadPlanPage('needs', offset)} />
      {othersEarlier.map(renderField)}
      {optionalPage.total + foldedEarlier.length > 0 ? (
        <details className="param-optional" open={showOptional || foldedActive} onToggle={(e) => setShowOptional(e.currentTarget.open)}>
          <summary>Other choices ({optionalPage.total + foldedEarlier.length}): change what the fixes use by default</summary>
          {folded.map(renderField)}
          {optionalPage.loading ? <p role="status">Loading these choices…</p> : null}
          <Pager offset={foldedOffset} limit={FIELDS_PER_PAGE} total={optionalPage.total} label="other choices" loading={optionalPage.loading} onPage={page('optional')} />
          <PageFailed what="These choices" message={optionalPage.failed} onRetry={() => void slice.loadPlanPage('optional', foldedOffset)} />
          {foldedEarlier.map(renderField)}
        </details>
      ) : null}
      <button type="submit" className="button-secondary" disabled={slice.plan.status === 'running' || invalid > 0} aria-describedby={`${formId}-submit-why`}>
        Plan again with these choices
      </button>
      {invalid > 0 ? (
        <p className="hint" id={`${formId}-submit-why`}>
          Correct {invalid === 1 ? 'the value marked above' : `the ${invalid} values marked above`} first.
        </p>
      ) : null}
    </form>
  );
}

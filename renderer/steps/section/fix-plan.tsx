import { useId } from 'react';
import type { FixPlan, PlanNote } from '../../store/dto';
import { plural } from '../../format';
import { BeforeAfter, RiskBadge } from './fix-steps';
import type { SectionSlice } from './section.slice';

/** The choices a fix needs before it can propose a change (team to move a project to, ...). */
function ParamForm(props: { readonly notes: readonly PlanNote[]; readonly slice: SectionSlice }) {
  const formId = useId();
  const needs = props.notes.filter((n): n is PlanNote & { param: NonNullable<PlanNote['param']> } => n.kind === 'needs_parameter' && n.param !== null);
  if (needs.length === 0) return null;
  return (
    <form
      className="param-form"
      aria-labelledby={formId}
      onSubmit={(e) => {
        e.preventDefault();
        void props.slice.loadPlan();
      }}
    >
      <h3 id={formId}>Choices these fixes need</h3>
      {needs.map((n) => {
        const id = `${formId}-${n.param.key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
        const value = props.slice.params[n.param.key] ?? '';
        const chosen = value.split(',').filter(Boolean);
        return (
          <div key={n.param.key} className="field">
            <label htmlFor={id}>{n.param.description}</label>
            <p className="hint" id={`${id}-why`}>
              {n.message}
            </p>
            {n.param.choices.length > 0 && n.param.multiple ? (
              <select
                id={id}
                multiple
                aria-describedby={`${id}-why`}
                value={chosen}
                onChange={(e) => props.slice.setParam(n.param.key, [...e.target.selectedOptions].map((o) => o.value).join(','))}
              >
                {n.param.choices.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            ) : n.param.choices.length > 0 ? (
              <select id={id} aria-describedby={`${id}-why`} value={value} onChange={(e) => props.slice.setParam(n.param.key, e.target.value)}>
                <option value="">Leave as it is</option>
                {n.param.choices.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                type="text"
                aria-describedby={`${id}-why`}
                value={value}
                {...(n.param.pattern === null ? {} : { pattern: n.param.pattern })}
                onChange={(e) => props.slice.setParam(n.param.key, e.target.value)}
              />
            )}
          </div>
        );
      })}
      <button type="submit" className="button-secondary" disabled={props.slice.plan.status === 'running'}>
        Plan again with these choices
      </button>
    </form>
  );
}

/** The plan: the choices fixes need, the changes to pick with before/after, the planner's notes, Apply. */
export function FixPlanView(props: {
  readonly plan: FixPlan;
  readonly slice: SectionSlice;
  readonly canApply: boolean;
  readonly onApply: () => void;
}) {
  const { plan, slice } = props;
  const selectedSteps = plan.steps.filter((s) => slice.selected.includes(s.id));
  const applying = slice.apply.status === 'running';
  const otherNotes = plan.notes.filter((n) => n.kind !== 'needs_parameter' || n.param === null);
  return (
    <>
      <ParamForm notes={plan.notes} slice={slice} />
      {plan.steps.length === 0 ? (
        <p className="hint">No change can be proposed for the failing checks here; follow the manual steps or record an exception.</p>
      ) : (
        <fieldset className="fieldset fix-steps" disabled={applying}>
          <legend>Changes available ({plan.steps.length}): choose the ones to apply</legend>
          {plan.steps.map((s) => {
            const id = `fix-${s.id}`;
            return (
              <div key={s.id} className={`fix-step${slice.selected.includes(s.id) ? ' fix-step-selected' : ''}`}>
                <label className="checkbox" htmlFor={id}>
                  <input
                    id={id}
                    type="checkbox"
                    checked={slice.selected.includes(s.id)}
                    onChange={(e) => slice.toggleStep(s.id, e.target.checked)}
                    aria-describedby={`${id}-desc`}
                  />
                  <span>
                    {s.title}: <strong>{s.resource.name}</strong> ({s.field})
                  </span>
                </label>
                <div id={`${id}-desc`} className="fix-step-detail">
                  <p>
                    <RiskBadge step={s} /> {s.description}
                    {s.confirmSlug ? ' Confirming needs the organization slug.' : ''}
                    {!s.reversible ? ' Cannot be undone.' : ''}
                  </p>
                  <BeforeAfter step={s} />
                  <p className="hint">
                    Request:{' '}
                    <code>
                      {s.request.method} {s.request.path}
                    </code>
                    . Verified by: {s.verify}
                  </p>
                  {s.dependsOn.length > 0 ? <p className="hint">Applied together with the change it depends on.</p> : null}
                </div>
              </div>
            );
          })}
        </fieldset>
      )}
      {otherNotes.length > 0 ? (
        <details className="plan-notes">
          <summary>{plural(otherNotes.length, 'note')} from the planner</summary>
          <ul>
            {otherNotes.map((n, i) => (
              <li key={`${n.fix}-${i}`}>
                <strong>{n.control}</strong> {n.resource ? `${n.resource.name}: ` : ''}
                {n.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {plan.steps.length > 0 ? (
        <button
          type="button"
          className="button-primary"
          disabled={!props.canApply || selectedSteps.length === 0 || applying}
          onClick={props.onApply}
        >
          Apply {plural(selectedSteps.length, 'selected change')}…
        </button>
      ) : null}
    </>
  );
}

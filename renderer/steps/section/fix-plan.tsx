import { useState } from 'react';
import type { FixPlan } from '../../store/dto';
import { plural } from '../../format';
import { Pager, formatCount } from './pager';
import { BeforeAfter, RiskBadge } from './fix-steps';
import { ParamForm } from './params/param-form';
import type { SectionSlice } from './section.slice';

/** The plan: the choices fixes need, the changes to pick with before/after, the planner's notes, Apply. */
/** Changes a plan lists at once. */
export const STEPS_PER_PAGE = 25;

export function FixPlanView(props: {
  readonly plan: FixPlan;
  readonly slice: SectionSlice;
  readonly canApply: boolean;
  readonly onApply: () => void;
}) {
  const { plan, slice } = props;
  const selectedSteps = plan.steps.filter((s) => slice.selected.includes(s.id));
  const applying = slice.apply.status === 'running';
  // Notes that offer a choice are shown with their field in the form.
  const otherNotes = plan.notes.filter((n) => n.param === null);
  // A large organization's plan proposes thousands of changes: a page of them at a time, the
  // selection kept across pages, so the step stays responsive.
  const [offset, setOffset] = useState(0);
  const shownSteps = plan.steps.slice(offset, offset + STEPS_PER_PAGE);
  return (
    <>
      <ParamForm plan={plan} slice={slice} />
      {plan.steps.length === 0 ? (
        <p className="hint">No change can be proposed for the failing checks here; follow the manual steps or record an exception.</p>
      ) : (
        <fieldset className="fieldset fix-steps" disabled={applying}>
          <legend>Changes available ({formatCount(plan.steps.length)}): choose the ones to apply</legend>
          {plan.steps.length > STEPS_PER_PAGE ? (
            <p className="fix-select-all">
              <button type="button" className="button-link" onClick={() => slice.selectAll(true)}>
                Select all {formatCount(plan.steps.length)}
              </button>{' '}
              <button type="button" className="button-link" onClick={() => slice.selectAll(false)}>
                Select none
              </button>{' '}
              <span className="hint">{formatCount(selectedSteps.length)} selected</span>
            </p>
          ) : null}
          {shownSteps.map((s) => {
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
          <Pager offset={offset} limit={STEPS_PER_PAGE} total={plan.steps.length} label="changes available" loading={false} onPage={setOffset} />
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

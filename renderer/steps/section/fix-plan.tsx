import { useEffect, useState } from 'react';
import { PLAN_NOTES_PAGE, PLAN_STEPS_PAGE } from '../../../shared/ipc/contract';
import type { FixPlan } from '../../store/dto';
import { plural } from '../../format';
import { PageFailed, Pager, formatCount } from './pager';
import { BeforeAfter, RiskBadge } from './fix-steps';
import { ParamForm } from './params/param-form';
import type { SectionSlice } from './section.slice';
import { noteCountOf, notesPage, pageWanted, stepCountOf, stepsPage } from './plan-paging';

/** The plan: the choices fixes need, the changes to pick with before/after, the planner's notes, Apply. */
/** Changes a plan lists at once (the page main sends). */
export const STEPS_PER_PAGE = PLAN_STEPS_PAGE;

export function FixPlanView(props: {
  readonly plan: FixPlan;
  readonly slice: SectionSlice;
  readonly canApply: boolean;
  readonly onApply: () => void;
}) {
  const { plan, slice } = props;
  const selectedCount = slice.selected.length;
  const selectedIds = new Set(slice.selected);
  const applying = slice.apply.status === 'running';
  // A large organization's plan proposes thousands of changes: main sends a page of them at a
  // time, the selection (by id, over the whole plan) kept across pages.
  const [chosenOffset, setOffset] = useState(0);
  const [chosenNotesOffset, setNotesOffset] = useState(0);
  const total = stepCountOf(plan);
  // A new plan may be shorter than the page the person was on: its first page then.
  const offset = chosenOffset < total ? chosenOffset : 0;
  const notesTotal = noteCountOf(plan, 'other');
  const notesOffset = chosenNotesOffset < notesTotal ? chosenNotesOffset : 0;
  const page = stepsPage(slice.planPages, plan, offset);
  // The page shown comes from main (held pages are not asked again; a new plan's are).
  useEffect(() => {
    if (pageWanted(slice.planPages, plan, 'steps', offset)) void slice.loadPlanPage('steps', offset);
    if (pageWanted(slice.planPages, plan, 'other', notesOffset)) void slice.loadPlanPage('other', notesOffset);
  }, [slice, plan, offset, notesOffset]);
  const shownSteps = page.items;
  // Notes that offer a choice are shown with their field in the form; these are the others.
  const otherNotes = notesPage(slice.planPages, plan, 'other', notesOffset);
  return (
    <>
      <ParamForm plan={plan} slice={slice} />
      {total === 0 ? (
        <p className="hint">No change can be proposed for the failing checks here; follow the manual steps or record an exception.</p>
      ) : (
        <fieldset className="fieldset fix-steps" disabled={applying}>
          <legend>Changes available ({formatCount(total)}): choose the ones to apply</legend>
          {total > STEPS_PER_PAGE ? (
            <p className="fix-select-all">
              <button type="button" className="button-link" onClick={() => slice.selectAll(true)}>
                Select all {formatCount(total)}
              </button>{' '}
              <button type="button" className="button-link" onClick={() => slice.selectAll(false)}>
                Select none
              </button>{' '}
              <span className="hint">{formatCount(selectedCount)} selected</span>
            </p>
          ) : null}
          {shownSteps.map((s) => {
            const id = `fix-${s.id}`;
            return (
              <div key={s.id} className={`fix-step${selectedIds.has(s.id) ? ' fix-step-selected' : ''}`}>
                <label className="checkbox" htmlFor={id}>
                  <input
                    id={id}
                    type="checkbox"
                    checked={selectedIds.has(s.id)}
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
          {page.loading ? <p role="status">Loading these changes…</p> : null}
          <PageFailed what="These changes" message={page.failed} onRetry={() => void slice.loadPlanPage('steps', offset)} />
          <Pager
            offset={offset}
            limit={STEPS_PER_PAGE}
            total={total}
            label="changes available"
            loading={page.loading}
            onPage={setOffset}
          />
        </fieldset>
      )}
      {otherNotes.total > 0 ? (
        <details className="plan-notes">
          <summary>{plural(otherNotes.total, 'note')} from the planner</summary>
          <ul>
            {otherNotes.items.map((n, i) => (
              <li key={`${n.fix}-${notesOffset + i}`}>
                <strong>{n.control}</strong> {n.resource ? `${n.resource.name}: ` : ''}
                {n.message}
              </li>
            ))}
          </ul>
          <Pager
            offset={notesOffset}
            limit={PLAN_NOTES_PAGE}
            total={otherNotes.total}
            label="notes from the planner"
            loading={otherNotes.loading}
            onPage={setNotesOffset}
          />
          <PageFailed what="These notes" message={otherNotes.failed} onRetry={() => void slice.loadPlanPage('other', notesOffset)} />
        </details>
      ) : null}
      {total > 0 ? (
        <button
          type="button"
          className="button-primary"
          disabled={!props.canApply || selectedCount === 0 || applying}
          onClick={props.onApply}
        >
          Apply {plural(selectedCount, 'selected change')}…
        </button>
      ) : null}
    </>
  );
}

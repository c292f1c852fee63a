import { useEffect, useId, useRef, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Progress } from '../../components/progress';
import { plural } from '../../format';
import { ApplyOutcome, ApplyProgress } from './apply-result';
import { FixPlanView } from './fix-plan';
import { ConfirmChanges } from './fix-steps';
import type { SectionSlice } from './section.slice';
import { knownSteps, stepIndexOf } from './plan-paging';
import { AppliedList, UndoDialog, UndoOutcome, UndoProgress } from './undo-panel';

/**
 * The fixes of a section: the plan (`fix:plan`) with before/after, the choices fixes need, the
 * confirmation, progress while applying, the results and re-check, and undo.
 */
export function FixPanel(props: {
  readonly slice: SectionSlice;
  readonly title: string;
  readonly orgSlug: string;
  readonly failingCount: number;
  readonly canApply: boolean;
  readonly missingFixScopes: readonly string[];
  readonly runId: string | null;
}) {
  const { slice } = props;
  const [confirming, setConfirming] = useState(false);
  const headingId = useId();
  const planStatus = slice.plan.status;

  // Plan as soon as there is something to fix and a run to plan from, and again when a newer
  // run (a re-check) replaced the one the plan was made from.
  const planRunId = slice.planFor;
  const busyHere = slice.apply.status === 'running' || slice.undo.status === 'running';
  useEffect(() => {
    if (!props.runId || busyHere) return;
    const stale = (planStatus === 'done' || planStatus === 'failed') && planRunId !== props.runId;
    if ((planStatus === 'idle' && props.failingCount > 0) || stale) void slice.loadPlan();
  }, [planStatus, planRunId, props.runId, props.failingCount, busyHere, slice]);

  // When a run ends, the button that started it is gone: focus goes to what happened instead.
  const outcomeRef = useRef<HTMLDivElement>(null);
  const undoOutcomeRef = useRef<HTMLDivElement>(null);
  const applyStatus = slice.apply.status;
  const undoStatus = slice.undo.status;
  useEffect(() => {
    if (applyStatus === 'done' || applyStatus === 'failed') outcomeRef.current?.focus();
  }, [applyStatus]);
  useEffect(() => {
    if (undoStatus === 'done' || undoStatus === 'failed') undoOutcomeRef.current?.focus();
  }, [undoStatus]);

  // While a new plan is made, or when making it failed, the last one stays: the form and its
  // choices never vanish; applying waits for a current plan.
  const plan = slice.plan.status === 'done' ? slice.plan.value : slice.lastPlan;
  const current = slice.plan.status === 'done';
  // The dialog lists the chosen steps the window holds; the count and the slug rule cover every chosen step.
  const chosen = new Set(slice.selected);
  const known = plan ? knownSteps(slice.planPages, plan) : new Map<string, never>();
  const selectedSteps = plan ? stepIndexOf(plan).flatMap((s) => (chosen.has(s.id) && known.has(s.id) ? [known.get(s.id)!] : [])) : [];
  const selectedNeedSlug = plan ? stepIndexOf(plan).some((s) => chosen.has(s.id) && s.confirmSlug) : false;
  const applying = slice.apply.status === 'running';

  return (
    <section className="card fix-panel" aria-labelledby={headingId} aria-busy={applying || slice.plan.status === 'running'}>
      <h2 id={headingId}>Fixes</h2>
      {!props.canApply ? (
        <p className="notice notice-warn">
          This token cannot apply fixes
          {props.missingFixScopes.length > 0 ? ` (missing ${props.missingFixScopes.join(', ')})` : ''}: the changes are shown for review only.
        </p>
      ) : null}
      {props.failingCount === 0 && !plan ? <p className="hint">Nothing fails in {props.title}: no fix to propose.</p> : null}
      {slice.plan.status === 'running' ? <Progress label="Planning fixes from a fresh read of the organization" /> : null}
      {slice.plan.status === 'failed' ? <ErrorNotice error={slice.plan.error} context="Planning fixes" onRetry={() => void slice.loadPlan()} /> : null}

      {plan ? <FixPlanView plan={plan} slice={slice} canApply={props.canApply && current} onApply={() => setConfirming(true)} /> : null}

      {confirming && plan && current ? (
        <ConfirmChanges
          title="Apply these changes?"
          steps={selectedSteps}
          count={slice.selected.length}
          needsSlug={selectedNeedSlug}
          orgSlug={props.orgSlug}
          confirmLabel={`Apply ${plural(slice.selected.length, 'change')}`}
          onCancel={() => setConfirming(false)}
          onConfirm={(confirmOrg) => {
            setConfirming(false);
            void slice.applySelected(confirmOrg);
          }}
        />
      ) : null}

      <div aria-live="polite">
        <ApplyProgress slice={slice} />
      </div>
      <div ref={outcomeRef} tabIndex={-1} className="outcome">
        <ApplyOutcome slice={slice} />
      </div>

      <AppliedList slice={slice} canApply={props.canApply} />

      <UndoDialog slice={slice} orgSlug={props.orgSlug} />

      <div aria-live="polite">
        <UndoProgress slice={slice} />
      </div>
      <div ref={undoOutcomeRef} tabIndex={-1} className="outcome">
        <UndoOutcome slice={slice} />
      </div>
    </section>
  );
}

import type { ReactNode } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Progress } from '../../components/progress';
import type { FixStep, PlanNote, StepResult } from '../../store/dto';
import { formatValue, plural } from '../../format';
import type { SectionSlice } from './section.slice';
import { undoableSteps } from './section.slice';

/** Before and after of one step, field by field. */
function BeforeAfter(props: { readonly step: FixStep }) {
  const names = [...new Set([...Object.keys(props.step.before), ...Object.keys(props.step.after)])];
  return (
    <table className="table before-after">
      <caption className="visually-hidden">Before and after for {props.step.title}</caption>
      <thead>
        <tr>
          <th scope="col">Setting</th>
          <th scope="col">Now</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {names.map((n) => {
          const before = formatValue(props.step.before[n]);
          const after = formatValue(props.step.after[n]);
          // Values sent unchanged (e.g. echoed so Sentry does not reset them) are not highlighted.
          const same = before === after;
          return (
            <tr key={n} className={same ? 'value-same' : undefined}>
              <th scope="row">
                <code>{n}</code>
              </th>
              <td className={same ? undefined : 'value-before'}>{before}</td>
              <td className={same ? undefined : 'value-after'}>
                {after}
                {same ? <span className="hint"> (unchanged)</span> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function RiskBadge(props: { readonly step: FixStep }) {
  return props.step.risk === 'high' ? <span className="badge badge-fail">High risk</span> : <span className="badge badge-neutral">Low risk</span>;
}

function StepSummary(props: { readonly step: FixStep }) {
  const { step } = props;
  return (
    <div className="fix-step-summary">
      <p>
        <strong>{step.title}</strong> — {step.resource.type} <strong>{step.resource.name}</strong> <RiskBadge step={step} />
      </p>
      <p>{step.description}</p>
    </div>
  );
}

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

/** Confirmation: the exact changes, and the organization slug typed for high-risk ones. */
function ConfirmChanges(props: {
  readonly title: string;
  readonly steps: readonly FixStep[];
  readonly orgSlug: string;
  readonly confirmLabel: string;
  readonly onConfirm: (confirmOrg: string | undefined) => void;
  readonly onCancel: () => void;
  readonly extra?: ReactNode;
}) {
  const [typed, setTyped] = useState('');
  const needsSlug = props.steps.some((s) => s.confirmSlug);
  const descId = useId();
  const slugId = useId();
  const ok = !needsSlug || typed.trim() === props.orgSlug;
  return (
    <Dialog title={props.title} onClose={props.onCancel} describedBy={descId}>
      <p id={descId}>
        {plural(props.steps.length, 'change')} will be sent to Sentry for <strong>{props.orgSlug}</strong>. Each is re-read first
        (nothing is sent if the setting changed meanwhile) and verified after.
      </p>
      <ol className="confirm-list">
        {props.steps.map((s) => (
          <li key={s.id}>
            <StepSummary step={s} />
            <BeforeAfter step={s} />
            {s.undoNote ? <p className="hint">Undo: {s.undoNote}</p> : null}
            {s.notes.length > 0 ? (
              <ul className="notes">
                {s.notes.slice(0, 5).map((n) => (
                  <li key={n}>{n}</li>
                ))}
                {s.notes.length > 5 ? <li>and {s.notes.length - 5} more</li> : null}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
      {props.extra}
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (ok) props.onConfirm(needsSlug ? typed.trim() : undefined);
        }}
      >
        {needsSlug ? (
          <div className="field">
            <label htmlFor={slugId}>
              High-risk change: type the organization slug <code>{props.orgSlug}</code> to confirm
            </label>
            <input id={slugId} type="text" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} />
          </div>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="button-secondary" onClick={props.onCancel} data-autofocus={needsSlug ? undefined : true}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={!ok}>
            {props.confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

const OUTCOME_TEXT: Record<StepResult['outcome'], string> = {
  applied: 'Applied and verified',
  already_applied: 'Already in place',
  drifted: 'Skipped: the setting changed since the plan',
  not_effective: 'Not effective: Sentry accepted it but the setting did not change',
  failed: 'Failed',
  declined: 'Not confirmed',
  blocked: 'Blocked: a change it depends on was not applied',
  not_attempted: 'Not attempted',
  not_applied: 'Not applied',
  uncertain: 'Uncertain: check it in Sentry',
};

function ResultsList(props: {
  readonly results: readonly StepResult[];
  readonly steps: readonly FixStep[];
  readonly caption: string;
  readonly kind: 'apply' | 'undo';
}) {
  return (
    <table className="table">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Change</th>
          <th scope="col">Outcome</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {props.results.map((r) => {
          const step = props.steps.find((s) => s.id === r.stepId);
          return (
            <tr key={r.stepId}>
              <td>{step ? `${step.title}: ${step.resource.name}` : r.stepId}</td>
              <td>
                <span className={`badge ${r.status === 'applied' ? 'badge-pass' : r.status === 'failed' ? 'badge-fail' : 'badge-manual'}`}>
                  {props.kind === 'undo' && r.outcome === 'applied' ? 'Undone and verified' : OUTCOME_TEXT[r.outcome]}
                </span>
              </td>
              <td>{r.error ? `${r.message} (${r.error.code})` : r.message}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

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

  const plan = slice.plan.status === 'done' ? slice.plan.value : null;
  const selectedSteps = plan ? plan.steps.filter((s) => slice.selected.includes(s.id)) : [];
  const applying = slice.apply.status === 'running';
  const otherNotes = plan ? plan.notes.filter((n) => n.kind !== 'needs_parameter' || n.param === null) : [];

  const undoTarget = slice.undoTarget;
  const undoBatch = undoTarget ? slice.applied.find((b) => b.applyId === undoTarget.applyId) : undefined;
  const undoPlan = slice.undoPlan.status === 'done' ? slice.undoPlan.value : null;
  const undoSteps = undoPlan && undoTarget ? undoPlan.steps.filter((s) => undoTarget.stepIds.includes(s.undoes)) : [];

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

      {plan ? (
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
              onClick={() => setConfirming(true)}
            >
              Apply {plural(selectedSteps.length, 'selected change')}…
            </button>
          ) : null}
        </>
      ) : null}

      {confirming && plan ? (
        <ConfirmChanges
          title="Apply these changes?"
          steps={selectedSteps}
          orgSlug={props.orgSlug}
          confirmLabel={`Apply ${plural(selectedSteps.length, 'change')}`}
          onCancel={() => setConfirming(false)}
          onConfirm={(confirmOrg) => {
            setConfirming(false);
            void slice.applySelected(confirmOrg);
          }}
        />
      ) : null}

      <div aria-live="polite">
        {slice.apply.status === 'running' ? (
          <Progress
            label="Applying changes"
            completed={Object.values(slice.apply.progress.steps).filter((s) => s !== 'running').length}
            total={slice.apply.progress.total}
            detail={slice.cancel.status === 'done' && slice.cancel.value ? 'stopping after the change under way' : null}
            onCancel={() => void slice.cancelChanges()}
            cancelling={slice.cancel.status === 'running' || (slice.cancel.status === 'done' && slice.cancel.value)}
          />
        ) : null}
        {slice.apply.status === 'running' && slice.cancel.status === 'failed' ? <ErrorNotice error={slice.cancel.error} context="Cancelling the changes" /> : null}
      </div>
      <div ref={outcomeRef} tabIndex={-1} className="outcome">
        {slice.apply.status === 'failed' ? <ErrorNotice error={slice.apply.error} context="Applying the changes" /> : null}
        {slice.apply.status === 'done' ? (
          <div className="apply-outcome">
            {slice.apply.value.fatal ? (
              <div className="notice notice-error" role="alert">
                <p className="notice-title">The run stopped early</p>
                <p>{slice.apply.value.fatal}</p>
              </div>
            ) : null}
            <ResultsList
              caption="What was applied"
              kind="apply"
              results={slice.apply.value.results}
              steps={slice.applied.find((b) => b.applyId === (slice.apply.status === 'done' ? slice.apply.value.applyId : ''))?.steps ?? []}
            />
            {slice.apply.value.recheck ? (
              <p role="status">
                Re-checked after the changes: {slice.apply.value.recheck.counts.pass} pass, {slice.apply.value.recheck.counts.fail} fail,{' '}
                {slice.apply.value.recheck.counts.error} error, {slice.apply.value.recheck.counts.manual} manual across the organization.
              </p>
            ) : null}
            {slice.apply.value.recheckError ? <ErrorNotice error={slice.apply.value.recheckError} context="Re-checking after the changes" /> : null}
          </div>
        ) : null}
      </div>

      {slice.applied.length > 0 ? (
        <div className="applied">
          <h3>Applied in this session</h3>
          <ul className="applied-list">
            {slice.applied.flatMap((batch) =>
              batch.steps
                .filter((s) => batch.results.some((r) => r.stepId === s.id && r.status === 'applied'))
                .map((s) => {
                  const undone = batch.undone.includes(s.id);
                  const canUndo = undoableSteps(batch).some((u) => u.id === s.id);
                  return (
                    <li key={`${batch.applyId}-${s.id}`}>
                      {s.title}: <strong>{s.resource.name}</strong> ({s.field}) {undone ? <span className="badge badge-neutral">Undone</span> : null}
                      {canUndo ? (
                        <button
                          type="button"
                          className="button-secondary button-small"
                          disabled={slice.undo.status === 'running' || !props.canApply}
                          onClick={() => void slice.prepareUndo({ applyId: batch.applyId, stepIds: [s.id] })}
                        >
                          Undo<span className="visually-hidden"> {s.title} on {s.resource.name}</span>
                        </button>
                      ) : null}
                      {!s.reversible && !undone ? <span className="hint"> cannot be undone{s.undoNote ? `: ${s.undoNote}` : ''}</span> : null}
                    </li>
                  );
                }),
            )}
          </ul>
        </div>
      ) : null}

      {undoTarget && undoBatch && slice.undo.status !== 'running' ? (
        slice.undoPlan.status === 'done' && undoSteps.length > 0 ? (
          <ConfirmChanges
            title="Undo this change?"
            steps={undoSteps}
            orgSlug={props.orgSlug}
            confirmLabel="Undo"
            onCancel={() => slice.cancelUndo()}
            onConfirm={(confirmOrg) => void slice.undoPrepared(confirmOrg)}
          />
        ) : (
          <Dialog title="Undo this change?" onClose={() => slice.cancelUndo()}>
            {slice.undoPlan.status === 'running' ? <p role="status">Reading what undo would change…</p> : null}
            {slice.undoPlan.status === 'failed' ? <ErrorNotice error={slice.undoPlan.error} context="Preparing the undo" /> : null}
            {slice.undoPlan.status === 'done' ? (
              <div>
                <p>This change cannot be undone now.</p>
                <ul>
                  {slice.undoPlan.value.skipped
                    .filter((s) => undoTarget.stepIds.includes(s.stepId))
                    .map((s) => (
                      <li key={s.stepId}>
                        {s.description}: {s.reason}
                      </li>
                    ))}
                </ul>
              </div>
            ) : null}
            <div className="dialog-actions">
              <button type="button" className="button-secondary" data-autofocus onClick={() => slice.cancelUndo()}>
                Close
              </button>
            </div>
          </Dialog>
        )
      ) : null}

      <div aria-live="polite">
        {slice.undo.status === 'running' ? (
          <Progress
            label="Undoing"
            completed={Object.values(slice.undo.progress.steps).filter((s) => s !== 'running').length}
            total={slice.undo.progress.total}
            detail={slice.cancel.status === 'done' && slice.cancel.value ? 'stopping after the change under way' : null}
            onCancel={() => void slice.cancelChanges()}
            cancelling={slice.cancel.status === 'running' || (slice.cancel.status === 'done' && slice.cancel.value)}
          />
        ) : null}
        {slice.undo.status === 'running' && slice.cancel.status === 'failed' ? <ErrorNotice error={slice.cancel.error} context="Cancelling the undo" /> : null}
      </div>
      <div ref={undoOutcomeRef} tabIndex={-1} className="outcome">
        {slice.undo.status === 'failed' ? <ErrorNotice error={slice.undo.error} context="Undoing the change" /> : null}
        {slice.undo.status === 'done' ? (
          <ResultsList
            caption="What was undone"
            kind="undo"
            results={slice.undo.value.results}
            steps={slice.applied.find((b) => b.applyId === (slice.undo.status === 'done' ? slice.undo.value.applyId : ''))?.steps ?? []}
          />
        ) : null}
      </div>
    </section>
  );
}

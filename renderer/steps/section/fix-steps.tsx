import type { ReactNode } from 'react';
import { useId, useState } from 'react';
import { Dialog } from '../../components/dialog';
import type { FixStep, StepResult } from '../../store/dto';
import { formatValue, plural } from '../../format';

// What the plan, the apply results and the undo all show of a step: its before and after, its
// risk, the confirmation dialog and the results table.

/** Before and after of one step, field by field. */
export function BeforeAfter(props: { readonly step: FixStep }) {
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

export function RiskBadge(props: { readonly step: FixStep }) {
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

/** Changes the confirmation lists with their before and after. */
const CONFIRM_LISTED = 25;

/** Confirmation: the exact changes, and the organization slug typed for high-risk ones. */
export function ConfirmChanges(props: {
  readonly title: string;
  readonly steps: readonly FixStep[];
  /** How many changes will be sent, when more than `steps` lists (a plan of thousands, paged). */
  readonly count?: number;
  /** Whether any change sent needs the slug typed, when `steps` does not list them all. */
  readonly needsSlug?: boolean;
  readonly orgSlug: string;
  readonly confirmLabel: string;
  readonly onConfirm: (confirmOrg: string | undefined) => void;
  readonly onCancel: () => void;
  readonly extra?: ReactNode;
}) {
  const [typed, setTyped] = useState('');
  const needsSlug = props.needsSlug ?? props.steps.some((s) => s.confirmSlug);
  const count = props.count ?? props.steps.length;
  // A dialog of a thousand before/after tables helps nobody: the first ones, and how many more.
  const listed = props.steps.slice(0, CONFIRM_LISTED);
  const descId = useId();
  const slugId = useId();
  const ok = !needsSlug || typed.trim() === props.orgSlug;
  return (
    <Dialog title={props.title} onClose={props.onCancel} describedBy={descId}>
      <p id={descId}>
        {plural(count, 'change')} will be sent to Sentry for <strong>{props.orgSlug}</strong>. Each is re-read first
        (nothing is sent if the setting changed meanwhile) and verified after.
      </p>
      <ol className="confirm-list">
        {listed.map((s) => (
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
      {count > listed.length ? (
        <p className="hint">
          and {plural(count - listed.length, 'more change')} of the plan, each as listed in the plan with its before and after.
        </p>
      ) : null}
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

export function ResultsList(props: {
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

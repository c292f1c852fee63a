import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Progress } from '../../components/progress';
import { ConfirmChanges, ResultsList } from './fix-steps';
import type { SectionSlice } from './section.slice';
import { undoableSteps } from './section.slice';

/** The changes applied in this session, each with Undo when it can be undone. */
export function AppliedList(props: { readonly slice: SectionSlice; readonly canApply: boolean }) {
  const { slice } = props;
  if (slice.applied.length === 0) return null;
  return (
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
  );
}

/** Undo of one applied change: its inverse confirmed like a plan, or why it cannot be undone now. */
export function UndoDialog(props: { readonly slice: SectionSlice; readonly orgSlug: string }) {
  const { slice } = props;
  const undoTarget = slice.undoTarget;
  const undoBatch = undoTarget ? slice.applied.find((b) => b.applyId === undoTarget.applyId) : undefined;
  const undoPlan = slice.undoPlan.status === 'done' ? slice.undoPlan.value : null;
  const undoSteps = undoPlan && undoTarget ? undoPlan.steps.filter((s) => undoTarget.stepIds.includes(s.undoes)) : [];
  if (!(undoTarget && undoBatch && slice.undo.status !== 'running')) return null;
  return (
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
  );
}

/** While undoing: progress and Cancel. */
export function UndoProgress(props: { readonly slice: SectionSlice }) {
  const { slice } = props;
  return (
    <>
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
    </>
  );
}

/** After undoing: each change's outcome. */
export function UndoOutcome(props: { readonly slice: SectionSlice }) {
  const { slice } = props;
  return (
    <>
      {slice.undo.status === 'failed' ? <ErrorNotice error={slice.undo.error} context="Undoing the change" /> : null}
      {slice.undo.status === 'done' ? (
        <ResultsList
          caption="What was undone"
          kind="undo"
          results={slice.undo.value.results}
          steps={slice.applied.find((b) => b.applyId === (slice.undo.status === 'done' ? slice.undo.value.applyId : ''))?.steps ?? []}
        />
      ) : null}
    </>
  );
}

import { ErrorNotice } from '../../components/error-notice';
import { Progress } from '../../components/progress';
import { ResultsList } from './fix-steps';
import type { SectionSlice } from './section.slice';

/** While applying: progress and Cancel (which stops after the change under way). */
export function ApplyProgress(props: { readonly slice: SectionSlice }) {
  const { slice } = props;
  return (
    <>
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
    </>
  );
}

/** After applying: what stopped the run, each change's outcome, and the re-check. */
export function ApplyOutcome(props: { readonly slice: SectionSlice }) {
  const { slice } = props;
  return (
    <>
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
    </>
  );
}

/**
 * A long operation: a native progress bar (indeterminate until the total is known), a text
 * announced politely to screen readers, and Cancel when the operation can stop.
 */
export function Progress(props: {
  readonly label: string;
  readonly completed?: number;
  readonly total?: number;
  readonly detail?: string | null;
  readonly onCancel?: () => void;
  readonly cancelling?: boolean;
}) {
  const known = props.total !== undefined && props.total > 0;
  const text = known ? `${props.label}: ${props.completed ?? 0} of ${props.total}` : `${props.label}…`;
  return (
    <div className="progress">
      {known ? (
        <progress max={props.total} value={props.completed ?? 0} aria-label={props.label} />
      ) : (
        <progress aria-label={props.label} />
      )}
      <p className="progress-text" role="status" aria-live="polite">
        {text}
        {props.detail ? ` (${props.detail})` : ''}
      </p>
      {props.onCancel ? (
        <button type="button" className="button-secondary" onClick={props.onCancel} disabled={props.cancelling}>
          {props.cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      ) : null}
    </div>
  );
}

/** Thousands separated, as people read counts ("1,443"). */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Previous / next over a list the window receives a page at a time: "Showing 1–10 of 1,443".
 * Nothing when everything fits on one page.
 */
export function Pager(props: {
  readonly offset: number;
  readonly limit: number;
  readonly total: number;
  /** What the rows are, for screen readers ("rows of Members without a team"). */
  readonly label: string;
  readonly loading: boolean;
  readonly onPage: (offset: number) => void;
}) {
  const { offset, limit, total } = props;
  if (total <= limit && offset === 0) return null;
  const last = Math.min(total, offset + limit);
  return (
    <nav className="pager" aria-label={`Pages of ${props.label}`}>
      <button type="button" className="button-secondary button-small" disabled={offset === 0 || props.loading} onClick={() => props.onPage(Math.max(0, offset - limit))}>
        Previous<span className="visually-hidden"> {limit}</span>
      </button>
      <span className="pager-range" aria-live="polite">
        Showing {formatCount(total === 0 ? 0 : offset + 1)}–{formatCount(last)} of {formatCount(total)}
      </span>
      <button type="button" className="button-secondary button-small" disabled={last >= total || props.loading} onClick={() => props.onPage(offset + limit)}>
        Next<span className="visually-hidden"> {limit}</span>
      </button>
    </nav>
  );
}

/** A page main could not send: why, and "Try again". */
export function PageFailed(props: { readonly what: string; readonly message: string | null; readonly onRetry: () => void }) {
  if (props.message === null) return null;
  return (
    <p className="field-error">
      {props.what} could not be loaded: {props.message}{' '}
      <button type="button" className="button-link" onClick={props.onRetry}>
        Try again
      </button>
    </p>
  );
}

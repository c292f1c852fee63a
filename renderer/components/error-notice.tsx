import type { ErrorInfo } from '../../shared/errors';
import { describeError } from '../errors';

/**
 * An error where it happened: what went wrong, Sentry's or main's message, and what to do next.
 * `role="alert"` so screen readers announce it when it appears.
 */
export function ErrorNotice(props: { readonly error: ErrorInfo; readonly onRetry?: () => void; readonly context?: string }) {
  const d = describeError(props.error);
  return (
    <div className="notice notice-error" role="alert" data-error-code={props.error.code}>
      <p className="notice-title">
        {props.context ? `${props.context}: ` : ''}
        {d.title}
      </p>
      {d.message && d.message !== d.title ? <p className="notice-message">{d.message}</p> : null}
      <p className="notice-next">
        <span className="visually-hidden">What to do next: </span>
        {d.next}
      </p>
      {props.onRetry && (d.retryable || props.error.code !== 'invalid_input') ? (
        <button type="button" className="button-secondary" onClick={props.onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

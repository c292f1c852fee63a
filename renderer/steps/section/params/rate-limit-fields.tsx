import type { ParamControlProps } from './field-props';
import { FieldError } from './field-props';
import { rateLimitErrors, SENTRY_MAX_WINDOW, splitRateLimit } from './validate';

/**
 * A client key rate limit: events per window of seconds, within Sentry's limits (the window at
 * most one day, RateLimitSerializer in src/sentry/api/serializers/rest_framework/project_key.py).
 * Empty keeps the fix's default, shown as the placeholder.
 */
export function RateLimitFields(props: ParamControlProps) {
  const { field } = props;
  const draft = splitRateLimit(props.value);
  const suggested = splitRateLimit(field.param.suggested ?? '');
  const touched = props.value.trim() !== '';
  const inline = touched ? rateLimitErrors(field.param, draft) : { count: null, window: null };
  const maxWindow = field.param.maxWindow ?? SENTRY_MAX_WINDOW;
  const set = (count: string, window: string) => props.onChange(count.trim() === '' && window.trim() === '' ? '' : `${count.trim()}/${window.trim()}`);
  // The engine's refusal, when the inline checks found nothing.
  const other = inline.count === null && inline.window === null ? props.error : null;
  return (
    <fieldset className="fieldset rate-limit" id={props.inputId} aria-describedby={props.describedBy}>
      <legend>{field.param.label}</legend>
      <div className="field-row">
        <div className="field field-inline">
          <label htmlFor={`${props.inputId}-count`}>Events</label>
          <input
            id={`${props.inputId}-count`}
            type="number"
            inputMode="numeric"
            min={field.param.min ?? 1}
            {...(field.param.max === null ? {} : { max: field.param.max })}
            placeholder={suggested.count}
            value={draft.count}
            aria-invalid={inline.count === null ? undefined : true}
            aria-describedby={`${props.inputId}-count-error ${props.describedBy}`}
            onChange={(e) => set(e.target.value, draft.window || suggested.window)}
          />
        </div>
        <div className="field field-inline">
          <label htmlFor={`${props.inputId}-window`}>per seconds</label>
          <input
            id={`${props.inputId}-window`}
            type="number"
            inputMode="numeric"
            min={1}
            max={maxWindow}
            placeholder={suggested.window}
            value={draft.window}
            aria-invalid={inline.window === null ? undefined : true}
            aria-describedby={`${props.inputId}-window-error ${props.describedBy}`}
            onChange={(e) => set(draft.count || suggested.count, e.target.value)}
          />
        </div>
      </div>
      <FieldError id={`${props.inputId}-count-error`} error={inline.count} />
      <FieldError id={`${props.inputId}-window-error`} error={inline.window} />
      <FieldError id={props.errorId} error={other} />
      <p className="hint">
        Sentry takes a window of 1 to {maxWindow.toLocaleString('en')} seconds. {touched ? '' : 'Empty keeps the default shown.'}
      </p>
    </fieldset>
  );
}

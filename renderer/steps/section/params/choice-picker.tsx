import { useState } from 'react';
import type { ParamControlProps } from './field-props';
import { FieldError } from './field-props';
import { listOf } from './validate';

/** Beyond this many options a filter box helps find one; at most SHOWN are listed at once. */
const FILTER_FROM = 12;
const SHOWN = 200;

/**
 * Teams, client keys, members, projects: picked from the values the fix knows, each shown in
 * words (a key by name and project, a team by name) rather than as a raw id. Several values are
 * checkboxes; one value is a select with "Leave as it is".
 */
export function ChoicePicker(props: ParamControlProps) {
  const { field, value } = props;
  const options = field.param.options;
  const [filter, setFilter] = useState('');
  if (!field.param.multiple) {
    return (
      <div className="field">
        <label htmlFor={props.inputId}>{field.param.label}</label>
        <select
          id={props.inputId}
          aria-describedby={props.describedBy}
          aria-invalid={props.error === null ? undefined : true}
          value={value}
          onChange={(e) => props.onChange(e.target.value)}
        >
          <option value="">{field.param.suggested === null ? 'Leave as it is' : `Leave the default (${options.find((o) => o.value === field.param.suggested)?.label ?? field.param.suggested})`}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.detail === null ? o.label : `${o.label} (${o.detail})`}
            </option>
          ))}
        </select>
        <FieldError id={props.errorId} error={props.error} />
      </div>
    );
  }
  const chosen = new Set(listOf(value));
  const needle = filter.trim().toLowerCase();
  const matching = needle === '' ? options : options.filter((o) => `${o.label} ${o.detail ?? ''}`.toLowerCase().includes(needle));
  const shown = matching.slice(0, SHOWN);
  const toggle = (v: string, on: boolean) => {
    const next = options.map((o) => o.value).filter((x) => (x === v ? on : chosen.has(x)));
    props.onChange(next.join(','));
  };
  return (
    <fieldset className="fieldset choice-picker" id={props.inputId} aria-describedby={props.describedBy} aria-invalid={props.error === null ? undefined : true}>
      <legend>{field.param.label}</legend>
      {options.length > FILTER_FROM ? (
        <div className="field field-inline">
          <label htmlFor={`${props.inputId}-filter`}>Find</label>
          <input id={`${props.inputId}-filter`} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </div>
      ) : null}
      <div className="choice-list">
        {shown.map((o) => {
          const id = `${props.inputId}-${o.value.replace(/[^A-Za-z0-9_-]/g, '_')}`;
          return (
            <label key={o.value} className="checkbox" htmlFor={id}>
              <input id={id} type="checkbox" checked={chosen.has(o.value)} onChange={(e) => toggle(o.value, e.target.checked)} />
              <span>
                {o.label}
                {o.detail === null || o.detail === o.label ? null : <span className="hint"> {o.detail}</span>}
              </span>
            </label>
          );
        })}
      </div>
      {matching.length > shown.length ? <p className="hint">{matching.length - shown.length} more: narrow the search to see them.</p> : null}
      {chosen.size > 0 ? <p className="hint">{chosen.size} chosen.</p> : null}
      <FieldError id={props.errorId} error={props.error} />
    </fieldset>
  );
}

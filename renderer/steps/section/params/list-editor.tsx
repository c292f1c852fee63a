import { useState } from 'react';
import type { ParamControlProps } from './field-props';
import { FieldError } from './field-props';
import { cidrError, domainError, listOf } from './validate';

/**
 * Sites (allowed domains) or IP ranges (blocklist): one row each, added and removed, each row
 * checked as it is typed with the reason beside it.
 */
export function ListEditor(props: ParamControlProps) {
  const { field } = props;
  const kind = field.param.kind === 'cidr_ranges' ? 'cidr' : 'domain';
  const [rows, setRows] = useState<string[]>(() => {
    const initial = listOf(props.value);
    return initial.length > 0 ? initial : [''];
  });
  const check = (v: string) => (v.trim() === '' ? null : kind === 'cidr' ? cidrError(v) : domainError(v, field.param.pattern));
  const update = (next: string[]) => {
    setRows(next);
    props.onChange(next.map((r) => r.trim()).filter((r) => r !== '').join(','));
  };
  const placeholder = kind === 'cidr' ? '203.0.113.0/24' : 'https://app.example.com';
  const noun = kind === 'cidr' ? 'address or range' : 'site';
  const rowErrors = rows.map(check);
  return (
    <fieldset className="fieldset list-editor" id={props.inputId} aria-describedby={props.describedBy}>
      <legend>{field.param.label}</legend>
      {rows.map((r, i) => {
        const id = `${props.inputId}-row-${i}`;
        const error = rowErrors[i] ?? null;
        return (
          <div key={i} className="list-row">
            <div className="field field-inline">
              <label htmlFor={id} className="visually-hidden">
                {`${noun[0]?.toUpperCase() ?? ''}${noun.slice(1)} ${i + 1}`}
              </label>
              <input
                id={id}
                type="text"
                placeholder={placeholder}
                value={r}
                aria-invalid={error === null ? undefined : true}
                aria-describedby={`${id}-error ${props.describedBy}`}
                onChange={(e) => update(rows.map((x, j) => (j === i ? e.target.value : x)))}
              />
              <button type="button" className="button-secondary" aria-label={`Remove ${noun} ${i + 1}`} onClick={() => update(rows.length === 1 ? [''] : rows.filter((_, j) => j !== i))}>
                Remove
              </button>
            </div>
            <FieldError id={`${id}-error`} error={error} />
          </div>
        );
      })}
      <button type="button" className="button-secondary" onClick={() => setRows([...rows, ''])}>
        Add a{kind === 'cidr' ? 'n' : ''} {noun}
      </button>
      <FieldError id={props.errorId} error={rowErrors.every((e) => e === null) ? props.error : null} />
    </fieldset>
  );
}

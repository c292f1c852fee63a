import type { ParamField } from '../section.slice';
import { FieldError } from './field-props';

/**
 * The owners a fix could lower, one row each with a select of the new role (only roles the fix
 * can give: never your own membership, nothing above your role). Empty keeps the member's role.
 */
export function MemberRolePicker(props: {
  readonly fields: readonly ParamField[];
  readonly idOf: (key: string) => string;
  readonly valueOf: (key: string) => string;
  readonly errorOf: (key: string) => string | null;
  readonly onChange: (key: string, value: string) => void;
}) {
  const first = props.fields[0];
  if (!first) return null;
  const captionId = `${props.idOf(first.param.key)}-caption`;
  const hintId = `${captionId}-why`;
  return (
    <div className="member-role-picker">
      <p className="hint" id={hintId}>
        Choose a new organization role for any of these members, or keep them as they are. Your own membership is not listed: Sentry does not let you change your own role.
      </p>
      <table className="table" aria-labelledby={captionId}>
        <caption id={captionId}>New organization roles</caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">New role</th>
          </tr>
        </thead>
        <tbody>
          {props.fields.map((f) => {
            const id = props.idOf(f.param.key);
            const error = props.errorOf(f.param.key);
            const name = f.resource?.name ?? f.param.label;
            return (
              <tr key={f.param.key}>
                <th scope="row">
                  <label htmlFor={id}>{name}</label>
                </th>
                <td>
                  <select
                    id={id}
                    value={props.valueOf(f.param.key)}
                    aria-invalid={error === null ? undefined : true}
                    aria-describedby={`${id}-error ${hintId}`}
                    onChange={(e) => props.onChange(f.param.key, e.target.value)}
                  >
                    <option value="">Keep as it is</option>
                    {f.param.options.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.detail === null ? o.label : `${o.label}: ${o.detail}`}
                      </option>
                    ))}
                  </select>
                  <FieldError id={`${id}-error`} error={error} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

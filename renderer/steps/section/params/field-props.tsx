import type { ParamField } from '../section.slice';

/** What every control of a fix choice gets: its field, the draft value, where its words are. */
export interface ParamControlProps {
  readonly field: ParamField;
  /** The draft as the slice keeps it (`a,b` for lists, `COUNT/WINDOW` for a rate limit). */
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** The control's DOM id (its label points here). */
  readonly inputId: string;
  /** Ids of the note and of the reason a value is refused, for aria-describedby. */
  readonly describedBy: string;
  /** Why the value cannot be used (inline check or the engine's answer), or null. */
  readonly error: string | null;
  readonly errorId: string;
}

export function FieldError(props: { readonly id: string; readonly error: string | null }) {
  return props.error === null ? null : (
    <p className="field-error" id={props.id}>
      {props.error}
    </p>
  );
}

import type { ReactNode } from 'react';
import { isObject } from './evidence-fields';

/**
 * A response body, pretty-printed as JSON and collapsible: objects and lists fold, and the
 * fields a verdict read are marked in the items it is about (and open, so they show at once).
 */

type Path = readonly string[];

function scalar(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function sizeText(value: readonly unknown[] | Record<string, unknown>): string {
  const n = Array.isArray(value) ? value.length : Object.keys(value).length;
  return Array.isArray(value) ? `${n} ${n === 1 ? 'item' : 'items'}` : `${n} ${n === 1 ? 'field' : 'fields'}`;
}

function Node(props: {
  readonly name: string | null;
  readonly value: unknown;
  readonly depth: number;
  /** Field paths, relative to this node, to mark below it. */
  readonly marks: readonly Path[];
  /** This node is a field the verdict read. */
  readonly hit: boolean;
  readonly marked: ReadonlySet<unknown>;
  readonly fields: readonly Path[];
  /** Marked items open by themselves (false when every item of a long list is marked). */
  readonly openMarked: boolean;
  readonly last: boolean;
}) {
  const { name, value, depth, marked, fields, openMarked } = props;
  const marks = marked.has(value) ? fields : props.marks;
  const comma = props.last ? '' : ',';
  const { hit } = props;
  const label = name === null ? null : <span className="json-key">{JSON.stringify(name)}: </span>;
  const line = (content: ReactNode) => (hit ? <mark className="json-hit">{content}</mark> : content);
  if (!Array.isArray(value) && !isObject(value)) {
    return (
      <div className="json-line">
        {line(
          <>
            {label}
            <span className={`json-${value === null ? 'null' : typeof value}`}>{scalar(value)}</span>
          </>,
        )}
        {comma}
      </div>
    );
  }
  const entries: [string | null, unknown][] = Array.isArray(value) ? value.map((v) => [null, v]) : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div className="json-line">
        {line(
          <>
            {label}
            {open}
            {close}
          </>,
        )}
        {comma}
      </div>
    );
  }
  const onPath = openMarked && (marks.length > 0 || (Array.isArray(value) && value.some((v) => marked.has(v))));
  return (
    <details className="json-node" open={depth < 1 || onPath || hit}>
      <summary>
        {line(
          <>
            {label}
            {open}
          </>,
        )}
        <span className="json-size"> {sizeText(value)} </span>
      </summary>
      <div className="json-children">
        {entries.map(([key, child], i) => (
          <Node
            key={key ?? i}
            name={key}
            value={child}
            depth={depth + 1}
            marks={key === null ? [] : marks.filter((p) => p.length > 1 && p[0] === key).map((p) => p.slice(1))}
            hit={key !== null && marks.some((p) => p.length === 1 && p[0] === key)}
            marked={marked}
            fields={fields}
            openMarked={openMarked}
            last={i === entries.length - 1}
          />
        ))}
      </div>
      <div className="json-line">
        {close}
        {comma}
      </div>
    </details>
  );
}

export function JsonTree(props: {
  readonly value: unknown;
  readonly marked: ReadonlySet<unknown>;
  readonly fields: readonly string[];
  readonly openMarked: boolean;
  readonly label: string;
}) {
  const fields = props.fields.map((f) => f.split('.'));
  return (
    <div className="json-tree" role="group" aria-label={props.label} tabIndex={0}>
      <Node name={null} value={props.value} depth={0} marks={[]} hit={false} marked={props.marked} fields={fields} openMarked={props.openMarked} last />
    </div>
  );
}

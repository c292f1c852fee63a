import { useId, useMemo, useState } from 'react';
import type { EvidenceRef } from '../../../shared/finding';
import { ErrorNotice } from '../../components/error-notice';
import type { ControlInfo, EvidenceDetail, Finding } from '../../store/dto';
import type { Status } from '../../store/status';
import { formatDateTime, plural } from '../../format';
import { AuditEventsTable, auditEventsOf } from './audit-events-table';
import { cellText, fieldValue, isObject, itemsAbout, parseBody, verdictFields, type JsonObject } from './evidence-fields';
import { JsonTree } from './json-tree';
import { evidenceKey } from './section.slice';

type CheckInfo = ControlInfo['checks'][number];

/** Rows of the fields table before "and N more": the raw response holds the rest. */
const MAX_ROWS = 25;

/** The key that names an item for a person, unless the fields show it already. */
function nameKey(items: readonly JsonObject[], fields: readonly string[]): string | null {
  const key = ['name', 'slug', 'email', 'id'].find((k) => items.some((i) => k in i));
  return key && !fields.includes(key) ? key : null;
}

/** The facts of the verdict (its `details`), as names and values; tables of their own are left out. */
function Facts(props: { readonly details: JsonObject; readonly skip: ReadonlySet<string> }) {
  const entries = Object.entries(props.details).filter(([k]) => !props.skip.has(k));
  if (entries.length === 0) return null;
  return (
    <div className="evidence-facts">
      <h5>What the verdict used</h5>
      <dl className="facts">
        {entries.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>
              <mark className="fact-value">{cellText(v)}</mark>
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** The fields the verdict read, from the items of one response it is about, highlighted. */
function FieldsTable(props: { readonly items: readonly JsonObject[]; readonly fields: readonly string[]; readonly all: boolean }) {
  const { items, fields } = props;
  const name = nameKey(items, fields);
  const shown = items.slice(0, MAX_ROWS);
  return (
    <div className="table-scroll">
      <table className="table evidence-fields">
        <caption>
          Fields the verdict read{props.all ? `, for each of ${plural(items.length, 'item')}` : ''}
        </caption>
        <thead>
          <tr>
            {name ? <th scope="col">{name}</th> : null}
            {fields.map((f) => (
              <th key={f} scope="col">
                <code>{f}</code>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((item, i) => (
            <tr key={i}>
              {name ? <td>{cellText(item[name])}</td> : null}
              {fields.map((f) => {
                const v = fieldValue(item, f);
                return <td key={f}>{v.found ? <mark className="field-hit">{cellText(v.value)}</mark> : <span className="muted">not sent</span>}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {items.length > shown.length ? <p className="hint">and {items.length - shown.length} more in the raw response below.</p> : null}
    </div>
  );
}

/** One read behind a verdict: what was asked, the fields it gave the verdict, the raw response one click away. */
function ReadView(props: {
  readonly finding: Finding;
  readonly check: CheckInfo | undefined;
  readonly refValue: EvidenceRef;
  readonly detail: Status<EvidenceDetail> | undefined;
  /** False when a table of its own already shows what the verdict read (4.1's events). */
  readonly fieldsTable: boolean;
}) {
  const { finding, refValue: ref, detail } = props;
  const [raw, setRaw] = useState(false);
  const rawId = useId();
  const page = detail?.status === 'done' ? detail.value.firstPage : null;
  // Parsed once per body, not on every render of the table around it.
  const parsed = useMemo(() => (page ? parseBody(page.body) : null), [page]);
  const about = parsed?.ok ? itemsAbout(parsed.value, finding.resource) : null;
  const details = isObject(finding.details) ? finding.details : undefined;
  const fields = about ? verdictFields(props.check?.fields, details, about.items) : [];
  return (
    <div className="evidence-read">
      <p>
        <code>
          {ref.method} {ref.endpoint}
        </code>{' '}
        — {plural(ref.pages, 'page')}, {plural(ref.items, 'item')}, {ref.complete ? 'complete' : 'INCOMPLETE'}, read {formatDateTime(ref.fetchedAt)}
      </p>
      {detail?.status === 'running' ? <p role="status">Loading the response…</p> : null}
      {detail?.status === 'failed' ? <ErrorNotice error={detail.error} context="Loading the evidence" /> : null}
      {detail?.status === 'done' && !page ? (
        <p className="hint">The response body is no longer held (the run came from another session); its hash below still identifies it.</p>
      ) : null}
      {props.fieldsTable && about && fields.length > 0 && about.items.length > 0 ? <FieldsTable items={about.items} fields={fields} all={about.all} /> : null}
      {about && about.items.length === 0 ? <p className="hint">This response does not list {finding.resource.name} itself (the verdict rests on its absence or on the whole list).</p> : null}
      {page ? (
        <div className="evidence-raw">
          <button type="button" className="button-link" aria-expanded={raw} aria-controls={rawId} onClick={() => setRaw(!raw)}>
            {raw ? 'Hide the raw response' : 'Show the raw response (JSON)'}
            <span className="visually-hidden"> of {ref.endpoint}</span>
          </button>
          {raw ? (
            <figure id={rawId} className="evidence-body">
              <figcaption>
                First page: HTTP {page.status}, {plural(page.bytes, 'byte')}
                {page.truncated ? ' (cut short here)' : ''}; credentials are redacted.
              </figcaption>
              {parsed?.ok ? (
                <JsonTree value={parsed.value} marked={new Set(about?.items)} fields={fields} openMarked={!about?.all} label={`Response body of ${ref.endpoint}`} />
              ) : (
                <pre tabIndex={0} aria-label={`Response body of ${ref.endpoint}`}>
                  {page.body}
                </pre>
              )}
            </figure>
          ) : null}
        </div>
      ) : null}
      <p className="hint">
        SHA-256 <code className="hash">{ref.sha256}</code>
      </p>
    </div>
  );
}

/**
 * A finding's evidence as a person reads it: the facts the verdict used, the audit-log events
 * when it lists some, and per read the fields it gave the verdict, highlighted, with the raw
 * response (pretty-printed, collapsible) one click away.
 */
export function EvidenceView(props: {
  readonly finding: Finding;
  readonly check: CheckInfo | undefined;
  readonly runId: string;
  readonly evidence: Readonly<Record<string, Status<EvidenceDetail>>>;
}) {
  const { finding, runId } = props;
  const groups = finding.evidenceGroups ?? [];
  const events = auditEventsOf(finding.details);
  const details = isObject(finding.details) ? finding.details : null;
  const skip = new Set(events ? ['recent', 'countsByEvent'] : []);
  return (
    <div className="evidence">
      {details ? <Facts details={details} skip={skip} /> : null}
      {events ? <AuditEventsTable events={events} /> : null}
      {finding.evidence.length === 0 && groups.length === 0 ? (
        <p className="hint">No read stands behind this verdict (it rests on what the API cannot show).</p>
      ) : null}
      {finding.evidence.map((ref) => (
        <ReadView key={ref.sha256} finding={finding} check={props.check} refValue={ref} detail={props.evidence[evidenceKey(runId, ref.sha256)]} fieldsTable={!events} />
      ))}
      {groups.map((g) => (
        <div key={g.id} className="evidence-read">
          <p>
            {g.label} — {plural(g.size, 'read')}, {g.complete ? 'complete' : 'INCOMPLETE'} (one set of reads shared by many findings)
          </p>
          <p className="hint">
            Group SHA-256 <code className="hash">{g.id}</code>
          </p>
        </div>
      ))}
    </div>
  );
}

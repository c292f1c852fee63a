import { Fragment, useState } from 'react';
import type { FindingStatus } from '../../../shared/finding';
import { ErrorNotice } from '../../components/error-notice';
import { StatusBadge } from '../../components/status-badge';
import type { ControlInfo, Finding } from '../../store/dto';
import { findingKey } from '../../store/selectors';
import type { Status } from '../../store/status';
import type { EvidenceDetail } from '../../store/dto';
import { formatDateTime, plural } from '../../format';
import { evidenceKey } from './section.slice';

const ORDER: Record<FindingStatus, number> = { fail: 0, error: 1, manual: 2, pass: 3, not_applicable: 4 };

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.check.localeCompare(b.check));
}

function EvidencePanel(props: {
  readonly finding: Finding;
  readonly runId: string;
  readonly evidence: Readonly<Record<string, Status<EvidenceDetail>>>;
}) {
  const { finding, runId } = props;
  const groups = finding.evidenceGroups ?? [];
  if (finding.evidence.length === 0 && groups.length === 0) {
    return <p className="hint">No read stands behind this verdict (it rests on what the API cannot show).</p>;
  }
  return (
    <div className="evidence">
      {finding.evidence.map((ref) => {
        const detail = props.evidence[evidenceKey(runId, ref.sha256)];
        return (
          <div key={ref.sha256} className="evidence-read">
            <p>
              <code>
                {ref.method} {ref.endpoint}
              </code>{' '}
              — {plural(ref.pages, 'page')}, {plural(ref.items, 'item')}, {ref.complete ? 'complete' : 'INCOMPLETE'}, read{' '}
              {formatDateTime(ref.fetchedAt)}
            </p>
            <p className="hint">
              SHA-256 <code className="hash">{ref.sha256}</code>
            </p>
            {detail?.status === 'running' ? <p role="status">Loading the response…</p> : null}
            {detail?.status === 'failed' ? <ErrorNotice error={detail.error} context="Loading the evidence" /> : null}
            {detail?.status === 'done' ? (
              detail.value.firstPage ? (
                <figure className="evidence-body">
                  <figcaption>
                    First page: HTTP {detail.value.firstPage.status}, {plural(detail.value.firstPage.bytes, 'byte')}
                    {detail.value.firstPage.truncated ? ' (cut short here)' : ''}; credentials are redacted.
                  </figcaption>
                  <pre tabIndex={0} aria-label={`Response body of ${ref.endpoint}`}>
                    {detail.value.firstPage.body}
                  </pre>
                </figure>
              ) : (
                <p className="hint">The response body is no longer held (the run came from another session); its hash above still identifies it.</p>
              )
            ) : null}
          </div>
        );
      })}
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

/**
 * One control's verdicts: a row per check and resource, with the reads behind each on demand
 * (`audit:evidence`).
 */
export function ResultsTable(props: {
  readonly control: ControlInfo | null;
  readonly controlId: string;
  readonly findings: readonly Finding[];
  readonly runId: string;
  readonly evidence: Readonly<Record<string, Status<EvidenceDetail>>>;
  readonly onShowEvidence: (sha256: string) => void;
}) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const checkTitle = (id: string) => props.control?.checks.find((c) => c.id === id)?.title ?? id;

  function toggle(f: Finding) {
    const key = findingKey(f);
    const next = new Set(open);
    if (next.has(key)) next.delete(key);
    else {
      next.add(key);
      for (const ref of f.evidence) props.onShowEvidence(ref.sha256);
    }
    setOpen(next);
  }

  return (
    <table className="table results-table">
      <caption className="visually-hidden">Check results for control {props.controlId}</caption>
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Resource</th>
          <th scope="col">Result</th>
          <th scope="col">Details</th>
          <th scope="col">
            <span className="visually-hidden">Evidence</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {sortFindings(props.findings).map((f) => {
          const key = findingKey(f);
          const rowId = `evidence-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
          const isOpen = open.has(key);
          return (
            <Fragment key={key}>
              <tr className={`result-row result-${f.status}`}>
                <td>{checkTitle(f.check)}</td>
                <td>
                  <span className="resource-type">{f.resource.type}</span> {f.resource.name}
                </td>
                <td>
                  <StatusBadge status={f.status} />
                </td>
                <td className="result-message">{f.message}</td>
                <td>
                  <button type="button" className="button-link" aria-expanded={isOpen} aria-controls={rowId} onClick={() => toggle(f)}>
                    {isOpen ? 'Hide evidence' : 'Evidence'}
                    <span className="visually-hidden">
                      {' '}
                      for {checkTitle(f.check)}, {f.resource.name}
                    </span>
                  </button>
                </td>
              </tr>
              {isOpen ? (
                <tr id={rowId} className="evidence-row">
                  <td colSpan={5}>
                    <EvidencePanel finding={f} runId={props.runId} evidence={props.evidence} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}

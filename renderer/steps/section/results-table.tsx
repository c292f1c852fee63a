import { Fragment, useState } from 'react';
import type { FindingStatus } from '../../../shared/finding';
import type { RegisterNote } from '../../../shared/register-notes';
import type { ControlInfo, Finding } from '../../store/dto';
import { findingKey } from '../../store/selectors';
import type { Status } from '../../store/status';
import type { EvidenceDetail } from '../../store/dto';
import { EvidenceView } from './evidence-view';
import { FindingStatusCell } from './finding-status';

const ORDER: Record<FindingStatus, number> = { fail: 0, error: 1, manual: 2, pass: 3, not_applicable: 4 };

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.check.localeCompare(b.check));
}

/**
 * One control's verdicts: a row per check and resource, with the reads behind each on demand
 * (`audit:evidence`). A row says what the registers add (accepted risk, attestation) and what it
 * was at the first check when that differs.
 */
export function ResultsTable(props: {
  readonly control: ControlInfo | null;
  readonly controlId: string;
  readonly findings: readonly Finding[];
  readonly runId: string;
  readonly evidence: Readonly<Record<string, Status<EvidenceDetail>>>;
  readonly onShowEvidence: (sha256: string) => void;
  /** The exception or attestation that reads against a finding. */
  readonly noteOf?: (f: Finding) => RegisterNote | null;
  /** The finding's status at the first check, when there was a first check before this run. */
  readonly beforeOf?: (f: Finding) => FindingStatus | null;
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
                  <FindingStatusCell finding={f} note={props.noteOf?.(f) ?? null} before={props.beforeOf?.(f) ?? null} />
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
                    <EvidenceView finding={f} check={props.control?.checks.find((c) => c.id === f.check)} runId={props.runId} evidence={props.evidence} />
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

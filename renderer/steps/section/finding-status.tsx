import type { FindingStatus } from '../../../shared/finding';
import type { RegisterCounts, RegisterNote } from '../../../shared/register-notes';
import { StatusBadge } from '../../components/status-badge';
import type { ChangesPage, ControlInfo, Finding } from '../../store/dto';
import { formatDate } from '../../format';

/** What the registers add to a verdict, in words: who accepted the risk or attested, until or since when. */
export function noteText(note: RegisterNote): string {
  if (note.kind === 'exception') {
    const e = note.entry;
    return `accepted risk (exception by ${e.approvedBy}${e.expiresAt ? ` until ${formatDate(e.expiresAt)}` : ', no expiry'})`;
  }
  return `attested by ${note.entry.attestedBy} on ${formatDate(note.entry.attestedAt)}`;
}

/** Before → after as two badges. */
export function StatusChange(props: { readonly before: FindingStatus; readonly after: FindingStatus }) {
  return (
    <span className="status-change">
      <StatusBadge status={props.before} />
      <span aria-hidden="true"> → </span>
      <span className="visually-hidden"> now </span>
      <StatusBadge status={props.after} />
    </span>
  );
}

/**
 * A row's verdict: its status, what it was at the first check when that differs ("Fail →
 * Pass"), and the exception or attestation that reads against it ("Fail — accepted risk ...").
 */
export function FindingStatusCell(props: { readonly finding: Finding; readonly note: RegisterNote | null; readonly before?: FindingStatus | null }) {
  const { finding, note, before } = props;
  return (
    <div className="finding-status">
      {before && before !== finding.status ? <StatusChange before={before} after={finding.status} /> : <StatusBadge status={finding.status} />}
      {note ? <span className={`register-note register-note-${note.kind}`}> — {noteText(note)}</span> : null}
    </div>
  );
}

/** The step's or control's count of accepted risks and attested items, next to the status counts. */
export function RegisterCountBadges(props: { readonly counts: RegisterCounts }) {
  const { excepted, attested } = props.counts;
  return (
    <>
      {excepted > 0 ? (
        <span className="count count-excepted">
          <span className="badge badge-accepted">Accepted risk</span> {excepted}
        </span>
      ) : null}
      {attested > 0 ? (
        <span className="count count-attested">
          <span className="badge badge-attested">Attested</span> {attested}
        </span>
      ) : null}
    </>
  );
}

/**
 * What the re-checks fixed since the first check: rows now passing (those of a check that passes
 * everywhere are folded away, so they are listed here too) and failures the latest run no longer
 * lists because their check now passes (or names no failure of them). Each reads "Fail → Pass".
 */
export function ResolvedSinceBaseline(props: { readonly control: ControlInfo | null; readonly changes: ChangesPage['rows'] }) {
  const rows = props.changes.filter((c) => c.after === 'pass' && c.before !== null && c.before !== 'pass' && c.basis !== 'not-evaluated');
  if (rows.length === 0) return null;
  const checkTitle = (id: string) => props.control?.checks.find((c) => c.id === id)?.title ?? 'one check';
  return (
    <table className="table results-table resolved-table">
      <caption>Fixed since the first check ({rows.length})</caption>
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Resource</th>
          <th scope="col">Result</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={`${c.finding.check}|${c.finding.resource.type}|${c.finding.resource.id}`} className="resolved-row result-pass">
            <td>{checkTitle(c.finding.check)}</td>
            <td>
              <span className="resource-type">{c.finding.resource.type}</span> {c.finding.resource.name}
            </td>
            <td>{c.before && c.after ? <StatusChange before={c.before} after={c.after} /> : null}</td>
            <td className="result-message">
              {c.basis === 'reported' ? (
                <>
                  <span className="muted">Now: </span>
                  {c.finding.message}
                </>
              ) : (
                <>
                  <span className="muted">Was: </span>
                  {c.finding.message}{' '}
                  <span className="muted">Now: </span>
                  {c.coveredBy ?? 'the re-check reports no failure for it (fixed, or the resource is gone).'}
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

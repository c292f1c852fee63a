import { AuditEventsDetailsSchema, type AuditEventsDetails } from '../../../shared/finding-details';
import { formatDateTime, plural } from '../../format';

/** The audit-log entries of a finding's details, when it carries them (control 4.1), else null. */
export function auditEventsOf(details: unknown): AuditEventsDetails | null {
  const parsed = AuditEventsDetailsSchema.safeParse(details);
  return parsed.success ? parsed.data : null;
}

/** "Confirm each was expected": the security-relevant events themselves, one row each. */
export function AuditEventsTable(props: { readonly events: AuditEventsDetails }) {
  const { recent, securityEvents } = props.events;
  if (recent.length === 0) return <p className="hint">No security-relevant event on the newest page of the audit log.</p>;
  return (
    <div className="table-scroll">
      <table className="table audit-events">
        <caption>
          Security-relevant events ({recent.length < securityEvents ? `the newest ${recent.length} of ${securityEvents}` : plural(securityEvents, 'event')}): confirm
          each was expected
        </caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Event</th>
            <th scope="col">Target</th>
            <th scope="col">What Sentry recorded</th>
          </tr>
        </thead>
        <tbody>
          {recent.map((e, i) => (
            <tr key={`${e.date}|${e.event}|${i}`}>
              <td className="nowrap">{formatDateTime(e.date)}</td>
              <td>{e.actor ?? <span className="muted">(unknown)</span>}</td>
              <td>
                <code>{e.event}</code>
              </td>
              <td>{e.target ?? <span className="muted">—</span>}</td>
              <td>{e.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import type { ChangeRecord } from '../../shared/evidence';
import type { JournalRecord } from '../../shared/plan';
import type { ReadJournal } from '../engine/journal';
import { redactJsonValue } from './redact';

type Of<P extends JournalRecord['phase']> = Extract<JournalRecord, { phase: P }>;

/**
 * The changes of one apply (or undo) run as the package records them, from its journal: each
 * planned change with the exact request, Sentry's answer (status and the recorded fields), the
 * values read back after the write, and the outcome with its time. Changes that were never sent
 * (declined, drifted, blocked) are listed too, with a null response: an auditor sees what was
 * proposed and why it did not happen. Values pass through the redactor once more, in case a
 * response field ever held a credential.
 */
export function changeRecordsFromJournal(journal: Pick<ReadJournal, 'records'>): ChangeRecord[] {
  const run = journal.records.find((r): r is Of<'run'> => r.phase === 'run');
  if (!run) return [];
  const last = <P extends JournalRecord['phase']>(phase: P, changeId: string): Of<P> | undefined => {
    let found: Of<P> | undefined;
    for (const r of journal.records) if (r.phase === phase && 'changeId' in r && r.changeId === changeId) found = r as Of<P>;
    return found;
  };
  const out: ChangeRecord[] = [];
  for (const change of run.changes) {
    const outcome = last('outcome', change.id);
    if (!outcome) continue; // a run cut short before this change; reconciliation adds outcomes
    const response = last('response', change.id);
    const verified = last('verified', change.id);
    const record: ChangeRecord = {
      id: change.id,
      fix: change.fix,
      control: change.control,
      check: change.check,
      resource: { ...change.resource },
      field: change.field,
      description: change.description,
      before: change.before,
      after: change.after,
      request: change.request,
      response: response && response.status !== null ? { status: response.status, fields: response.fields } : null,
      recheck: verified?.observed ?? outcome.observed ?? null,
      outcome: outcome.status,
      message: outcome.message,
      ...(response?.error ? { error: { code: response.error.code, message: response.error.message } } : {}),
      at: outcome.at,
      risk: change.risk,
    };
    out.push(redactJsonValue(record));
  }
  return out;
}

import type { ChangeRecord } from '../../shared/evidence';
import type { Change } from '../../shared/plan';
import type { JournalRecord } from '../../shared/plan';
import type { ReadJournal } from '../engine/journal';
import { redactJsonValue } from '../primitives/redact';

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
      kind: run.kind,
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

/** What identifies the write an undo reverses: the same fix, check, resource and field. */
function targetKey(c: Pick<Change, 'fix' | 'check' | 'resource' | 'field'>): string {
  return JSON.stringify([c.fix, c.check, c.resource.type, c.resource.id, c.field]);
}

/**
 * The changes of a whole session (its apply and undo runs, oldest first) as one log: ids are made
 * unique (`r2.c001` for the second run's c001, the journal's own id kept in `journalId`) once there
 * is more than one run, and each applied undo is tied to the applied change it reverses, matched
 * on what it writes (fix, check, resource, field) and on its values (the undo's target state is
 * the change's starting state): the newest such change not yet undone. That change then carries
 * `undoneBy`, so the report shows it as undone and does not count it as applied.
 */
export function changeRecordsFromJournals(journals: readonly Pick<ReadJournal, 'records'>[]): ChangeRecord[] {
  const runs = journals.map((j) => changeRecordsFromJournal(j)).filter((r) => r.length > 0);
  const many = runs.length > 1;
  const out: ChangeRecord[] = [];
  const openApplied = new Map<string, ChangeRecord[]>();
  runs.forEach((records, i) => {
    for (const r of records) {
      const rec: ChangeRecord = many ? { ...r, id: `r${i + 1}.${r.id}`, journalId: r.id } : { ...r };
      if (rec.kind === 'undo' && rec.outcome === 'applied') {
        const candidates = openApplied.get(targetKey(rec)) ?? [];
        const same = JSON.stringify(rec.after);
        const byValue = candidates.findLastIndex((c) => JSON.stringify(c.before) === same);
        const k = byValue >= 0 ? byValue : candidates.length - 1;
        const target = k >= 0 ? candidates.splice(k, 1)[0]! : undefined;
        if (target) {
          target.undoneBy = rec.id;
          rec.undoes = target.id;
        }
      } else if (rec.kind !== 'undo' && rec.outcome === 'applied') {
        openApplied.set(targetKey(rec), [...(openApplied.get(targetKey(rec)) ?? []), rec]);
      }
      out.push(rec);
    }
  });
  return out;
}

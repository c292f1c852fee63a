import { readFileSync } from 'node:fs';
import type { OutcomeStatus, PlanTarget } from '../../shared/plan';
import { belongsToOrg, isCanonicalApiPath } from '../sentry/api-path';
import type { SentryClient } from '../sentry/client';
import { emptyCounts } from './apply';
import { isUnfinished, JournalWriter, listJournals, outcomesOf, readJournal, runRecordOf, type ReadJournal } from './journal';
import { readProbe, sameValues } from './probe';

export interface ReconciledChange {
  readonly changeId: string;
  readonly status: OutcomeStatus;
  readonly message: string;
}

export interface ReconcileReport {
  readonly file: string;
  /** False when the journal belongs to another organization or Sentry: left as it is. */
  readonly reconciled: boolean;
  readonly message: string;
  readonly changes: readonly ReconciledChange[];
}

function sameTarget(a: PlanTarget, b: PlanTarget): boolean {
  return a.url === b.url && a.org.id === b.org.id && a.org.slug === b.org.slug;
}

/** The bytes before a last line cut short by a crash: appended records start on a line of their own. */
function validPrefixLength(file: string): number {
  const data = readFileSync(file);
  let end = data.length;
  if (end > 0 && data[end - 1] === 0x0a) end -= 1; // the broken line's own line break
  return data.lastIndexOf(0x0a, end - 1) + 1;
}

/**
 * Closes one crashed run: every change with an intent but no outcome is re-read. The planned value
 * holds: `applied`; the value seen before sending holds: `not_applied` (a new, confirmed apply
 * may retry it); anything else, or a failed read: `uncertain`. Changes never started become
 * `not_attempted`. Nothing is sent, so nothing is applied twice.
 */
export async function reconcileJournal(client: SentryClient, journal: ReadJournal, now?: () => Date): Promise<ReconciledChange[]> {
  const run = runRecordOf(journal);
  const outcomes = outcomesOf(journal);
  const intents = new Map(journal.records.flatMap((r) => (r.phase === 'intent' ? [[r.changeId, r] as const] : [])));
  const writer = JournalWriter.append(journal.file, journal.records, {
    ...(now ? { now } : {}),
    ...(journal.truncatedTail ? { truncateTo: validPrefixLength(journal.file) } : {}),
  });
  const out: ReconciledChange[] = [];
  try {
    const counts = emptyCounts();
    for (const o of outcomes.values()) counts[o.status] += 1;
    for (const change of run.changes) {
      if (outcomes.has(change.id)) continue;
      const intent = intents.get(change.id);
      let status: OutcomeStatus;
      let message: string;
      let observed;
      if (!intent) {
        status = 'not_attempted';
        message = 'Reconciled after a crash: the run stopped before this change; nothing was sent.';
      } else {
        try {
          // A journal is a file: its probe is read only if it is a canonical path of the run's organization.
          const probePath = change.probe.path;
          if (!isCanonicalApiPath(probePath) || !belongsToOrg(probePath, run.target.org.slug)) throw new Error(`${probePath} is not an endpoint of organization ${run.target.org.slug}; not read`);
          observed = await readProbe(client, change.probe);
          if (sameValues(observed, change.after)) {
            status = 'applied';
            message = 'Reconciled after a crash: the re-read shows the planned value, so the change was applied.';
          } else if (sameValues(observed, intent.observed)) {
            status = 'not_applied';
            message = 'Reconciled after a crash: the re-read shows the value from before; the change was not applied and a new confirmed apply may retry it.';
          } else {
            status = 'uncertain';
            message = 'Reconciled after a crash: the re-read shows neither the value from before nor the planned one; check the resource before retrying.';
          }
        } catch (e) {
          status = 'uncertain';
          message = `Reconciled after a crash, but the re-read failed (${e instanceof Error ? e.message : 'unexpected failure'}); the outcome is unknown.`;
        }
      }
      writer.write({ phase: 'outcome', changeId: change.id, status, message, reconciled: true, ...(observed ? { observed } : {}) });
      counts[status] += 1;
      out.push({ changeId: change.id, status, message });
    }
    writer.write({ phase: 'end', counts, reconciled: true, fatal: 'the run was interrupted (crash); outcomes were reconciled by re-reading' });
  } finally {
    writer.close();
  }
  return out;
}

/**
 * Run before every apply and undo: each unfinished journal of this target in `dir` is reconciled.
 * Journals of another organization or Sentry are reported and left for a session on that target.
 */
export async function reconcileUnfinished(options: {
  client: SentryClient;
  journalDir: string;
  target: PlanTarget;
  now?: () => Date;
}): Promise<ReconcileReport[]> {
  const reports: ReconcileReport[] = [];
  for (const file of listJournals(options.journalDir)) {
    let journal: ReadJournal;
    try {
      journal = readJournal(file);
    } catch (e) {
      reports.push({ file, reconciled: false, message: `Unreadable journal left as is: ${e instanceof Error ? e.message : String(e)}`, changes: [] });
      continue;
    }
    if (!isUnfinished(journal)) continue;
    const run = runRecordOf(journal);
    if (!sameTarget(run.target, options.target)) {
      reports.push({
        file,
        reconciled: false,
        message: `Unfinished journal of ${run.target.org.slug} at ${run.target.url}: it will be reconciled by the next apply or undo on that organization.`,
        changes: [],
      });
      continue;
    }
    const changes = await reconcileJournal(options.client, journal, options.now);
    reports.push({ file, reconciled: true, message: `Reconciled an interrupted ${run.kind} run.`, changes });
  }
  return reports;
}

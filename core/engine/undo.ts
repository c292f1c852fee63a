import path from 'node:path';
import type { Change, PlanTarget } from '../../shared/plan';
import { ChangeSchema } from '../../shared/plan';
import type { ReadJournal } from './journal';
import { outcomesOf, runRecordOf } from './journal';
import { checkChangesBelong, PlanError } from './plan';
import { rebuildChanges, RebuildError } from './rebuild';

export interface UndoSkip {
  readonly changeId: string;
  readonly description: string;
  readonly reason: string;
}

export interface UndoPlan {
  readonly source: string;
  readonly target: PlanTarget;
  readonly writeHosts: readonly string[];
  /** The inverse of every applied change, newest first. */
  readonly changes: readonly Change[];
  /** Applied changes that cannot be undone, and why. */
  readonly skipped: readonly UndoSkip[];
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The inverse of every change a journal shows as applied (verified, or reconciled as applied
 * after a crash), in reverse order. An inverse is a change like any other: it is re-read for
 * drift (the resource must still hold what the run left), confirmed, journaled and verified.
 * If B depended on A, the inverse of A depends on the inverse of B (the old key is re-activated
 * before the rotated-in key is deleted).
 */
export function planUndo(journal: ReadJournal): UndoPlan {
  const run = runRecordOf(journal);
  const outcomes = outcomesOf(journal);
  const responses = new Map(journal.records.flatMap((r) => (r.phase === 'response' && r.ok ? [[r.changeId, r] as const] : [])));
  const applied = run.changes.filter((c) => outcomes.get(c.id)?.status === 'applied').reverse();
  const changes: Change[] = [];
  const skipped: UndoSkip[] = [];
  const inverseOf = new Map<string, string>();
  const source = `undo of ${path.basename(journal.file)}`;
  for (const c of applied) {
    if (!c.reversible || !c.inverse) {
      skipped.push({ changeId: c.id, description: c.description, reason: c.undoNote ?? 'This change cannot be undone.' });
      continue;
    }
    const inv = c.inverse;
    let created = '';
    if (inv.fromResponse !== undefined) {
      const value = responses.get(c.id)?.fields[inv.fromResponse];
      if (typeof value !== 'string' || !SAFE_ID.test(value)) {
        skipped.push({
          changeId: c.id,
          description: c.description,
          reason: `Sentry's answer (the ${inv.fromResponse} of what was created) was not recorded, so the undo cannot name it; find it in Sentry and remove it by hand.`,
        });
        continue;
      }
      created = value;
    }
    const fill = (p: string): string => p.split('{created}').join(created);
    const id = `c${String(changes.length + 1).padStart(3, '0')}`;
    // The inverse of what depended on c must run first.
    const dependsOn = run.changes
      .filter((other) => other.dependsOn.includes(c.id))
      .flatMap((other) => (inverseOf.has(other.id) ? [inverseOf.get(other.id) as string] : []));
    const risk = inv.risk === 'high' || c.risk === 'high' ? 'high' : 'low';
    const change = ChangeSchema.parse({
      id,
      fix: c.fix,
      // The forward change's intent, naming what it created: the catalog rebuilds the inverse from it.
      intent: { ...c.intent, args: { ...c.intent.args, ...(created === '' ? {} : { created }) } },
      undoes: c.id,
      control: c.control,
      check: c.check,
      resource: c.resource,
      field: c.field,
      before: inv.before,
      after: inv.after,
      request: { ...inv.request, path: fill(inv.request.path) },
      probe: { ...inv.probe, path: fill(inv.probe.path) },
      verify: `Re-read GET ${fill(inv.probe.path)} and expect ${JSON.stringify(inv.after)}.`,
      risk,
      reversible: false,
      inverse: null,
      undoNote: 'An undo is not undone in turn: make a new plan to apply the fix again.',
      dependsOn,
      confirmSlug: c.confirmSlug,
      description: `Undo ${c.id} (${c.description}): ${inv.description}`,
      notes: c.undoNote ? [c.undoNote] : [],
      record: [],
    } satisfies Change);
    inverseOf.set(c.id, id);
    changes.push(change);
  }
  checkChangesBelong(changes, run.target.org.slug);
  try {
    // A journal is a file too: an inverse that is not the catalog's is refused before anything is sent.
    rebuildChanges(changes, run.target.org.slug);
  } catch (e) {
    if (e instanceof RebuildError) throw new PlanError(e.message);
    throw e;
  }
  return { source, target: run.target, writeHosts: run.writeHosts, changes, skipped };
}

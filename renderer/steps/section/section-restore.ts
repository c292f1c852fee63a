import type { PlanRefDto, SessionChangeDto } from '../../../shared/ipc/contract';
import { OutcomeStatusSchema } from '../../../shared/plan';
import type { ApplyOutcome, AuditRun, StepResult, UndoOutcome } from '../../store/dto';
import { sectionOfControl } from '../../store/steps';
import type { SectionId } from '../../store/steps';
import type { AppliedBatch } from './section.slice';

/**
 * What a section shows again after a reload or a restart, from the session's change log
 * (`session:get`): each apply of its steps with what was undone since, and the outcome of its
 * last apply or undo ("What was applied", "What was undone"), as it was shown when it ended.
 */

function countsOf(results: readonly StepResult[]): ApplyOutcome['counts'] {
  const counts = Object.fromEntries(OutcomeStatusSchema.options.map((o) => [o, 0])) as ApplyOutcome['counts'];
  for (const r of results) counts[r.outcome] += 1;
  return counts;
}

export interface RestoredChanges {
  readonly applied: AppliedBatch[];
  readonly apply: ApplyOutcome | null;
  readonly undo: UndoOutcome | null;
}

export function restoredChanges(changes: readonly SessionChangeDto[], section: SectionId, latest: AuditRun | null): RestoredChanges {
  const applied: AppliedBatch[] = [];
  let last: { change: SessionChangeDto; results: StepResult[] } | null = null;
  for (const c of changes) {
    const steps = c.steps.filter((s) => sectionOfControl(s.control) === section);
    if (steps.length === 0) continue;
    const ids = new Set(steps.map((s) => s.id));
    const results = c.results.filter((r) => ids.has(r.stepId));
    last = { change: c, results };
    if (c.kind !== 'apply' || c.planId === null) continue;
    applied.push({ applyId: c.id, planId: c.planId, steps, results, undone: c.undone.filter((id) => ids.has(id)) });
  }
  if (!last) return { applied, apply: null, undo: null };
  const { change, results } = last;
  // The re-check that came with it: the session's latest run, when it ended before the change was
  // recorded and no change came after (a later run or change would have replaced it on screen).
  const isLast = changes.at(-1) === change;
  const recheck = isLast && latest && latest.runId !== latest.baselineRunId && Date.parse(latest.finishedAt) <= Date.parse(change.at) ? latest : null;
  const outcome = { results, counts: countsOf(results), fatal: null, recheck, recheckError: null };
  if (change.kind === 'apply' && change.planId !== null) return { applied, apply: { planId: change.planId, applyId: change.id, ...outcome }, undo: null };
  if (change.kind === 'undo' && change.undoes !== null) return { applied, apply: null, undo: { applyId: change.undoes, undoId: change.id, skipped: [], ...outcome } };
  return { applied, apply: null, undo: null };
}

/** The plan of this section main still keeps for the run on screen, if any (newest first in `refs`). */
export function planRefFor(refs: readonly PlanRefDto[], section: SectionId, runId: string | null): PlanRefDto | null {
  return (
    refs.find((r) => r.runId === runId && r.controls !== null && r.controls.length > 0 && r.controls.every((c) => sectionOfControl(c) === section)) ?? null
  );
}

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
  // As the step showed them: the outcome of its last apply, and of its last undo (each stays until the next of its kind).
  let lastApply: { change: SessionChangeDto; results: StepResult[] } | null = null;
  let lastUndo: { change: SessionChangeDto; results: StepResult[] } | null = null;
  for (const c of changes) {
    const steps = c.steps.filter((s) => sectionOfControl(s.control) === section);
    if (steps.length === 0) continue;
    const ids = new Set(steps.map((s) => s.id));
    const results = c.results.filter((r) => ids.has(r.stepId));
    if (c.kind === 'undo') {
      lastUndo = { change: c, results };
      continue;
    }
    if (c.planId === null) continue;
    lastApply = { change: c, results };
    applied.push({ applyId: c.id, planId: c.planId, steps, results, undone: c.undone.filter((id) => ids.has(id)) });
  }
  const outcome = (entry: { change: SessionChangeDto; results: StepResult[] }) => {
    const { change, results } = entry;
    // Sessions saved before the change log kept the re-check: the latest run, when it ended before
    // the change was recorded and nothing came after.
    const guessed = changes.at(-1) === change && latest && latest.runId !== latest.baselineRunId && Date.parse(latest.finishedAt) <= Date.parse(change.at) ? latest : null;
    return { results, counts: countsOf(results), fatal: change.fatal ?? null, recheck: change.recheck !== undefined ? change.recheck : guessed, recheckError: change.recheckError ?? null };
  };
  const apply = lastApply && lastApply.change.planId !== null ? { planId: lastApply.change.planId, applyId: lastApply.change.id, ...outcome(lastApply) } : null;
  const undo = lastUndo && lastUndo.change.undoes !== null ? { applyId: lastUndo.change.undoes, undoId: lastUndo.change.id, skipped: [], ...outcome(lastUndo) } : null;
  return { applied, apply, undo };
}

/** The plan of this section main still keeps for the run on screen, if any (newest first in `refs`). */
export function planRefFor(refs: readonly PlanRefDto[], section: SectionId, runId: string | null): PlanRefDto | null {
  return (
    refs.find((r) => r.runId === runId && r.controls !== null && r.controls.length > 0 && r.controls.every((c) => sectionOfControl(c) === section)) ?? null
  );
}

import type { HandlerResponseOf, ParsedRequestOf, PlanNoteGroup } from '../../shared/ipc/contract';
import { PLAN_NOTES_PAGE, PLAN_NOTE_GROUPS, PLAN_STEPS_PAGE, planNoteGroup } from '../../shared/ipc/contract';
import type { Change } from '../../shared/plan';
import { needsSlug, toFixStep, type FixStepDto } from './engine-dto';
import { appError } from './engine-errors';

/**
 * A fix plan as the wizard pages through it (issue 12): at 5,000 members one section's plan is
 * 1,280 changes and 1,466 choices, 2.7 MB in one answer. Main keeps the plan; `fix:plan` answers
 * with every step's id (to select and confirm by), the counts, and the first page of each part;
 * `fix:planPage` the rest. Pure over what the engine hands in.
 */

export type PlanAnswer = HandlerResponseOf<'fix:plan'>;
type NoteDto = PlanAnswer['notes'][number];
type OptionSets = NonNullable<PlanAnswer['optionSets']>;

/** What main keeps of a plan to page it: the notes are already shared-option DTOs. */
export interface PagedPlan {
  readonly changes: readonly Change[];
  readonly fixTitle: (fixId: string) => string;
  readonly groups: Readonly<Record<PlanNoteGroup, readonly NoteDto[]>>;
}

export function groupNotes(notes: readonly NoteDto[]): Record<PlanNoteGroup, NoteDto[]> {
  const groups: Record<PlanNoteGroup, NoteDto[]> = { roles: [], needs: [], optional: [], other: [] };
  for (const n of notes) groups[planNoteGroup(n)].push(n);
  return groups;
}

function stepsOf(plan: PagedPlan, offset: number, limit: number): FixStepDto[] {
  return plan.changes.slice(offset, offset + limit).map((c) => toFixStep(c, plan.fixTitle(c.fix)));
}

/** The first answer: header fields from the caller, the index of every step, the first page of each part. */
export function firstAnswer(
  head: Pick<PlanAnswer, 'planId' | 'runId' | 'orgSlug' | 'level' | 'createdAt' | 'paramErrors'>,
  plan: PagedPlan,
  optionSets: OptionSets,
): PlanAnswer {
  return {
    ...head,
    steps: stepsOf(plan, 0, PLAN_STEPS_PAGE),
    notes: PLAN_NOTE_GROUPS.flatMap((g) => plan.groups[g].slice(0, PLAN_NOTES_PAGE)),
    optionSets,
    stepCount: plan.changes.length,
    stepIndex: plan.changes.map((c) => ({ id: c.id, dependsOn: [...c.dependsOn], confirmSlug: needsSlug(c) })),
    noteCounts: { roles: plan.groups.roles.length, needs: plan.groups.needs.length, optional: plan.groups.optional.length, other: plan.groups.other.length },
  };
}

export function planPage(planId: string, plan: PagedPlan, request: Pick<ParsedRequestOf<'fix:planPage'>, 'part' | 'offset' | 'limit'>): HandlerResponseOf<'fix:planPage'> {
  const { part, offset, limit } = request;
  if (part === 'steps') return { planId, part, offset, total: plan.changes.length, steps: stepsOf(plan, offset, limit), notes: [] };
  const list = plan.groups[part];
  return { planId, part, offset, total: list.length, steps: [], notes: list.slice(offset, offset + limit) };
}

/**
 * The changes a confirmed apply sends: the steps named, or every step of the plan but `except`.
 * "All" carries the count the window showed, so it never applies more than the plan it saw.
 */
export function chosenChanges(
  changes: readonly Change[],
  request: { readonly stepIds?: readonly string[] | undefined; readonly allSteps?: { readonly count: number; readonly except: readonly string[] } | undefined },
): Change[] {
  const known = new Set(changes.map((c) => c.id));
  if (request.allSteps) {
    if (request.allSteps.count !== changes.length) {
      throw appError('invalid_input', `This plan has ${changes.length} changes, not ${request.allSteps.count}: plan again and review it before applying`);
    }
    const unknown = request.allSteps.except.filter((id) => !known.has(id));
    if (unknown.length > 0) throw appError('invalid_input', `The plan has no step ${unknown.slice(0, 5).join(', ')}`);
    const except = new Set(request.allSteps.except);
    const out = changes.filter((c) => !except.has(c.id));
    if (out.length === 0) throw appError('invalid_input', 'No change is selected: nothing was changed');
    return out;
  }
  const wanted = new Set(request.stepIds ?? []);
  const unknown = [...wanted].filter((id) => !known.has(id));
  if (unknown.length > 0) throw appError('invalid_input', `The plan has no step ${unknown.join(', ')}`);
  if (wanted.size === 0) throw appError('invalid_input', 'No change is selected: nothing was changed');
  return changes.filter((c) => wanted.has(c.id));
}

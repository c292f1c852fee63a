import type { PlanNoteGroup, ResponseOf } from '../../../shared/ipc/contract';
import { PLAN_NOTES_PAGE, PLAN_STEPS_PAGE, planNoteGroup } from '../../../shared/ipc/contract';
import type { FixPlan, FixStep, PlanNote } from '../../store/dto';
import type { Status } from '../../store/status';
import { withOptionSets } from './plan-options';

/**
 * A plan the window receives a page at a time (`fix:plan`, then `fix:planPage`): main sends every
 * step's id with what selecting it brings along, and the steps and notes themselves by page. A
 * plan without the paging fields (all of it in one answer) is read the same way.
 */

export type PlanPage = ResponseOf<'fix:planPage'>;
export type PlanPart = PlanPage['part'];
export type StepIndexEntry = NonNullable<FixPlan['stepIndex']>[number];

export function planPageKey(planId: string, part: PlanPart, offset: number): string {
  return `${planId}:${part}:${offset}`;
}

export function pageSizeOf(part: PlanPart): number {
  return part === 'steps' ? PLAN_STEPS_PAGE : PLAN_NOTES_PAGE;
}

/** True when main pages this plan (the first answer holds only the first page of each part). */
export function isPaged(plan: FixPlan): boolean {
  return plan.stepCount !== undefined;
}

export function stepIndexOf(plan: FixPlan): readonly StepIndexEntry[] {
  return plan.stepIndex ?? plan.steps.map((s) => ({ id: s.id, dependsOn: s.dependsOn, confirmSlug: s.confirmSlug }));
}

export function stepCountOf(plan: FixPlan): number {
  return plan.stepCount ?? plan.steps.length;
}

export function noteCountOf(plan: FixPlan, group: PlanNoteGroup): number {
  return plan.noteCounts?.[group] ?? plan.notes.filter((n) => planNoteGroup(n) === group).length;
}

type Pages = Readonly<Record<string, Status<PlanPage>>>;

export interface PageView<T> {
  readonly items: readonly T[];
  readonly total: number;
  /** The page is being asked for (or failed: `failed` says why). */
  readonly loading: boolean;
  readonly failed: string | null;
}

function pageOf<T>(pages: Pages, plan: FixPlan, part: PlanPart, offset: number, first: readonly T[], all: readonly T[], pick: (p: PlanPage) => readonly T[]): PageView<T> {
  const size = pageSizeOf(part);
  const total = part === 'steps' ? stepCountOf(plan) : noteCountOf(plan, part);
  if (!isPaged(plan)) return { items: all.slice(offset, offset + size), total, loading: false, failed: null };
  if (offset === 0) return { items: first, total, loading: false, failed: null };
  const page = pages[planPageKey(plan.planId, part, offset)];
  if (page?.status === 'done') return { items: pick(page.value), total, loading: false, failed: null };
  return { items: [], total, loading: page?.status !== 'failed', failed: page?.status === 'failed' ? page.error.message : null };
}

/** Whether the page at `offset` must be asked for: paged, not the first, never asked (a failed one waits for "Try again"). */
export function pageWanted(pages: Pages, plan: FixPlan, part: PlanPart, offset: number): boolean {
  return isPaged(plan) && offset > 0 && pages[planPageKey(plan.planId, part, offset)] === undefined;
}

/** The steps at `offset` (a page of PLAN_STEPS_PAGE). */
export function stepsPage(pages: Pages, plan: FixPlan, offset: number): PageView<FixStep> {
  return pageOf(pages, plan, 'steps', offset, plan.steps, plan.steps, (p) => p.steps);
}

/** The notes of a group at `offset` (a page of PLAN_NOTES_PAGE). */
export function notesPage(pages: Pages, plan: FixPlan, group: PlanNoteGroup, offset: number): PageView<PlanNote> {
  const inGroup = plan.notes.filter((n) => planNoteGroup(n) === group);
  return pageOf(pages, plan, group, offset, inGroup, inGroup, (p) => p.notes);
}

/** A page as the window keeps it: its notes with the plan's shared option lists put back. */
export function withPlanOptions(plan: FixPlan, page: PlanPage): PlanPage {
  if (page.notes.length === 0) return page;
  return { ...page, notes: withOptionSets({ ...plan, notes: page.notes }).notes };
}

/** Every step the window has received of this plan (the first answer and the pages), by id. */
export function knownSteps(pages: Pages, plan: FixPlan): Map<string, FixStep> {
  const out = new Map(plan.steps.map((s) => [s.id, s] as const));
  for (const [key, page] of Object.entries(pages)) {
    if (page.status === 'done' && key.startsWith(`${plan.planId}:steps:`)) for (const s of page.value.steps) out.set(s.id, s);
  }
  return out;
}

/** The offsets of the step pages that hold `ids` and were not received yet. */
export function missingStepPages(pages: Pages, plan: FixPlan, ids: readonly string[], pageSize: number): number[] {
  if (!isPaged(plan)) return [];
  const known = knownSteps(pages, plan);
  const position = new Map(stepIndexOf(plan).map((s, i) => [s.id, i] as const));
  const offsets = new Set<number>();
  for (const id of ids) {
    const at = position.get(id);
    if (!known.has(id) && at !== undefined) offsets.add(Math.floor(at / pageSize) * pageSize);
  }
  return [...offsets].sort((a, b) => a - b);
}

/** How a selection goes to `fix:apply`: by id when short, else "all but these" (no step list to fetch). */
export function selectionRequest(plan: FixPlan, selected: readonly string[]): { stepIds: string[] } | { allSteps: { count: number; except: string[] } } {
  if (selected.length <= 500) return { stepIds: [...selected] };
  const chosen = new Set(selected);
  return { allSteps: { count: stepCountOf(plan), except: stepIndexOf(plan).map((s) => s.id).filter((id) => !chosen.has(id)) } };
}

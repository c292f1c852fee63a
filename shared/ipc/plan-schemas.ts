import { z } from 'zod';
import { ProfileIdSchema } from '../profile';
import { LevelSchema } from '../levels';
import { FixStepSchema, Id, ParamErrorSchema, ParamOptionSchema, PlanNoteDtoSchema } from './dto-schemas';

/**
 * A fix plan as the wizard pages through it (issue 12): `fix:plan` answers with the plan's
 * summary (every step's id, what it depends on and whether it needs the slug, for selecting and
 * confirming without the steps themselves) and the first page of its steps and of each group of
 * notes; `fix:planPage` returns further pages. The plan itself stays in main, by id.
 */

/** Steps the first answer carries, and a window shows at once. */
export const PLAN_STEPS_PAGE = 25;
/** Notes of each group the first answer carries (the form shows 20 choices at a time). */
export const PLAN_NOTES_PAGE = 20;
/** Items one `fix:planPage` returns at most. */
export const PLAN_PAGE_LIMIT = 100;

/**
 * How the window shows a note, and so how it pages them: role changes (one table), the choices a
 * fix needs, the choices that only change a default, and the planner's notes without a choice.
 */
export const PlanNoteGroupSchema = z.enum(['roles', 'needs', 'optional', 'other']);
export type PlanNoteGroup = z.infer<typeof PlanNoteGroupSchema>;
export const PLAN_NOTE_GROUPS = PlanNoteGroupSchema.options;

export function planNoteGroup(note: { readonly kind: string; readonly param: { readonly kind: string } | null }): PlanNoteGroup {
  if (note.param === null) return 'other';
  if (note.param.kind === 'role') return 'roles';
  return note.kind === 'needs_parameter' ? 'needs' : 'optional';
}

/** What selecting and confirming need of every step, without its before/after. */
export const PlanStepIndexSchema = z.object({
  id: Id,
  dependsOn: z.array(Id),
  confirmSlug: z.boolean(),
});

export const PlanNoteCountsSchema = z.object({
  roles: z.number().int().nonnegative(),
  needs: z.number().int().nonnegative(),
  optional: z.number().int().nonnegative(),
  other: z.number().int().nonnegative(),
});

/** Fields `fix:plan` adds when it pages; absent (an older main, a test double): `steps` and `notes` are the whole plan. */
export const PlanPagingShape = {
  stepCount: z.number().int().nonnegative().optional(),
  stepIndex: z.array(PlanStepIndexSchema).optional(),
  noteCounts: PlanNoteCountsSchema.optional(),
};

export const PlanPartSchema = z.union([z.literal('steps'), PlanNoteGroupSchema]);

export const PlanPageRequestSchema = z.strictObject({
  profileId: ProfileIdSchema,
  planId: Id,
  part: PlanPartSchema,
  offset: z.number().int().nonnegative().max(1_000_000),
  limit: z.number().int().min(1).max(PLAN_PAGE_LIMIT),
});

export const PlanPageSchema = z.object({
  planId: Id,
  part: PlanPartSchema,
  offset: z.number().int().nonnegative(),
  /** Items of this part in the whole plan. */
  total: z.number().int().nonnegative(),
  /** part 'steps'. */
  steps: z.array(FixStepSchema),
  /** A note group; `param.optionSet` indexes the `optionSets` of the plan's first answer. */
  notes: z.array(PlanNoteDtoSchema),
});

/**
 * Which steps of the plan to apply: every step but `except` (the plan's whole count as the window
 * showed it, so a different plan is refused), for "Select all" on a plan of thousands of steps.
 */
export const AllStepsSelectionSchema = z.strictObject({
  count: z.number().int().nonnegative(),
  except: z.array(Id).max(100_000),
});

/** `fix:plan`'s answer, and `fix:getPlan`'s (the same plan again). */
export const FixPlanResponseSchema = z.object({
  planId: Id,
  runId: Id,
  orgSlug: z.string(),
  level: LevelSchema,
  createdAt: z.string(),
  steps: z.array(FixStepSchema),
  notes: z.array(PlanNoteDtoSchema),
  /** Option lists several notes share (`param.optionSet` indexes them). */
  optionSets: z.array(z.array(ParamOptionSchema)).optional(),
  /** Chosen values a fix refused: the plan was made without them (the rest of it stands); absent means none. */
  paramErrors: z.array(ParamErrorSchema).optional(),
  /** Paged plans: `steps` and `notes` are the first page of each part. */
  ...PlanPagingShape,
});

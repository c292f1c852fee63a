import { z } from 'zod';
import { ErrorInfoSchema } from '../errors';
import { LevelSchema } from '../levels';
import { WizardProgressSchema } from '../settings';
import { AuditRunSchema, FixStepResultSchema, FixStepSchema, Id } from './dto-schemas';

/**
 * A wizard session as the app keeps it per organization profile (core/app/session-store.ts):
 * the level, the before audit and the latest one, every apply and undo (the change log), the
 * level changes, and where the person stands. `session:get` carries it to the window, which
 * restores it exactly after a reload or a restart.
 */

const Iso = z.iso.datetime();
const StepId = WizardProgressSchema.shape.step;

/** One apply or undo of the session, with the steps it sent and what each did. */
export const SessionChangeSchema = z.object({
  kind: z.enum(['apply', 'undo']),
  /** The apply's id (`fix:apply` applyId), or the undo run's id (`fix:undo` undoId). */
  id: Id,
  /** For an undo: the apply it reverses. */
  undoes: Id.nullable(),
  /** For an apply: the plan it came from. */
  planId: Id.nullable(),
  at: Iso,
  level: LevelSchema,
  /** The steps sent (for an undo: the applied steps it reverses, by their ids). */
  steps: z.array(FixStepSchema),
  results: z.array(FixStepResultSchema),
  /** For an apply: its steps undone since. */
  undone: z.array(Id),
  /** What its answer said besides the results, so a reload shows it as it was (absent in older sessions). */
  fatal: z.string().nullable().optional(),
  recheck: AuditRunSchema.nullable().optional(),
  recheckError: ErrorInfoSchema.nullable().optional(),
});
export type SessionChangeDto = z.infer<typeof SessionChangeSchema>;

export const LevelChangeSchema = z.object({
  from: LevelSchema,
  to: LevelSchema,
  at: Iso,
});

/** An audit of the profile under way in main (a reloaded window shows its progress, then its result). */
export const RunningAuditSchema = z.object({
  runId: Id,
  level: LevelSchema,
  /** Its session's baseline (itself for a first audit). */
  baselineRunId: Id,
  startedAt: Iso,
  completed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type RunningAuditDto = z.infer<typeof RunningAuditSchema>;

/** A fix plan main still keeps (memory only): a reloaded window shows it again (`fix:getPlan`). */
export const PlanRefSchema = z.object({
  planId: Id,
  /** The run it was planned from. */
  runId: Id,
  /** The controls asked for (a section's); null: every control of the run. */
  controls: z.array(z.string()).nullable(),
  /** The choices it was made with. */
  params: z.record(z.string(), z.string()),
});
export type PlanRefDto = z.infer<typeof PlanRefSchema>;

export const SessionSchema = z.object({
  profileId: z.string(),
  level: LevelSchema,
  /** The controls asked for; null: every control of the level. */
  controls: z.array(z.string()).nullable(),
  /** The first audit of the session (the report's "before"). */
  baseline: AuditRunSchema.nullable(),
  /** The newest audit (a re-check after changes, or the baseline itself). */
  latest: AuditRunSchema.nullable(),
  changes: z.array(SessionChangeSchema),
  levelChanges: z.array(LevelChangeSchema),
  /** The step to resume at, and the steps done; null before the wizard saved a position. */
  step: StepId.nullable(),
  completed: z.array(StepId),
  startedAt: Iso,
  updatedAt: Iso,
});
export type SessionDto = z.infer<typeof SessionSchema>;

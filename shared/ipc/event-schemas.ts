import { z } from 'zod';
import { OutcomeStatusSchema } from '../plan';
import type { EventName } from './channel-names';
import { Id } from './dto-schemas';

/** The events main sends to the window (contract.ts has the channels). */
export const events = {
  'audit:progress': z.object({
    runId: Id,
    completed: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    /** The control that just finished, when one did. */
    control: z.string().nullable(),
  }),
  'fix:progress': z.object({
    /** The plan being applied; for an undo, the apply being undone. */
    planId: Id,
    /** For an undo, the id of the applied step being undone. */
    stepId: Id,
    status: z.enum(['running', 'applied', 'failed', 'skipped']),
    kind: z.enum(['apply', 'undo']),
    /** The engine's outcome once the step is done; null while running. */
    outcome: OutcomeStatusSchema.nullable(),
    /** 1-based position and count of the steps of this run. */
    index: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
} as const satisfies Record<EventName, z.ZodType>;

import { z } from 'zod';
import { FindingSchema, FindingStatusSchema } from '../finding';
import { Id, StatusCountsSchema } from './dto-schemas';

/**
 * The rows of a run as the wizard pages through them (`audit:findings`, `audit:changes`): a step
 * asks for the checks it shows and one page of each check's rows, never the whole report.
 */

/** Rows one group of `audit:findings` returns at most (a step asks for fewer). */
export const FINDINGS_PAGE_LIMIT = 100;
/** A row's `details` are sent when their JSON is at most this long (else `detailsOmitted`). */
export const ROW_DETAILS_LIMIT = 2048;

/**
 * A finding as a row: the finding with its evidence references (the reads themselves come from
 * `audit:evidence`), and its `details` only when they are small; long ones (a list of every admin)
 * stay in the report and `detailsOmitted` says so.
 */
export const FindingRowSchema = FindingSchema.extend({ detailsOmitted: z.boolean() });

/** The rows of one check: its counts over every status, and one page of the rows asked for. */
export const FindingGroupSchema = z.object({
  control: z.string(),
  check: z.string(),
  /** Every finding of the check, by status (whatever `statuses` asked for). */
  counts: StatusCountsSchema,
  /** Rows of the check with the statuses asked for (the page is `offset` .. `offset + rows.length`). */
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  /** fail, error, manual, then pass and not applicable; in the report's order within a status. */
  rows: z.array(FindingRowSchema),
});

export const FindingsRequestSchema = z.strictObject({
  runId: Id,
  /** A guide section ('1' ... '4', 'INT'), a control, or one check: the groups to return. */
  section: z.string().max(8).optional(),
  control: z.string().max(32).optional(),
  check: z.string().max(128).optional(),
  /** Only rows with these statuses (default all); a check with none of them is left out. */
  statuses: z.array(FindingStatusSchema).min(1).max(5).optional(),
  /** Within each group. */
  offset: z.number().int().nonnegative().max(1_000_000).default(0),
  limit: z.number().int().min(1).max(FINDINGS_PAGE_LIMIT),
});

export const FindingsPageSchema = z.object({
  runId: Id,
  /** One per check, in the report's order (control, then check). */
  groups: z.array(FindingGroupSchema),
});

/** A verdict that differs between the session's first run and this one. */
export const FindingChangeSchema = z.object({
  /** The latest row; the first run's when the latest no longer reports it. */
  finding: FindingRowSchema,
  /** null: new in this run. */
  before: FindingStatusSchema.nullable(),
  /** null: this run no longer reports it (the resource or the problem is gone). */
  after: FindingStatusSchema.nullable(),
});

export const ChangesRequestSchema = z.strictObject({
  runId: Id,
  offset: z.number().int().nonnegative().max(1_000_000).default(0),
  limit: z.number().int().min(1).max(FINDINGS_PAGE_LIMIT),
});

export const ChangesPageSchema = z.object({
  runId: Id,
  /** The run compared with (the session's first); equal to `runId` when there is nothing to compare. */
  baselineRunId: Id,
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  rows: z.array(FindingChangeSchema),
});

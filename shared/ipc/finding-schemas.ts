import { z } from 'zod';
import { FindingSchema, FindingStatusSchema } from '../finding';
import { Id, StatusCountsSchema } from './dto-schemas';

/**
 * The rows of a run as the wizard pages through them (`audit:findings`, `audit:changes`): a step
 * asks for the checks it shows and one page of each check's rows, never the whole report.
 */

/** Rows one group of `audit:findings` returns at most (a step asks for fewer). */
export const FINDINGS_PAGE_LIMIT = 100;
/**
 * A row's `details` are sent when their JSON is at most this long (else `detailsOmitted`): room
 * for the facts a verdict names and 4.1's table of up to 100 audit-log events, while a list of
 * every member (an inventory at 5,000 members) stays in the report.
 */
export const ROW_DETAILS_LIMIT = 64 * 1024;

/**
 * A finding as a row: the finding with its evidence references (the reads themselves come from
 * `audit:evidence`), and its `details` only when they are small; long ones (a list of every admin)
 * stay in the report and `detailsOmitted` says so.
 */
export const FindingRowSchema = FindingSchema.extend({
  detailsOmitted: z.boolean(),
  /** Its status at the session's first check, when that differs (a row that reads "Fail → Pass"); null: new since. */
  before: FindingStatusSchema.nullable().optional(),
});

/** Accepted risks (active exceptions on failures) and attested manual items among a check's findings. */
export const RegisterCountsSchema = z.object({ excepted: z.number().int().nonnegative(), attested: z.number().int().nonnegative() });

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
  /** Over every finding of the check, with the registers as they are when asked. */
  noted: RegisterCountsSchema.optional(),
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
  /** null: this run says nothing of it (`basis` not-evaluated). */
  after: FindingStatusSchema.nullable(),
  /**
   * Why (shared/finding-change.ts): `reported` by this run; `check-passes` for the whole
   * organization; `no-failure`: the check was evaluated in full and names no failure of it.
   */
  basis: z.enum(['reported', 'check-passes', 'no-failure', 'not-evaluated']),
  /** check-passes: what the organization-wide pass says. */
  coveredBy: z.string().nullable(),
});

export const ChangesRequestSchema = z.strictObject({
  runId: Id,
  /** Only the changes of this guide section ('1' ... '4', 'INT'). */
  section: z.string().max(8).optional(),
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

import { z } from 'zod';
import { AuditRunSchema, Id, SessionChangeSchema, LevelChangeSchema } from '../../shared/ipc/contract';
import { LevelSchema } from '../../shared/levels';
import { ProfileIdSchema } from '../../shared/profile';
import { AuditReportSchema } from '../../shared/report';
import { WizardProgressSchema } from '../../shared/settings';

/**
 * The files of a saved session (core/app/session-store.ts), read back through these schemas:
 * `session.json` (what the session is made of) and one `runs/<runId>.json` per audit (the report
 * and the redacted responses behind it, which the evidence view and the package need).
 */

const Iso = z.iso.datetime();
const StepId = WizardProgressSchema.shape.step;

export const SESSION_FILE_KIND = 'sentry-harden-session';
export const RUN_FILE_KIND = 'sentry-harden-session-run';

/** An apply or undo as the session keeps it: the change log entry plus its journal. */
export const StoredChangeSchema = z.strictObject({
  ...SessionChangeSchema.shape,
  profileId: ProfileIdSchema,
  baselineRunId: Id,
  controls: z.array(z.string()).nullable(),
  /** The journal of the run (core/engine/journal.ts), for undo and the package. */
  journalFile: z.string().min(1).max(4096),
});
export type StoredChange = z.infer<typeof StoredChangeSchema>;

export const SessionFileSchema = z.strictObject({
  kind: z.literal(SESSION_FILE_KIND),
  version: z.literal(1),
  profileId: ProfileIdSchema,
  level: LevelSchema,
  controls: z.array(z.string()).nullable(),
  baselineRunId: Id.nullable(),
  latestRunId: Id.nullable(),
  /** Every audit of the session, oldest first. */
  runs: z.array(Id),
  changes: z.array(StoredChangeSchema),
  levelChanges: z.array(LevelChangeSchema),
  step: StepId.nullable(),
  completed: z.array(StepId).max(64),
  startedAt: Iso,
  updatedAt: Iso,
});
export type SessionFile = z.infer<typeof SessionFileSchema>;

/** core/sentry/transport.ts ResponseRecord. */
export const ResponseRecordSchema = z.strictObject({
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE']),
  origin: z.string(),
  url: z.string(),
  status: z.number().int(),
  fetchedAt: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  body: z.string(),
  bodyRedacted: z.boolean().optional(),
  headers: z.record(z.string(), z.string()),
});

export const RunFileSchema = z.strictObject({
  kind: z.literal(RUN_FILE_KIND),
  version: z.literal(1),
  dto: AuditRunSchema,
  controls: z.array(z.string()).nullable(),
  report: AuditReportSchema,
  responses: z.array(ResponseRecordSchema),
});
export type RunFile = z.infer<typeof RunFileSchema>;

import { z } from 'zod';
import { EvidenceSchema, FindingSchema, FindingStatusSchema, ResourceRefSchema } from './finding';
import { ChangeRequestSchema, OutcomeStatusSchema, ValuesSchema } from './plan';
import { AuditReportSchema, ControlSummarySchema } from './report';
import { AttestationSchema, ExceptionEntrySchema, IntegrationRegisterEntrySchema } from './settings';

/**
 * `report.json` of an evidence package (issue 4): what the organization looked like before and
 * after a session, what changed and who ran it (the token's user and scopes, never the token). Every verdict can be recomputed offline from the
 * package's `raw/` files (redacted responses named by their SHA-256) with the same control code.
 */
export const EVIDENCE_SCHEMA_VERSION = 1;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const Iso = z.string();

/** One read with all its pages; each page's body is `raw/<sha256>.json`. */
export const PackageReadSchema = EvidenceSchema.extend({ sha256: Sha256 });
export type PackageRead = z.infer<typeof PackageReadSchema>;

/**
 * Every HTTP response of an audit in the order it was received, with what replay needs (method,
 * path and query, status, the headers kept, time) and its body by hash. Verification answers the
 * same control code from these, offline.
 */
export const RawResponseSchema = z.object({
  method: z.string(),
  url: z.string(),
  status: z.number().int(),
  fetchedAt: Iso,
  sha256: Sha256,
  headers: z.record(z.string(), z.string()),
});
export type RawResponse = z.infer<typeof RawResponseSchema>;

export const AuditSnapshotSchema = z.object({
  startedAt: Iso,
  finishedAt: Iso,
  controls: z.array(ControlSummarySchema),
  findings: z.array(FindingSchema),
  reads: z.array(PackageReadSchema),
  /** Every response the audit received (retried ones included), for offline recomputation. */
  responses: z.array(RawResponseSchema),
  counts: z.record(FindingStatusSchema, z.number().int()),
});
export type AuditSnapshot = z.infer<typeof AuditSnapshotSchema>;

/** One change of the session as the journal recorded it. */
export const ChangeRecordSchema = z.object({
  id: z.string(),
  fix: z.string(),
  control: z.string(),
  check: z.string(),
  resource: ResourceRefSchema,
  field: z.string(),
  description: z.string(),
  before: ValuesSchema,
  after: ValuesSchema,
  request: ChangeRequestSchema,
  /** Sentry's answer: status and the recorded fields (never a key secret or token). */
  response: z.object({ status: z.number().int(), fields: z.record(z.string(), z.unknown()) }).nullable(),
  /** The values read back after the write. */
  recheck: ValuesSchema.nullable(),
  outcome: OutcomeStatusSchema,
  at: Iso,
  risk: z.enum(['low', 'high']),
});
export type ChangeRecord = z.infer<typeof ChangeRecordSchema>;

/** An exception as the package carries it: the register entry and whether it counts today. */
export const PackageExceptionSchema = ExceptionEntrySchema.extend({
  active: z.boolean(),
  /** Findings of the after audit (or before, if none) it covers, by `check|type|id`. */
  covers: z.array(z.string()),
});

/**
 * The package's report.json extends the audit report (issue 2's format): its top-level
 * `findings`, `reads`, `summary` and times describe the organization as the session left it (the
 * after audit, or the only audit of a before-only package). `before` holds the audit before any
 * change, when the session made changes.
 */
export const EvidenceReportSchema = AuditReportSchema.extend({
  kind: z.literal('sentry-harden/evidence'),
  /** The control catalog the verdicts come from: its version and the SHA-256 of its canonical metadata. */
  catalog: z.object({ version: z.string(), digest: Sha256 }),
  /** Thresholds the controls used (recomputation uses the same). */
  settings: z.record(z.string(), z.unknown()),
  /** Every response of the final audit (retries included), for offline recomputation. */
  responses: z.array(RawResponseSchema),
  before: AuditSnapshotSchema.nullable(),
  changes: z.array(ChangeRecordSchema),
  exceptions: z.array(PackageExceptionSchema),
  attestations: z.array(AttestationSchema),
  integrationRegister: z.array(IntegrationRegisterEntrySchema),
  review: z.object({ nextReviewDate: Iso, intervalDays: z.number().int().positive() }),
  /** What the signature does and does not prove, stated in the report itself. */
  disclaimer: z.string(),
});
export type EvidenceReport = z.infer<typeof EvidenceReportSchema>;

export const SIGNATURE_DISCLAIMER =
  'The signature proves that these files are unchanged since they were signed and that the signer held the ' +
  'private key of the fingerprint shown. It does not prove that the data Sentry returned was true.';

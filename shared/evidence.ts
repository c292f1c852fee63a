import { z } from 'zod';
import { EvidenceGroupSchema, EvidenceSchema, FindingSchema, FindingStatusSchema, ResourceRefSchema } from './finding';
import { ChangeRequestSchema, OutcomeStatusSchema, ValuesSchema } from './plan';
import { AuditReportSchema, ControlSummarySchema } from './report';
import { AttestationSchema, ExceptionEntrySchema, IntegrationRegisterEntrySchema } from './settings';

/**
 * `report.json` of an evidence package: what the organization looked like before and
 * after a session, what changed and who ran it (the token's user and scopes, never the token). Every verdict can be recomputed offline from the
 * package's `raw/` files (redacted responses named by their SHA-256) with the same control code.
 */
export const EVIDENCE_SCHEMA_VERSION = 3;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const Iso = z.string();

/** One read with all its pages; each page's body is `raw/<sha256>.json` (`.json.gz` from layout 3). */
export const PackageReadSchema = EvidenceSchema.extend({ sha256: Sha256 });
export type PackageRead = z.infer<typeof PackageReadSchema>;

/**
 * Every HTTP response of an audit in the order it was received, with what replay needs (method,
 * path and query, status, the headers kept, time) and its body by hash. Verification answers the
 * same control code from these, offline.
 */
export const RawResponseSchema = z.object({
  method: z.string(),
  /** `/api/0/...` path and query, as requested (what replay matches on). */
  url: z.string(),
  /** The base it went to (control or region host); for people, replay does not need it. */
  origin: z.string().optional(),
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
  /** Shared sets of reads the before audit's findings cite by id (see the report's `evidenceGroups`). */
  evidenceGroups: z.array(EvidenceGroupSchema).optional(),
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
  /** The journal's sentence for the outcome ("Applied and verified.", why it drifted...). */
  message: z.string().optional(),
  /** Why the request failed, when it did (the error code and message, never a header). */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  at: Iso,
  risk: z.enum(['low', 'high']),
  /** The run it belongs to: a fix applied, or the undo of an earlier change. Absent in older packages: apply. */
  kind: z.enum(['apply', 'undo']).optional(),
  /** Its id in its own journal, when the package renumbered it (a session of several runs reuses c001). */
  journalId: z.string().optional(),
  /** For an undo: the package id of the change it reverses. */
  undoes: z.string().optional(),
  /** For an applied change: the package id of the undo that reversed it (an applied undo). */
  undoneBy: z.string().optional(),
});
export type ChangeRecord = z.infer<typeof ChangeRecordSchema>;

/** An exception as the package carries it: the register entry and whether it counts today. */
export const PackageExceptionSchema = ExceptionEntrySchema.extend({
  /** False once `expiresAt` is at or before the session's finish time: it no longer counts. */
  active: z.boolean(),
  /**
   * Failing findings of the final audit (the top-level `findings`) it covers, by
   * `check|type|id`. Empty when it is expired or matches no failing finding.
   */
  covers: z.array(z.string()),
});
export type PackageException = z.infer<typeof PackageExceptionSchema>;

const Counts = z.record(FindingStatusSchema, z.number().int());

/**
 * The final audit's counts with and without accepted exceptions. A finding keeps its real status
 * in `findings` and `summary.counts`; here the failures an active exception covers move to `accepted`.
 */
export const ExceptionSummarySchema = z.object({
  active: z.number().int(),
  expired: z.number().int(),
  /** Failing findings covered by an active exception. */
  accepted: z.number().int(),
  /** The real counts (as `summary.counts`). */
  withoutExceptions: Counts,
  /** The same with the `accepted` failures taken out of `fail`. */
  withExceptions: Counts,
});
export type ExceptionSummary = z.infer<typeof ExceptionSummarySchema>;

/** A finding whose status changed between the baseline package and this one. */
export const DriftFindingSchema = z.object({
  control: z.string(),
  check: z.string(),
  resource: ResourceRefSchema,
  /** Status in the baseline; null when the baseline had no such finding. */
  before: FindingStatusSchema.nullable(),
  /** Status now; null when this audit has no such finding. */
  after: FindingStatusSchema.nullable(),
  message: z.string(),
});
export type DriftFinding = z.infer<typeof DriftFindingSchema>;

/**
 * The words of the control catalog the verdicts were given under, as the package was made: a
 * later build renders an old package with these, not with its own (possibly reworded) catalog.
 */
export const CatalogTextsSchema = z.object({
  sections: z.array(z.object({ id: z.string(), title: z.string() })),
  controls: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      section: z.string(),
      level: z.string(),
      rationale: z.string(),
      manualSteps: z.array(z.string()),
      checks: z.array(z.object({ id: z.string(), title: z.string(), level: z.string() })),
    }),
  ),
});
export type CatalogTexts = z.infer<typeof CatalogTextsSchema>;

/** `--baseline PREVIOUS_PACKAGE`: what changed since the last review. */
export const DriftSchema = z.object({
  baseline: z.object({
    startedAt: Iso,
    finishedAt: Iso,
    level: z.string(),
    /** SHA-256 of the baseline's report.json. */
    reportSha256: Sha256,
    /** Fingerprint of the key that signed the baseline (its signature was checked). */
    signer: z.string().nullable(),
  }),
  /** Failing now; the baseline had no such finding or could not tell (error, manual, n/a). */
  newlyFailing: z.array(DriftFindingSchema),
  /** Passed in the baseline, failing now. */
  regressed: z.array(DriftFindingSchema),
  /**
   * Failed in the baseline; passes now, or its check ran and reports no failure for the resource
   * (`after` null: controls report a clean result once for the organization, not per resource).
   */
  fixed: z.array(DriftFindingSchema),
  /** Failed in the baseline; its check was not evaluated now (another level, an error, manual). */
  noLongerReported: z.array(DriftFindingSchema),
  /** Integrations, apps and installations inventoried now that the baseline did not list. */
  newIntegrations: z.array(z.object({ resource: ResourceRefSchema, scopes: z.array(z.string()) })),
  /** Scopes an integration (or the session's token) holds now that it did not hold in the baseline. */
  newScopes: z.array(z.object({ resource: ResourceRefSchema, scopes: z.array(z.string()) })),
  /** Exceptions that counted in the baseline and have expired since. */
  expiredExceptions: z.array(z.object({ id: z.string(), control: z.string(), expiresAt: Iso.optional(), reason: z.string() })),
  /** Caveats of the comparison (another level, another catalog). */
  notes: z.array(z.string()),
});
export type Drift = z.infer<typeof DriftSchema>;

/**
 * The package's report.json extends the audit report (shared/report.ts): its top-level
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
  /** The whole session in UTC: from the start of the first audit to the end of the last. */
  session: z.object({ startedAt: Iso, finishedAt: Iso }).optional(),
  /** The key the package is signed with (also in signing-key.pub.pem / .fingerprint.txt). */
  signer: z.object({ keyid: Sha256, fingerprint: z.string() }).optional(),
  /** Present when no signing key was available: the package is complete but unsigned (integrity only, by manifest.json). */
  unsigned: z.object({ reason: z.string() }).optional(),
  /** Counts with and without accepted exceptions (see `exceptions`). */
  exceptionSummary: ExceptionSummarySchema.optional(),
  /** Present when the package was made with `--baseline`. */
  drift: DriftSchema.nullable().optional(),
  /** The catalog's texts (titles, rationale, manual steps); absent in packages made before they were recorded. */
  catalogTexts: CatalogTextsSchema.optional(),
  /** True for the built-in demo organization: simulated data, not a real Sentry. */
  demo: z.boolean().optional(),
  /**
   * The package layout (EVIDENCE_SCHEMA_VERSION); absent in packages made before it was recorded
   * (layout 1). Layout 2: findings.csv carries evidence by hash only, without the repeated
   * remediation and request texts (issue 10), so that a package grows with the organization.
   * Layout 3: raw/ bodies are gzip-compressed (`raw/<sha256>.json.gz`, named by the SHA-256 of
   * the uncompressed body), and in the file a finding cites an evidence group by its id alone
   * (readers expand it from `evidenceGroups`, core/evidence/report-file.ts).
   * Verification re-renders a package's files in the package's own layout.
   */
  evidenceSchemaVersion: z.number().int().min(1).max(EVIDENCE_SCHEMA_VERSION).optional(),
});
export type EvidenceReport = z.infer<typeof EvidenceReportSchema>;

export const SIGNATURE_DISCLAIMER =
  'The signature proves that these files are unchanged since they were signed and that the signer held the ' +
  'private key of the fingerprint shown. It does not prove that the data Sentry returned was true.';

import { z } from 'zod';
import { EvidenceGroupSchema, EvidenceSchema, FindingSchema, FindingStatusSchema } from './finding';
import { LevelSchema } from './levels';

export const REPORT_SCHEMA_VERSION = 1;

export const TokenSummarySchema = z.object({
  kind: z.enum(['user', 'org_auth_token', 'internal_integration', 'unknown']),
  scopes: z.array(z.string()),
  user: z
    .object({ id: z.string(), email: z.string().nullable(), has2fa: z.boolean().nullable() })
    .nullable(),
});
export type TokenSummary = z.infer<typeof TokenSummarySchema>;

export const ControlSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  section: z.string(),
  level: LevelSchema,
  mappings: z.object({ cis: z.array(z.string()), nist: z.array(z.string()), soc2: z.array(z.string()) }),
  counts: z.record(FindingStatusSchema, z.number().int()),
});
export type ControlSummary = z.infer<typeof ControlSummarySchema>;

/** `report.json` of `sentry-harden audit`. Never carries the token, only what it can do. */
export const AuditReportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.object({ name: z.string(), version: z.string() }),
  target: z.object({
    url: z.string(),
    regionUrl: z.string(),
    org: z.object({ slug: z.string(), id: z.string(), name: z.string() }),
  }),
  level: LevelSchema,
  startedAt: z.string(),
  finishedAt: z.string(),
  token: TokenSummarySchema,
  controls: z.array(ControlSummarySchema),
  findings: z.array(FindingSchema),
  /** Every read behind a finding, once; findings point here by `sha256`. */
  reads: z.array(EvidenceSchema.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
  /**
   * Sets of reads shared by many findings, once; findings cite them by `id` (`evidenceGroups[].id`).
   * Absent in reports made before groups existed (their findings list every read themselves).
   */
  evidenceGroups: z.array(EvidenceGroupSchema).optional(),
  summary: z.object({
    counts: z.record(FindingStatusSchema, z.number().int()),
    requests: z.number().int(),
    rateLimited: z.number().int(),
  }),
});
export type AuditReport = z.infer<typeof AuditReportSchema>;

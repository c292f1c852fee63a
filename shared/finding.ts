import { z } from 'zod';
import { LevelSchema } from './levels';

/**
 * A verdict. `pass` is only ever given on complete evidence; anything that could not be
 * evaluated is `error` (we tried and failed) or `manual` (the API cannot show it).
 */
export const FindingStatusSchema = z.enum(['pass', 'fail', 'error', 'manual', 'not_applicable']);
export type FindingStatus = z.infer<typeof FindingStatusSchema>;
export const FINDING_STATUSES = FindingStatusSchema.options;

export const ResourceTypeSchema = z.enum([
  'organization',
  'project',
  'team',
  'member',
  'key',
  'integration',
  'sentry_app',
  'token',
  'relay',
]);
export type ResourceType = z.infer<typeof ResourceTypeSchema>;

/** A key's id is its public key, a project's its slug, a member's its member id, a team's its slug. */
export const ResourceRefSchema = z.object({
  type: ResourceTypeSchema,
  id: z.string(),
  name: z.string(),
});
export type ResourceRef = z.infer<typeof ResourceRefSchema>;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** One page (one HTTP response) behind a verdict. */
export const EvidencePageSchema = z.object({
  url: z.string(),
  status: z.number().int(),
  sha256: Sha256Hex,
  items: z.number().int().nonnegative(),
  fetchedAt: z.string(),
});
export type EvidencePage = z.infer<typeof EvidencePageSchema>;

/**
 * One item of a list that did not match its schema (Sentry varies per item: a null where others
 * have a string, a field an older server lacks). The rest of the list is still evaluated; checks
 * about this item are `error`, and no claim that covers it can pass. `index` counts from 0 over
 * the whole read (all pages); `id` is the item's id, slug or key when it has a readable one.
 */
export const InvalidItemSchema = z.object({
  index: z.number().int().nonnegative(),
  id: z.string().optional(),
  field: z.string(),
  message: z.string(),
});
export type InvalidItem = z.infer<typeof InvalidItemSchema>;

/**
 * One logical read (possibly several pages), with every response it was made of. `complete` is
 * true only when the last page said there were no more results; a check never passes on
 * incomplete reads. Stored once per audit (report `reads`); findings point at it.
 */
export const EvidenceSchema = z.object({
  method: z.string(),
  endpoint: z.string(),
  query: z.record(z.string(), z.string()),
  pages: z.number().int().nonnegative(),
  items: z.number().int().nonnegative(),
  complete: z.boolean(),
  fetchedAt: z.string(),
  responses: z.array(EvidencePageSchema),
  /** Items of the list that did not validate (absent when every item did). */
  invalid: z.array(InvalidItemSchema).optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

/**
 * What a finding carries of a read: enough to judge it at a glance (endpoint, query, pages,
 * items, completeness, time) and `sha256`, which names the read in the report's `reads`: the
 * SHA-256 of the raw response for a one-page read, else of the pages' hashes joined by newlines.
 */
export const EvidenceRefSchema = EvidenceSchema.omit({ responses: true }).extend({ sha256: Sha256Hex });
export type EvidenceRef = z.infer<typeof EvidenceRefSchema>;

/**
 * A set of reads many findings rest on together (every team roster behind "member in no team",
 * every project detail behind an organization-wide verdict), stored once in the report's
 * `evidenceGroups` and cited by id, so a report grows with the organization, not with
 * findings x reads. `id` is the SHA-256 of `evidence-group` and the reads' digests, each on its own
 * line (`evidence-group\n<sha>\n<sha>...`), so it never equals a read's digest; every read is also in the
 * report's `reads`.
 */
export const EvidenceGroupSchema = z.object({
  id: Sha256Hex,
  /** What the reads are, for a person ("every team roster"). */
  label: z.string(),
  /** The reads' digests (`reads[].sha256`), in the order they were made. */
  reads: z.array(Sha256Hex),
  /** True only when every read of the group is complete. */
  complete: z.boolean(),
});
export type EvidenceGroup = z.infer<typeof EvidenceGroupSchema>;

/** What a finding carries of a group: its id, label, size and completeness (the reads stay in the group). */
export const EvidenceGroupRefSchema = EvidenceGroupSchema.omit({ reads: true }).extend({ size: z.number().int().nonnegative() });
export type EvidenceGroupRef = z.infer<typeof EvidenceGroupRefSchema>;

export const FindingSchema = z.object({
  control: z.string(),
  check: z.string(),
  level: LevelSchema,
  status: FindingStatusSchema,
  resource: ResourceRefSchema,
  message: z.string(),
  /** The single reads the verdict rests on, each once. */
  evidence: z.array(EvidenceRefSchema),
  /** Shared sets of reads it also rests on (see EvidenceGroupSchema); absent when none. */
  evidenceGroups: z.array(EvidenceGroupRefSchema).optional(),
  /** For `error`: the machine-readable cause (an ErrorCode). */
  errorCode: z.string().optional(),
  /** Facts behind the verdict a person may want to see (counts, thresholds, values). */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

export type StatusCounts = Record<FindingStatus, number>;

export function countByStatus(findings: readonly Pick<Finding, 'status'>[]): StatusCounts {
  const counts: StatusCounts = { pass: 0, fail: 0, error: 0, manual: 0, not_applicable: 0 };
  for (const f of findings) counts[f.status] += 1;
  return counts;
}

/**
 * Every read digest a finding rests on: its own reads and those of its groups (looked up in the
 * report's `evidenceGroups`). A group id with no entry yields nothing; verify reports it.
 */
export function findingReadDigests(f: Pick<Finding, 'evidence' | 'evidenceGroups'>, groups: ReadonlyMap<string, Pick<EvidenceGroup, 'reads'>>): string[] {
  const out = f.evidence.map((e) => e.sha256);
  for (const g of f.evidenceGroups ?? []) out.push(...(groups.get(g.id)?.reads ?? []));
  return out;
}

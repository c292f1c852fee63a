import { z } from 'zod';
import { ResourceRefSchema } from './finding';
import { LevelSchema } from './levels';

/**
 * Plans and journals of `sentry-harden plan / apply / undo`, shared by the CLI and the UI. Every
 * object is strict: a field nobody declared (a token, say) makes a plan invalid rather than being
 * carried along. The token is never part of either; the client adds it at send time.
 */

export const PLAN_SCHEMA_VERSION = 2;

const JsonValue = z.json();
/** Named values read from one resource, e.g. `{ isActive: true, browserSdkVersion: "latest" }`. */
export const ValuesSchema = z.record(z.string().min(1).max(100), JsonValue);
export type Values = z.infer<typeof ValuesSchema>;

/** An API path of ours: `/api/0/...`, slash-terminated, no query, no dot segments. */
export const ApiPathSchema = z
  .string()
  .max(1000)
  .regex(/^\/api\/0\/([A-Za-z0-9%._~:@!$&'()*+,;=-]+\/)+$/, 'an API path like /api/0/organizations/{org}/')
  .refine((p) => !p.split('/').some((s) => s === '.' || s === '..'), 'no dot segments');

/** JSON pointer (RFC 6901) into a response; '' is the whole response. */
const PointerSchema = z.string().max(300).regex(/^(\/[^/]*)*$/, 'a JSON pointer such as /require2FA');

/** How one named value is taken from the response of a probe. */
export const ExtractSchema = z.union([
  /** The value at a pointer; missing is `null`. */
  z.strictObject({ pointer: PointerSchema }),
  /** Whether the array at `pointer` holds an element equal to `value` (key '') or whose `key` equals it. */
  z.strictObject({ contains: z.strictObject({ pointer: PointerSchema, key: z.string().max(100), value: z.string().max(200) }) }),
  /** `field` of the element of the array at `pointer` whose `key` equals `value`; `null` if none. */
  z.strictObject({
    item: z.strictObject({ pointer: PointerSchema, key: z.string().max(100), value: z.string().max(200), field: z.string().max(100) }),
  }),
  /** How many elements of the array at `pointer` are not in `known` (by `idKey`) and match `where`. */
  z.strictObject({
    countNew: z.strictObject({
      pointer: PointerSchema,
      idKey: z.string().max(100),
      known: z.array(z.string().max(200)).max(10_000),
      where: z.record(z.string().max(100), JsonValue),
    }),
  }),
  /** true when the resource answers 200, false on 404. */
  z.strictObject({ exists: z.literal(true) }),
]);
export type Extract = z.infer<typeof ExtractSchema>;

/** A GET that shows the values a change is about: run before (drift) and after (verification). */
export const ProbeSchema = z.strictObject({
  path: ApiPathSchema,
  /** Read every page (the extracts then see the array of all items). */
  paginate: z.boolean(),
  values: z.record(z.string().min(1).max(100), ExtractSchema).refine((v) => Object.keys(v).length > 0, 'a probe reads at least one value'),
});
export type Probe = z.infer<typeof ProbeSchema>;

export const WriteMethodSchema = z.enum(['POST', 'PUT', 'DELETE']);
export type WriteMethod = z.infer<typeof WriteMethodSchema>;

/** The exact request: method, host role, path and JSON body (the read-merge result). */
export const ChangeRequestSchema = z.strictObject({
  method: WriteMethodSchema,
  /** Org and project endpoints go to the org's region; control-silo endpoints to the control host. */
  host: z.enum(['region', 'control']),
  path: ApiPathSchema,
  body: JsonValue.optional(),
});
export type ChangeRequest = z.infer<typeof ChangeRequestSchema>;

/**
 * How to undo a change once applied. `fromResponse` names a field of the recorded response (e.g.
 * the id of a created key) that replaces the literal `{created}` in the paths.
 */
export const InverseSchema = z.strictObject({
  request: z.strictObject({
    method: WriteMethodSchema,
    host: z.enum(['region', 'control']),
    path: z.string().max(1000),
    body: JsonValue.optional(),
  }),
  probe: z.strictObject({ path: z.string().max(1000), paginate: z.boolean(), values: ProbeSchema.shape.values }),
  before: ValuesSchema,
  after: ValuesSchema,
  risk: z.enum(['low', 'high']),
  description: z.string().max(2000),
  fromResponse: z.string().max(100).optional(),
});
export type Inverse = z.infer<typeof InverseSchema>;

export const ChangeIdSchema = z.string().regex(/^c\d{3,5}$/, 'a change id like c001');

/** The operations of the fix catalog (core/fixes/operations.ts): apply builds each request from one. */
export const OPERATIONS = [
  'org-fields',
  'project-fields',
  'key-fields',
  'member-fields',
  'project-team-add',
  'project-team-remove',
  'member-team-add',
  'member-team-remove',
  'invite-delete',
  'filter-enable',
  'ip-blocklist',
  'key-create',
] as const;
export const OperationSchema = z.enum(OPERATIONS);
export type Operation = z.infer<typeof OperationSchema>;

/** A path parameter as a plain value (slug, id): never encoded, never a dot segment. */
export const PathArgSchema = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'a slug or id (letters, digits, _ . -), not a path');

/**
 * What a change is, as data: apply rebuilds the request, probe and inverse from this, the
 * change's before/after values and the fix catalog, never from request fields of the file.
 * `args` name the resource in the operation's path template; `data` is what the operation needs
 * beyond before/after (key-create: the new key's name and rate limit, the ids of existing keys).
 */
export const ChangeIntentSchema = z.strictObject({
  op: OperationSchema,
  args: z.strictObject({
    project: PathArgSchema.optional(),
    key: PathArgSchema.optional(),
    member: PathArgSchema.optional(),
    team: PathArgSchema.optional(),
    filter: PathArgSchema.optional(),
    /** Undo of key-create: the id Sentry gave the key it created (from the journaled response). */
    created: PathArgSchema.optional(),
  }),
  data: z.record(z.string().max(100), JsonValue).optional(),
});
export type ChangeIntent = z.infer<typeof ChangeIntentSchema>;

/**
 * A choice a person makes for a fix, as data (the CLI renders `--set key=VALUE` from it, the
 * wizard a form control). `key` is the exact parameter key (`addTeam.backend`).
 */
export const PlanParamKindSchema = z.enum(['team', 'member', 'role', 'rate_limit', 'client_keys', 'domains', 'cidr_ranges', 'scope', 'project']);
/** One value to pick, in words: a client key's name and project, a member's name and email. */
export const PlanParamOptionSchema = z.strictObject({
  value: z.string().max(200),
  label: z.string().max(500),
  detail: z.string().max(500).optional(),
});
export type PlanParamOption = z.infer<typeof PlanParamOptionSchema>;
export const PlanParamSchema = z.strictObject({
  key: z.string().min(1).max(200),
  kind: PlanParamKindSchema,
  label: z.string().max(500),
  /** Values to pick from, when known (team slugs, roles, public keys). */
  choices: z.array(z.string().max(200)).max(100_000).optional(),
  /** Several values (comma-separated on the command line). */
  multiple: z.boolean().optional(),
  /** rate_limit: bounds of the count; other kinds: of the number of values. */
  min: z.number().int().optional(),
  max: z.number().int().optional(),
  /** A regular expression (JavaScript syntax) each value must match. */
  pattern: z.string().max(500).optional(),
  /** The choices in words, in the order of `choices` (a front shows these instead of raw values). */
  options: z.array(PlanParamOptionSchema).max(100_000).optional(),
  /** What the fix uses when nothing is chosen (rate_limit: the per-platform default, `300/60`). */
  suggested: z.string().max(200).optional(),
  /** rate_limit: the longest window, in seconds, the server accepts. */
  maxWindow: z.number().int().optional(),
});
export type PlanParam = z.infer<typeof PlanParamSchema>;

export const ChangeSchema = z.strictObject({
  id: ChangeIdSchema,
  /** The fix that proposed it (core/fixes). */
  fix: z.string().min(1).max(100),
  /** What the change does, as data; request, probe, inverse and risk are rebuilt from it. */
  intent: ChangeIntentSchema,
  /** An undo step: the id of the change (of the journaled run) it reverses. */
  undoes: ChangeIdSchema.optional(),
  control: z.string().min(1).max(20),
  check: z.string().min(1).max(100),
  resource: ResourceRefSchema,
  /** What changes, for people: `openMembership`, `rateLimit`, `team platform`. */
  field: z.string().min(1).max(200),
  before: ValuesSchema,
  after: ValuesSchema,
  request: ChangeRequestSchema,
  probe: ProbeSchema,
  /** What verification re-reads and which value must hold, for people. */
  verify: z.string().max(2000),
  risk: z.enum(['low', 'high']),
  reversible: z.boolean(),
  inverse: InverseSchema.nullable(),
  /** Why it cannot be undone (when not reversible) or what undo does not restore. */
  undoNote: z.string().max(2000).optional(),
  /** Changes that must have been applied first (e.g. the new key before the old one is disabled). */
  dependsOn: z.array(ChangeIdSchema).max(20),
  /** Confirmation requires typing the organization slug (interactive). */
  confirmSlug: z.boolean(),
  description: z.string().min(1).max(2000),
  /** What a person should know before confirming (e.g. members 2FA enforcement detaches); lists are summarised. */
  notes: z.array(z.string().max(2000)).max(50),
  /** The full list of resources a note summarises (e.g. every member 2FA enforcement detaches). */
  affected: z.array(ResourceRefSchema).max(200_000).optional(),
  /** Response fields kept in the journal (dotted paths); secrets are never listed. */
  record: z.array(z.string().max(100)).max(20),
});
export type Change = z.infer<typeof ChangeSchema>;

/** Something a fix did not propose, and why (needs a parameter, refused by a pre-flight check). */
export const PlanNoteSchema = z.strictObject({
  fix: z.string(),
  control: z.string(),
  check: z.string().optional(),
  resource: ResourceRefSchema.optional(),
  kind: z.enum(['needs_parameter', 'refused', 'info']),
  /** For people; a list of resources is summarised beyond a handful, the full list is `items`. */
  message: z.string().max(4000),
  /** needs_parameter: the choice that would let the fix propose a change; info: a choice that would change what it proposes. */
  param: PlanParamSchema.optional(),
  /** Every resource the message is about, as data. */
  items: z.array(ResourceRefSchema).max(200_000).optional(),
});
export type PlanNote = z.infer<typeof PlanNoteSchema>;

export const PlanTargetSchema = z.strictObject({
  /** The base URL the user gave. */
  url: z.string().max(2048),
  regionUrl: z.string().max(2048),
  controlUrl: z.string().max(2048),
  org: z.strictObject({ slug: z.string(), id: z.string(), name: z.string() }),
});
export type PlanTarget = z.infer<typeof PlanTargetSchema>;

export const PlanSchema = z
  .strictObject({
    schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
    kind: z.literal('sentry-harden-plan'),
    tool: z.strictObject({ name: z.string(), version: z.string() }),
    createdAt: z.string(),
    target: PlanTargetSchema,
    /** The only origins apply may write to: the org's region and the control host. */
    writeHosts: z.array(z.string().max(2048)).min(1).max(4),
    level: LevelSchema,
    only: z.array(z.string()).nullable(),
    params: z.record(z.string().max(200), z.string().max(20_000)),
    // Bounded for sanity, not for size: a 10,000-project organization has tens of thousands of notes.
    changes: z.array(ChangeSchema).max(200_000),
    notes: z.array(PlanNoteSchema).max(200_000),
    /** sha256 of the canonical JSON of target, writeHosts and changes (names the plan in journals). */
    digest: z.string().regex(/^[0-9a-f]{64}$/),
    /**
     * Ed25519 over DSSE's PAE of the canonical JSON of every other field (core/engine/plan-signature.ts),
     * with the evidence signing key; absent when no key was available.
     */
    signature: z
      .strictObject({
        keyid: z.string().regex(/^[0-9a-f]{64}$/),
        fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/),
        sig: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'a base64 Ed25519 signature'),
      })
      .optional(),
  })
  .superRefine((plan, ctx) => {
    const ids = new Set<string>();
    plan.changes.forEach((c, i) => {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['changes', i, 'id'], message: `duplicate change id ${c.id}` });
      for (const d of c.dependsOn) {
        if (!ids.has(d)) ctx.addIssue({ code: 'custom', path: ['changes', i, 'dependsOn'], message: `${c.id} depends on ${d}, which is not an earlier change` });
      }
      ids.add(c.id);
      if (c.reversible !== (c.inverse !== null)) {
        ctx.addIssue({ code: 'custom', path: ['changes', i, 'inverse'], message: `${c.id}: reversible and inverse disagree` });
      }
    });
  });
export type Plan = z.infer<typeof PlanSchema>;

// ---- journal ---------------------------------------------------------------------------------

export const OutcomeStatusSchema = z.enum([
  'applied', // sent, re-read, the planned value holds
  'already_applied', // the resource already had the planned value: nothing sent
  'drifted', // the resource changed since the plan: nothing sent
  'not_effective', // Sentry accepted the write but the re-read shows the old (or another) value
  'failed', // Sentry refused or the request failed
  'declined', // not confirmed
  'blocked', // a change it depends on was not applied
  'not_attempted', // the run stopped (fatal error, crash) before it
  'not_applied', // reconciled after a crash: the before value still holds; a new apply may retry
  'uncertain', // reconciled after a crash: neither value holds; look before retrying
]);
export type OutcomeStatus = z.infer<typeof OutcomeStatusSchema>;

const Base = {
  v: z.literal(1),
  runId: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/),
  seq: z.number().int().nonnegative(),
  at: z.string(),
};

export const JournalRecordSchema = z.discriminatedUnion('phase', [
  z.strictObject({
    ...Base,
    phase: z.literal('run'),
    kind: z.enum(['apply', 'undo']),
    /** The plan's digest, or the journal file an undo reverses. */
    source: z.string().max(4096),
    target: PlanTargetSchema,
    writeHosts: z.array(z.string()),
    changes: z.array(ChangeSchema),
  }),
  z.strictObject({ ...Base, phase: z.literal('intent'), changeId: ChangeIdSchema, observed: ValuesSchema, after: ValuesSchema }),
  z.strictObject({
    ...Base,
    phase: z.literal('response'),
    changeId: ChangeIdSchema,
    status: z.number().int().nullable(),
    ok: z.boolean(),
    fields: z.record(z.string(), JsonValue),
    error: z.strictObject({ code: z.string(), message: z.string() }).optional(),
  }),
  z.strictObject({ ...Base, phase: z.literal('verified'), changeId: ChangeIdSchema, observed: ValuesSchema, holds: z.boolean() }),
  z.strictObject({
    ...Base,
    phase: z.literal('outcome'),
    changeId: ChangeIdSchema,
    status: OutcomeStatusSchema,
    message: z.string().max(4000),
    reconciled: z.boolean().optional(),
    observed: ValuesSchema.optional(),
  }),
  z.strictObject({
    ...Base,
    phase: z.literal('end'),
    counts: z.record(OutcomeStatusSchema, z.number().int()),
    fatal: z.string().max(4000).optional(),
    reconciled: z.boolean().optional(),
  }),
]);
export type JournalRecord = z.infer<typeof JournalRecordSchema>;

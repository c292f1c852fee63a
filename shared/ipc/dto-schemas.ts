import { z } from 'zod';
import { ErrorInfoSchema } from '../errors';
import { FINDING_STATUSES, ResourceRefSchema } from '../finding';
import { LevelSchema } from '../levels';
import { ChangeSchema, OutcomeStatusSchema, PlanParamKindSchema } from '../plan';
import { ProfileIdSchema } from '../profile';

/**
 * The values the IPC contract (contract.ts) carries: audit runs, plan steps, results, scopes,
 * evidence. Responses are plain objects, so unknown fields are stripped when main checks its answer.
 */

/** An id the window sends or receives (runs, plans, applies, steps). */
export const Id = z.string().min(1).max(128);
/** A request without fields. */
export const NoArgs = z.strictObject({});

/** Printable ASCII without spaces; surrounding whitespace from a paste is trimmed first. */
export const TokenInputSchema = z
  .string()
  .trim()
  .min(1)
  .max(8192)
  .regex(/^[\x21-\x7e]+$/, 'a token has no spaces or control characters');


export const OrgSummarySchema = z.object({ id: z.string(), slug: z.string(), name: z.string() });

export const StatusCountsSchema = z.object(
  Object.fromEntries(FINDING_STATUSES.map((s) => [s, z.number().int().nonnegative()])) as Record<
    (typeof FINDING_STATUSES)[number],
    z.ZodNumber
  >,
);

/** A control of the catalog as the wizard shows it (metadata only; checks run in main). */
export const ControlInfoSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** '1' ... '4' (the guide's sections) or 'INT' (the integrations review). */
  section: z.string(),
  level: LevelSchema,
  /** Why it matters, two or three sentences. */
  rationale: z.string(),
  /** ClickOps: what to check or change by hand in Sentry's web UI. */
  manualSteps: z.array(z.string()),
  /** Scopes the checks read with: any one of each group suffices. */
  requiredScopes: z.array(z.array(z.string())),
  mappings: z.object({ cis: z.array(z.string()), nist: z.array(z.string()), soc2: z.array(z.string()) }),
  /** `fields`: what of a response item the check's verdict reads (dot paths), highlighted in the evidence view. */
  checks: z.array(z.object({ id: z.string(), title: z.string(), level: LevelSchema, fields: z.array(z.string()).optional() })),
  /** Fixes that act on this control's checks, with the parameters they may need. */
  fixes: z.array(
    z.object({ id: z.string(), title: z.string(), params: z.array(z.object({ key: z.string(), description: z.string() })) }),
  ),
});

export const ControlSummaryDtoSchema = z.object({
  id: z.string(),
  title: z.string(),
  section: z.string(),
  level: LevelSchema,
  counts: StatusCountsSchema,
});

/** One check of a run: how many findings of each status it gave (the wizard groups rows by these). */
export const CheckSummaryDtoSchema = z.object({
  control: z.string(),
  check: z.string(),
  counts: StatusCountsSchema,
});

/**
 * What one audit found, as summaries: `audit:run`, `audit:get` and the re-check after
 * `fix:apply`/`fix:undo`. The findings themselves stay in main; the wizard asks for the rows it
 * shows with `audit:findings` (paged, per check) and for what changed with `audit:changes`, so a
 * step never receives the whole report (issue 12: 63 MB at 5,000 members before).
 */
export const AuditRunSchema = z.object({
  runId: Id,
  profileId: ProfileIdSchema,
  orgSlug: z.string(),
  level: LevelSchema,
  startedAt: z.string(),
  finishedAt: z.string(),
  counts: StatusCountsSchema,
  /** Per control, in the guide's order (only the controls that ran). */
  controls: z.array(ControlSummaryDtoSchema),
  /** Per check that gave findings, in the order of the report (control, then check). */
  checks: z.array(CheckSummaryDtoSchema),
  /**
   * The first audit of the session this run belongs to (the "before" of the report); equal to
   * `runId` for a first audit. A re-check after fixes carries the baseline of the audit the plan came from.
   */
  baselineRunId: Id,
  /** Requests the audit sent, and how many Sentry rate-limited. */
  requests: z.number().int().nonnegative(),
  rateLimited: z.number().int().nonnegative(),
});

/**
 * The exact request a step sends: method, host role ('region' for org and project endpoints,
 * 'control' for the control host), API path and JSON body. The plan's ChangeRequestSchema, with
 * unknown fields stripped like every response.
 */
export const ChangeRequestDtoSchema = z.object(ChangeSchema.shape.request.shape);

export const RiskSchema = ChangeSchema.shape.risk;

/**
 * A plan change as the wizard previews it: the fields of shared/plan.ts ChangeSchema it shows as
 * they are (what it touches, before/after values, risk, `confirmSlug` — true when confirming
 * needs the organization slug typed: every high-risk step and the steps a fix marks so —, what
 * verification re-reads, the notes), plus what the engine adds.
 */
export const FixStepSchema = z.object({
  ...ChangeSchema.pick({
    control: true,
    check: true,
    resource: true,
    description: true,
    reversible: true,
    fix: true,
    field: true,
    before: true,
    after: true,
    risk: true,
    confirmSlug: true,
    verify: true,
    notes: true,
  }).shape,
  // Step ids are the plan's change ids; the contract only asks for an id.
  id: Id,
  /** Steps that must be applied first (ids of the same plan). */
  dependsOn: z.array(Id),
  /** The fix's title (e.g. "Key rate limits"). */
  title: z.string(),
  /** What the step would change, field by field. */
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  requiredScopes: z.array(z.string()),
  request: ChangeRequestDtoSchema,
  /** Why it cannot be undone, or what undo does not restore. */
  undoNote: ChangeSchema.shape.undoNote.unwrap().nullable(),
});
export type FixStepDto = z.infer<typeof FixStepSchema>;

/** A step of an undo: the inverse of an applied step (`undoes` is that step's id). */
export const UndoStepSchema = FixStepSchema.extend({ undoes: Id });

/** One value a choice offers, in words. */
export const ParamOptionSchema = z.object({ value: z.string(), label: z.string(), detail: z.string().nullable() });

/** Something the plan did not propose, and why; `param` when a choice would let it (or change what it proposes). */
export const PlanNoteDtoSchema = z.object({
  fix: z.string(),
  control: z.string(),
  check: z.string().nullable(),
  resource: ResourceRefSchema.nullable(),
  kind: z.enum(['needs_parameter', 'refused', 'info']),
  message: z.string(),
  /**
   * The parameter to set in `fix:plan`'s `params` (e.g. `addTeam.backend`), as the plan's data
   * carries it: its kind, a label, and the values to pick from when they are known (team slugs,
   * roles, public keys); empty choices mean free input, `multiple` a comma-separated list.
   */
  param: z
    .object({
      key: z.string(),
      kind: PlanParamKindSchema,
      label: z.string(),
      description: z.string(),
      choices: z.array(z.string()),
      multiple: z.boolean(),
      min: z.number().int().nullable(),
      max: z.number().int().nullable(),
      pattern: z.string().nullable(),
      /** The choices in words, one per value of `choices` (a key's name and project, a member's name). */
      options: z.array(ParamOptionSchema),
      /**
       * When set, `choices` and `options` are empty here and are the plan's `optionSets[optionSet]`:
       * a thousand members without a team all pick from the same 200 teams, sent once.
       */
      optionSet: z.number().int().nonnegative().nullable().optional(),
      /** What the fix uses when nothing is chosen (e.g. a rate limit's default `300/60`). */
      suggested: z.string().nullable(),
      /** rate_limit: the longest window (seconds) Sentry accepts. */
      maxWindow: z.number().int().nullable(),
    })
    .nullable(),
  /** Every resource the message is about (the message names a handful). */
  items: z.array(ResourceRefSchema),
});

const OutcomeCountsSchema = z.record(OutcomeStatusSchema, z.number().int().nonnegative());

export const FixStepResultSchema = z.object({
  stepId: Id,
  /** Coarse: applied (or already applied), failed (refused, not effective, uncertain), skipped (drifted, blocked, not attempted). */
  status: z.enum(['applied', 'failed', 'skipped']),
  /** The engine's precise outcome (docs/fixes.md). */
  outcome: OutcomeStatusSchema,
  /** What happened, for people (names the endpoint on failure). */
  message: z.string(),
  /** What the re-read showed after the write, by name. */
  observed: z.record(z.string(), z.unknown()).nullable(),
  error: ErrorInfoSchema.nullable(),
});

/** What `fix:apply` and `fix:undo` answer: per-step results, then a re-check audit. */
export const ApplyOutcomeShape = {
  results: z.array(FixStepResultSchema),
  counts: OutcomeCountsSchema,
  /** Set when the run stopped early (401, Sentry unreachable, fix:cancel); the rest is `not_attempted`. */
  fatal: z.string().nullable(),
  /** The audit run after the changes (same level and controls as the plan's run). */
  recheck: AuditRunSchema.nullable(),
  /** Why the re-check could not run, when it could not. */
  recheckError: ErrorInfoSchema.nullable(),
};

/** Needed, missing and extra scopes of one kind of session. */
export const ScopeNeedSchema = z.object({
  required: z.array(z.string()),
  /** Required scopes the token lacks (after Sentry's scope hierarchy). */
  missing: z.array(z.string()),
  /** Scopes the token holds beyond what this kind of session needs (least privilege). */
  extra: z.array(z.string()),
  satisfied: z.boolean(),
});
export const ScopeCheckSchema = z.object({
  /** False when there is no token to check: `missing` then lists every required scope. */
  checked: z.boolean(),
  heldScopes: z.array(z.string()).nullable(),
  audit: ScopeNeedSchema,
  fix: ScopeNeedSchema,
  /** Where to create a token with these scopes (the Sentry the profile points at), when known. */
  authPageUrl: z.string().nullable(),
});

/** One read behind a finding, with its pages and the first page's body (redacted, truncated). */
export const EvidenceDetailSchema = z.object({
  read: z.object({
    sha256: z.string(),
    method: z.string(),
    endpoint: z.string(),
    query: z.record(z.string(), z.string()),
    pages: z.number().int().nonnegative(),
    items: z.number().int().nonnegative(),
    complete: z.boolean(),
    fetchedAt: z.string(),
    responses: z.array(
      z.object({ url: z.string(), status: z.number().int(), sha256: z.string(), items: z.number().int().nonnegative(), fetchedAt: z.string() }),
    ),
  }),
  /** null when the body is no longer held (e.g. the run came from another session). */
  firstPage: z
    .object({
      url: z.string(),
      status: z.number().int(),
      contentType: z.string().nullable(),
      /** Credentials redacted by the client; cut at `EVIDENCE_BODY_LIMIT` characters. */
      body: z.string(),
      bytes: z.number().int().nonnegative(),
      truncated: z.boolean(),
    })
    .nullable(),
});
/** Characters of a page body `audit:evidence` returns at most. */
export const EVIDENCE_BODY_LIMIT = 64 * 1024;

/**
 * 'evidence': the signed package (folder and .zip); 'html', 'json', 'csv': one file of it;
 * 'pdf': report.html printed to PDF (desktop app only).
 */
export const ReportFormatSchema = z.enum(['html', 'json', 'csv', 'evidence', 'pdf']);

/** A chosen value a fix refused (`fix:plan` plans without it): the key of the field and the reason, for people. */
export const ParamErrorSchema = z.object({ key: z.string(), message: z.string() });

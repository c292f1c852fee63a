import { z } from 'zod';
import { LevelSchema } from '../levels';
import { OrgSlugSchema, ProfileDraftSchema, ProfileIdSchema, ProfileSchema } from '../profile';
import { PortfolioEntrySchema } from '../portfolio';
import { RegistersSchema, SettingsSchema, WizardProgressSchema } from '../settings';
import { TokenInfoSchema } from '../token-info';
import type { ChannelName } from './channel-names';
import {
  ApplyOutcomeShape,
  AuditRunSchema,
  ControlInfoSchema,
  EvidenceDetailSchema,
  Id,
  NoArgs,
  OrgSummarySchema,
  ReportFormatSchema,
  ScopeCheckSchema,
  TokenInputSchema,
  UndoStepSchema,
} from './dto-schemas';
import { PlanRefSchema, RunningAuditSchema, SessionSchema } from './session-schemas';
import { ChangesPageSchema, ChangesRequestSchema, FindingsPageSchema, FindingsRequestSchema } from './finding-schemas';
import { AllStepsSelectionSchema, FixPlanResponseSchema, PlanPageRequestSchema, PlanPageSchema } from './plan-schemas';
import { ReportSaveResponseSchema, ReportViewIdSchema } from './report-schemas';

/**
 * The IPC contract between the window and main: one entry per channel (`domain:verb`) with the
 * schema of its request and of the value of its response, plus the events main sends. Every type
 * on both sides is derived from here; the values it carries are in dto-schemas.ts.
 * - Requests are strict objects: main refuses unknown fields.
 * - Responses are plain objects: unknown fields are stripped when main checks its own answer, so a
 *   handler cannot leak a field the contract does not name. No response carries a token.
 * - Every response travels as a Result: `{ ok: true, value }` or `{ ok: false, error }`.
 */

/** How the token of a profile looks (never the token itself); core/controls TokenInfo is the same type, read-only. */
export { TokenInfoSchema, TokenKindSchema } from '../token-info';
export type { TokenInfoDto } from '../token-info';
export * from './dto-schemas';
export * from './session-schemas';
export * from './finding-schemas';
export * from './plan-schemas';
export * from './event-schemas';
export * from './report-schemas';

const RunIdRequest = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'a run id: 6-64 letters, digits, "-" or "_"');
const ParamsSchema = z.record(z.string().min(1).max(200), z.string().max(20_000));
const ConfirmOrg = z.string().max(64);

export const channels = {
  'app:info': {
    request: NoArgs,
    response: z.object({
      version: z.string(),
      platform: z.string(),
      packaged: z.boolean(),
      /** 'desktop': the Electron app; 'web': `sentry-harden ui` in a browser. */
      mode: z.enum(['desktop', 'web']),
      keychain: z.object({
        available: z.boolean(),
        backend: z.string().nullable(),
        /** Why not, when unavailable, in plain words (never the keychain library's raw error). */
        message: z.string().nullable(),
        /** What to install or run to get one, when unavailable. */
        steps: z.array(z.string()).optional(),
      }),
    }),
  },
  /** Opens an allow-listed https link in the OS browser; anything else is refused. */
  'app:openExternal': {
    request: z.strictObject({ url: z.string().min(1).max(2048) }),
    response: z.object({ opened: z.boolean() }),
  },
  /** Write-only: checks the token with Sentry, keeps it in the OS keychain, answers what it is. */
  'auth:setToken': {
    request: z.strictObject({ profileId: ProfileIdSchema, token: TokenInputSchema }),
    response: TokenInfoSchema,
  },
  /**
   * Checks a token without keeping it (before a profile exists): what it is, the organizations it
   * sees and its scope check. `auth:setToken` then stores it for the profile the person creates.
   */
  'auth:verify': {
    request: z.strictObject({
      /** Checked by the handler with the URL policy (shared/base-url.ts). */
      baseUrl: z.string().max(4096),
      caFile: ProfileSchema.shape.caFile,
      token: TokenInputSchema,
    }),
    response: z.object({ info: TokenInfoSchema, orgs: z.array(OrgSummarySchema), scopeCheck: ScopeCheckSchema }),
  },
  /** The scopes an audit-only session and a fixing session need, against the profile's token. */
  'auth:scopeCheck': {
    request: z.strictObject({ profileId: ProfileIdSchema }),
    response: ScopeCheckSchema,
  },
  /** Whether a token is saved; with `verify`, asks Sentry what it is (else the last known answer). */
  'auth:status': {
    request: z.strictObject({ profileId: ProfileIdSchema, verify: z.boolean().optional() }),
    response: z.object({ hasToken: z.boolean(), info: TokenInfoSchema.nullable() }),
  },
  'auth:forget': {
    request: z.strictObject({ profileId: ProfileIdSchema }),
    response: z.object({ deleted: z.boolean() }),
  },
  'profile:list': {
    request: NoArgs,
    response: z.object({ profiles: z.array(ProfileSchema) }),
  },
  /**
   * Creates (no id) or updates a profile. Moving a profile to another Sentry host forgets its
   * token, so a token is never sent to a host it was not saved for.
   */
  'profile:save': {
    request: z.strictObject({ profile: ProfileDraftSchema }),
    response: z.object({ profile: ProfileSchema, tokenForgotten: z.boolean() }),
  },
  /** Deletes the profile, its token, its wizard progress and its registers. */
  'profile:delete': {
    request: z.strictObject({ profileId: ProfileIdSchema }),
    response: z.object({ deleted: z.boolean(), tokenDeleted: z.boolean() }),
  },
  /** A new display name for a saved organization (the label shown in the list). */
  'profile:rename': {
    request: z.strictObject({ profileId: ProfileIdSchema, label: z.string().max(4096) }),
    response: z.object({ profile: ProfileSchema }),
  },
  /**
   * A new connection, step 1: checks the URL and the token with Sentry and lists the
   * organizations the token sees. Nothing is saved: main holds the token in memory under
   * `pendingId` for a few minutes, for `connection:save`.
   */
  'connection:check': {
    request: z.strictObject({ baseUrl: z.string().max(4096), caFile: ProfileSchema.shape.caFile, token: TokenInputSchema }),
    response: z.object({
      pendingId: z.string(),
      /** The URL as it will be saved (normalised). */
      baseUrl: z.string(),
      info: TokenInfoSchema,
      orgs: z.array(OrgSummarySchema),
      scopeCheck: ScopeCheckSchema,
    }),
  },
  /**
   * Step 2: the organization chosen among those the token sees. Only now are the profile and its
   * keychain entry saved (both or neither); the same host and organization reuse their profile.
   * With `fromProfileId` instead of `pendingId`: another organization seen by a saved profile's
   * token becomes a connection of its own (that token copied), never a change of the saved one.
   */
  'connection:save': {
    request: z.strictObject({
      pendingId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
      fromProfileId: ProfileIdSchema.optional(),
      orgSlug: OrgSlugSchema,
      level: LevelSchema,
      label: z.string().max(4096).optional(),
    }),
    response: z.object({ profile: ProfileSchema }),
  },
  /** Every saved organization with its posture (last signed package checked, exceptions, review). */
  'portfolio:list': {
    request: NoArgs,
    response: z.object({ entries: z.array(PortfolioEntrySchema) }),
  },
  /** Organizations the profile's token can see (to check or pick the slug). */
  'org:list': {
    request: z.strictObject({ profileId: ProfileIdSchema }),
    response: z.object({ orgs: z.array(OrgSummarySchema) }),
  },
  'wizard:load': {
    request: z.strictObject({ profileId: ProfileIdSchema }),
    response: z.object({ progress: WizardProgressSchema.nullable() }),
  },
  'wizard:save': {
    request: z.strictObject({ profileId: ProfileIdSchema, progress: WizardProgressSchema }),
    response: z.object({ progress: WizardProgressSchema }),
  },
  /**
   * The profile's saved session (level, before and latest audit, change log, step), to restore
   * after a reload or a restart. `problem` says why a saved session could not be read (it is then
   * treated as none); `session` is null when there is none.
   */
  'session:get': {
    request: z.strictObject({ profileId: ProfileIdSchema }),
    response: z.object({
      session: SessionSchema.nullable(),
      problem: z.string().nullable(),
      /** An audit of the profile still running in main (absent or null: none). */
      running: RunningAuditSchema.nullable().optional(),
      /** Plans main keeps for the profile, newest first (absent: none). */
      plans: z.array(PlanRefSchema).optional(),
    }),
  },
  'settings:get': {
    request: NoArgs,
    response: z.object({ settings: SettingsSchema }),
  },
  'settings:save': {
    request: z.strictObject({ settings: SettingsSchema.partial() }),
    response: z.object({ settings: SettingsSchema }),
  },
  /** Exceptions, integration register and attestations of one profile. */
  'register:get': {
    request: z.strictObject({ profileId: ProfileIdSchema }),
    response: z.object({ registers: RegistersSchema }),
  },
  'register:save': {
    request: z.strictObject({ profileId: ProfileIdSchema, registers: RegistersSchema }),
    response: z.object({ registers: RegistersSchema }),
  },
  /**
   * Runs every control at the level (default: the profile's), or only `controls`; progress comes
   * as `audit:progress`. `runId` (optional) lets the window cancel before the answer arrives.
   * `baselineRunId` marks the run as a re-check of that session (for the report's before/after).
   */
  'audit:run': {
    request: z.strictObject({
      profileId: ProfileIdSchema,
      level: LevelSchema.optional(),
      controls: z.array(z.string().max(32)).max(100).optional(),
      runId: RunIdRequest.optional(),
      baselineRunId: Id.optional(),
    }),
    response: AuditRunSchema,
  },
  /** A run kept in memory (this app session); a run still under way is answered when it ends. */
  'audit:get': {
    request: z.strictObject({ runId: Id }),
    response: AuditRunSchema,
  },
  /**
   * One page of a run's rows, grouped per check: the checks of a section, a control or one check
   * (only those with rows of `statuses`), each with its counts and up to `limit` rows from `offset`.
   */
  'audit:findings': {
    request: FindingsRequestSchema,
    response: FindingsPageSchema,
  },
  /** One page of the verdicts that differ between the run's session baseline and the run. */
  'audit:changes': {
    request: ChangesRequestSchema,
    response: ChangesPageSchema,
  },
  /** The read a finding's evidence reference names (`evidence[].sha256`). */
  'audit:evidence': {
    request: z.strictObject({ runId: Id, sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
    response: EvidenceDetailSchema,
  },
  'audit:cancel': {
    request: z.strictObject({ runId: Id }),
    response: z.object({ cancelled: z.boolean() }),
  },
  /** The controls, their sections in the guide's order, and the fixes each has. */
  'catalog:get': {
    request: NoArgs,
    response: z.object({
      sections: z.array(z.object({ id: z.string(), title: z.string() })),
      controls: z.array(ControlInfoSchema),
    }),
  },
  /**
   * Plans fixes for the failed checks of a run (optionally only some controls), from a fresh
   * read of the organization. Read-only. `params` are the choices fixes need (docs/fixes.md);
   * the notes say which are missing.
   */
  'fix:plan': {
    request: z.strictObject({
      profileId: ProfileIdSchema,
      runId: Id,
      controls: z.array(z.string().max(32)).max(100).optional(),
      params: ParamsSchema.optional(),
    }),
    response: FixPlanResponseSchema,
  },
  /** The first answer of a plan main still keeps (a reloaded window shows the plan it had). */
  'fix:getPlan': {
    request: z.strictObject({ profileId: ProfileIdSchema, planId: Id }),
    response: FixPlanResponseSchema,
  },
  /** A page of a plan `fix:plan` made: its steps, or one group of its notes. Read-only. */
  'fix:planPage': {
    request: PlanPageRequestSchema,
    response: PlanPageSchema,
  },
  /**
   * Applies the chosen steps of a plan. `confirm: true` is the person's explicit consent; a step
   * with `confirmSlug` also needs `confirmOrg` equal to the organization slug (else the whole
   * request is refused and nothing is sent). Progress comes as `fix:progress`, then a re-check.
   */
  'fix:apply': {
    request: z.strictObject({
      profileId: ProfileIdSchema,
      planId: Id,
      /** The steps chosen by id; or `allSteps`: every step of the plan but some. */
      stepIds: z.array(Id).min(1).max(500).optional(),
      allSteps: AllStepsSelectionSchema.optional(),
      confirm: z.literal(true),
      confirmOrg: ConfirmOrg.optional(),
    }).refine((r) => (r.stepIds === undefined) !== (r.allSteps === undefined), { message: 'either stepIds or allSteps' }),
    response: z.object({ planId: Id, applyId: Id, ...ApplyOutcomeShape }),
  },
  /**
   * Cancels a running apply or undo between changes: the change in flight is sent, re-read and
   * recorded as usual, the rest are recorded `not_attempted` (the answer of fix:apply/fix:undo
   * says so in `fatal`). `planId` as in `fix:progress`: the plan, or for an undo the apply undone.
   */
  'fix:cancel': {
    request: z.strictObject({ planId: Id }),
    response: z.object({ cancelled: z.boolean() }),
  },
  /** What undoing an apply would do: the inverse steps, and the applied steps that cannot be undone. */
  'fix:undoPlan': {
    request: z.strictObject({ profileId: ProfileIdSchema, applyId: Id }),
    response: z.object({
      applyId: Id,
      steps: z.array(UndoStepSchema),
      skipped: z.array(z.object({ stepId: Id, description: z.string(), reason: z.string() })),
    }),
  },
  /**
   * Undoes applied steps of an apply (`stepIds`: the applied steps' ids; default all), newest
   * first, with the same confirmation rules as fix:apply; journaled like any apply. Results are by
   * the applied step's id.
   */
  'fix:undo': {
    request: z.strictObject({
      profileId: ProfileIdSchema,
      applyId: Id,
      stepIds: z.array(Id).min(1).max(500).optional(),
      confirm: z.literal(true),
      confirmOrg: ConfirmOrg.optional(),
    }),
    response: z.object({
      applyId: Id,
      undoId: Id,
      skipped: z.array(z.object({ stepId: Id, description: z.string(), reason: z.string() })),
      ...ApplyOutcomeShape,
    }),
  },
  /**
   * Saves a run's report: the signed evidence package (before/after when fixes were applied in
   * the run's session) or one file of it. The desktop app asks where (a native dialog;
   * `saved: false` when the person cancels); web mode writes under its output directory.
   */
  'report:save': {
    request: z.strictObject({ runId: Id, format: ReportFormatSchema }),
    response: ReportSaveResponseSchema,
  },
  /**
   * Prints the report.html of a package saved in this window to PDF: web mode next to the package
   * (`<package>.pdf`) with the machine's Chromium, the desktop app where the person chooses
   * (`saved: false` when they cancel). Refused when the view says 'browser'.
   */
  'report:printPdf': {
    request: z.strictObject({ reportId: ReportViewIdSchema }),
    response: z.object({ saved: z.boolean(), path: z.string().nullable() }),
  },
  /**
   * Desktop app: opens the report.html of a package saved in this window with the system's
   * viewer (the path is main's own, from the id; never a path from the window).
   */
  'report:open': {
    request: z.strictObject({ reportId: ReportViewIdSchema }),
    response: z.object({ opened: z.boolean() }),
  },
  /**
   * Writes Terraform configuration (jianyuan/sentry provider) describing the organization as read,
   * with import blocks and a README of what the provider cannot express, into a new folder the
   * desktop app asks for (web mode: under its output directory). Read-only towards Sentry.
   */
  'export:terraform': {
    request: z.strictObject({ profileId: ProfileIdSchema }),
    response: z.object({
      saved: z.boolean(),
      path: z.string().nullable(),
      resources: z.number().int().nonnegative(),
      files: z.array(z.string()),
      gaps: z.array(z.object({ what: z.string(), reason: z.string() })),
    }),
  },
  /** Whether the app runs against the built-in demo organization (the simulator). */
  'demo:status': {
    request: NoArgs,
    response: z.object({
      active: z.boolean(),
      profileId: ProfileIdSchema.nullable(),
      orgSlug: z.string().nullable(),
      label: z.string().nullable(),
      baseUrl: z.string().nullable(),
    }),
  },
  /** Demo only: puts the demo organization back as it was at launch and forgets its runs. */
  'demo:reset': {
    request: NoArgs,
    response: z.object({ reset: z.boolean() }),
  },
} as const satisfies Record<ChannelName, { request: z.ZodType; response: z.ZodType }>;


export type * from './bridge-types';

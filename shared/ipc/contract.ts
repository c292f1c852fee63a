import { z } from 'zod';
import type { Result } from '../errors';
import { ErrorInfoSchema } from '../errors';
import { FINDING_STATUSES, FindingSchema, ResourceRefSchema } from '../finding';
import { LevelSchema } from '../levels';
import { ProfileDraftSchema, ProfileIdSchema, ProfileSchema } from '../profile';
import { RegistersSchema, SettingsSchema, WizardProgressSchema } from '../settings';
import type { ChannelName, EventName } from './channel-names';

/**
 * The IPC contract between the window and main: one entry per channel (`domain:verb`) with the
 * schema of its request and of the value of its response, plus the events main sends. Every type
 * on both sides is derived from here.
 * - Requests are strict objects: main refuses unknown fields.
 * - Responses are plain objects: unknown fields are stripped when main checks its own answer, so a
 *   handler cannot leak a field the contract does not name. No response carries a token.
 * - Every response travels as a Result: `{ ok: true, value }` or `{ ok: false, error }`.
 */

const Id = z.string().min(1).max(128);
const NoArgs = z.strictObject({});

/** Printable ASCII without spaces; surrounding whitespace from a paste is trimmed first. */
export const TokenInputSchema = z
  .string()
  .trim()
  .min(1)
  .max(8192)
  .regex(/^[\x21-\x7e]+$/, 'a token has no spaces or control characters');

/** How the token of a profile looks (never the token itself). Mirrors core/controls TokenInfo. */
export const TokenKindSchema = z.enum(['user', 'org_auth_token', 'internal_integration', 'unknown']);
export const TokenInfoSchema = z.object({
  kind: TokenKindSchema,
  scopes: z.array(z.string()),
  user: z.object({ id: z.string(), email: z.string().nullable(), has2fa: z.boolean().nullable() }).nullable(),
});
export type TokenInfoDto = z.infer<typeof TokenInfoSchema>;

export const OrgSummarySchema = z.object({ id: z.string(), slug: z.string(), name: z.string() });

export const StatusCountsSchema = z.object(
  Object.fromEntries(FINDING_STATUSES.map((s) => [s, z.number().int().nonnegative()])) as Record<
    (typeof FINDING_STATUSES)[number],
    z.ZodNumber
  >,
);

export const FixStepSchema = z.object({
  id: Id,
  control: z.string(),
  check: z.string(),
  resource: ResourceRefSchema,
  title: z.string(),
  description: z.string(),
  /** What the step would change, field by field. */
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  reversible: z.boolean(),
  requiredScopes: z.array(z.string()),
});

export const FixStepResultSchema = z.object({
  stepId: Id,
  status: z.enum(['applied', 'failed', 'skipped']),
  error: ErrorInfoSchema.nullable(),
});

export const ReportFormatSchema = z.enum(['html', 'json', 'csv', 'evidence']);

export const channels = {
  'app:info': {
    request: NoArgs,
    response: z.object({
      version: z.string(),
      platform: z.string(),
      packaged: z.boolean(),
      keychain: z.object({
        available: z.boolean(),
        backend: z.string().nullable(),
        /** Why not, when unavailable. */
        message: z.string().nullable(),
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
  /** Runs every control at the level (default: the profile's); progress comes as `audit:progress`. */
  'audit:run': {
    request: z.strictObject({ profileId: ProfileIdSchema, level: LevelSchema.optional() }),
    response: z.object({
      runId: Id,
      profileId: ProfileIdSchema,
      orgSlug: z.string(),
      level: LevelSchema,
      startedAt: z.string(),
      finishedAt: z.string(),
      findings: z.array(FindingSchema),
      counts: StatusCountsSchema,
    }),
  },
  'audit:cancel': {
    request: z.strictObject({ runId: Id }),
    response: z.object({ cancelled: z.boolean() }),
  },
  /** Plans fixes for the failed checks of a run (optionally only some controls). Read-only. */
  'fix:plan': {
    request: z.strictObject({
      profileId: ProfileIdSchema,
      runId: Id,
      controls: z.array(z.string().max(32)).max(100).optional(),
    }),
    response: z.object({ planId: Id, steps: z.array(FixStepSchema) }),
  },
  /** Applies the chosen steps of a plan. `confirm: true` is the person's explicit consent. */
  'fix:apply': {
    request: z.strictObject({
      profileId: ProfileIdSchema,
      planId: Id,
      stepIds: z.array(Id).min(1).max(500),
      confirm: z.literal(true),
    }),
    response: z.object({ planId: Id, results: z.array(FixStepResultSchema) }),
  },
  /** Main asks where to save (a native dialog); `saved: false` when the person cancels. */
  'report:save': {
    request: z.strictObject({ runId: Id, format: ReportFormatSchema }),
    response: z.object({ saved: z.boolean(), path: z.string().nullable() }),
  },
} as const satisfies Record<ChannelName, { request: z.ZodType; response: z.ZodType }>;

export const events = {
  'audit:progress': z.object({
    runId: Id,
    completed: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    /** The control that just finished, when one did. */
    control: z.string().nullable(),
  }),
  'fix:progress': z.object({
    planId: Id,
    stepId: Id,
    status: z.enum(['running', 'applied', 'failed', 'skipped']),
  }),
} as const satisfies Record<EventName, z.ZodType>;

export type Channels = typeof channels;
export type Events = typeof events;

/** What the window sends (before main's parsing, e.g. an untrimmed token). */
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
/** What a handler receives (after parsing). */
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
/** What a handler returns (main checks it against the schema before it leaves). */
export type HandlerResponseOf<C extends ChannelName> = z.input<Channels[C]['response']>;
/** What the window receives inside an ok Result. */
export type ResponseOf<C extends ChannelName> = z.output<Channels[C]['response']>;
export type EventPayloadOf<E extends EventName> = z.output<Events[E]>;

/** The object the preload exposes as `window.sentryHarden`. */
export interface SentryHardenBridge {
  readonly invoke: { readonly [C in ChannelName]: (request: RequestOf<C>) => Promise<Result<ResponseOf<C>>> };
  /** Each subscription returns its unsubscribe function. */
  readonly on: { readonly [E in EventName]: (listener: (payload: EventPayloadOf<E>) => void) => () => void };
}

import { z } from 'zod';
import { FindingStatusSchema } from './finding';
import { LevelSchema } from './levels';
import { TokenKindSchema } from './token-info';

/**
 * One saved organization in the portfolio (the CLI's `portfolio`, the wizard's first screen, the
 * HTML/CSV export). Summary fields only: no finding, resource name, id or raw response of an
 * organization leaves its own package through this, so a portfolio shown to one client never
 * carries another client's data beyond its name, host and counts.
 */
export const LastPackageStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('none') }),
  z.object({ state: z.literal('missing'), path: z.string() }),
  z.object({ state: z.literal('invalid'), path: z.string(), reason: z.string().max(2000) }),
  z.object({
    state: z.literal('valid'),
    path: z.string(),
    finishedAt: z.string(),
    level: LevelSchema,
    counts: z.record(FindingStatusSchema, z.number().int()),
    signer: z.string().nullable(),
    /**
     * What changed between the previous signed package of the organization and this one (`previous`),
     * else the package's own drift section (`baseline`, made with --baseline); null when neither exists.
     */
    drift: z
      .object({ newlyFailing: z.number().int(), regressed: z.number().int(), fixed: z.number().int(), against: z.enum(['previous', 'baseline']) })
      .nullable(),
    /** Why the previous package could not be compared, when it could not. */
    driftNote: z.string().max(2000).optional(),
  }),
]);
export type LastPackageState = z.infer<typeof LastPackageStateSchema>;

export const PortfolioEntrySchema = z.object({
  profileId: z.string(),
  label: z.string(),
  orgSlug: z.string(),
  host: z.string(),
  profileLevel: LevelSchema,
  /** The kind of token saved for it (null: not known, saved before it was recorded). */
  tokenKind: TokenKindSchema.nullable(),
  /** Made by an older version and never finished (no organization chosen): can only be forgotten. */
  unfinished: z.boolean(),
  lastPackage: LastPackageStateSchema,
  exceptions: z.object({ open: z.number().int(), expiringSoon: z.number().int(), expired: z.number().int() }),
  review: z.object({ nextReviewDate: z.string(), overdue: z.boolean(), dueInDays: z.number().int() }).nullable(),
});
export type PortfolioEntry = z.infer<typeof PortfolioEntrySchema>;

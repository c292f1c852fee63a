import { z } from 'zod';
import { LevelSchema } from './levels';
import { TokenKindSchema } from './token-info';

/**
 * A connection profile: one Sentry organization a consultant works on. Its id is also the
 * keychain account that holds its token, so profiles never share a token. A profile never
 * carries the token itself: the schemas are strict, so a `token` field is refused.
 */
export const ProfileIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'profile id: 1-64 letters, digits, "-" or "_"');
export type ProfileId = z.infer<typeof ProfileIdSchema>;

/** Sentry organization slugs: lower-case letters, digits, "-" and "_". */
export const OrgSlugSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, 'organization slug');

/** Longest label a profile keeps; longer ones (a long organization name plus host) are cut. */
export const PROFILE_LABEL_MAX = 120;

/** A label cut to PROFILE_LABEL_MAX characters (code points, never half a pair), ending in "…". */
export function cutProfileLabel(label: string): string {
  const chars = [...label.trim()];
  return chars.length <= PROFILE_LABEL_MAX ? chars.join('') : `${chars.slice(0, PROFILE_LABEL_MAX - 1).join('').trimEnd()}…`;
}

export const ProfileSchema = z.strictObject({
  id: ProfileIdSchema,
  label: z.string().trim().min(1).max(PROFILE_LABEL_MAX),
  /** https://sentry.io, a region or a self-hosted host; the Sentry client decides http(s) rules. */
  baseUrl: z.url({ protocol: /^https?$/ }).max(2048),
  orgSlug: OrgSlugSchema,
  level: LevelSchema,
  /** PEM bundle for a self-hosted Sentry behind a private CA. */
  caFile: z.string().min(1).max(4096).optional(),
  /** What kind of token the keychain holds for it, as Sentry said when it was saved (never the token). */
  tokenKind: TokenKindSchema.optional(),
  createdAt: z.iso.datetime(),
});
export type Profile = z.infer<typeof ProfileSchema>;

/**
 * What a person edits: the app assigns `id` (when new) and `createdAt`. A label longer than a
 * profile keeps is accepted here and cut when saved (the store), not refused.
 */
export const ProfileDraftSchema = ProfileSchema.omit({ id: true, createdAt: true, tokenKind: true }).extend({
  id: ProfileIdSchema.optional(),
  label: z.string().trim().min(1).max(4096),
  /** Checked by the handler with the URL policy (shared/base-url.ts), which says what is wrong. */
  baseUrl: z.string().max(4096),
});
export type ProfileDraft = z.infer<typeof ProfileDraftSchema>;

/** The slug a connection made by an older version holds until its organization was picked. */
export const UNCHOSEN_ORG_SLUG = 'org-not-chosen-yet';

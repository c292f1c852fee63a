import { z } from 'zod';
import { ProfileIdSchema } from './profile';

/**
 * What the app keeps per profile besides the profile itself (resumable wizard progress and the
 * registers a consultant maintains per organization) and the app's settings. Shared because the
 * IPC contract carries them; core/store persists them. Every object is strict, so a field
 * nobody declared (a token, say) is refused rather than silently kept.
 */

const Iso = z.iso.datetime();
const ShortText = z.string().trim().min(1).max(200);
const LongText = z.string().trim().min(1).max(4000);
const ControlId = z.string().regex(/^(?:[1-4](?:\.\d+)*|INT\.\d+)$/, 'a control id like 3.2 or INT.4');
const StepId = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'a wizard step id');
const EntryId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an entry id');

export const WizardProgressSchema = z.strictObject({
  /** The step to resume at. Step ids belong to the renderer's wizard. */
  step: StepId,
  completed: z.array(StepId).max(64),
  /** The audit the later steps work from, when one has run. */
  auditRunId: z.string().max(128).optional(),
  updatedAt: Iso,
});
export type WizardProgress = z.infer<typeof WizardProgressSchema>;

// Register entries are placeholders, to be refined with the controls that read them.

/** An accepted deviation from a check, with who approved it and until when. */
export const ExceptionEntrySchema = z.strictObject({
  id: EntryId,
  control: ControlId,
  check: z.string().max(128).optional(),
  resource: z.string().max(256).optional(),
  reason: LongText,
  /** Who is accountable for the accepted risk. */
  owner: ShortText.optional(),
  approvedBy: ShortText,
  /** From this instant on the exception no longer counts. */
  expiresAt: Iso.optional(),
  createdAt: Iso,
});
export type ExceptionEntry = z.infer<typeof ExceptionEntrySchema>;

/** Mirrors core/controls/types.ts IntegrationRegisterEntry (INT.4, INT.5); core/store checks they agree. */
export const IntegrationRegisterEntrySchema = z.strictObject({
  integration: ShortText,
  permissions: z.array(z.string().max(100)).max(100),
  rationale: LongText,
  owner: ShortText,
  lastReviewed: z.string().max(40),
});

/** A statement a person signs for a control the API cannot show (a `manual` finding). */
export const AttestationSchema = z.strictObject({
  id: EntryId,
  control: ControlId,
  statement: LongText,
  attestedBy: ShortText,
  attestedAt: Iso,
});
export type Attestation = z.infer<typeof AttestationSchema>;

/** When the organization is due for its next review, as the last evidence package set it. */
export const ReviewScheduleSchema = z.strictObject({
  nextReviewDate: Iso,
  /** When the session of the last package finished. */
  lastSessionAt: Iso,
  /** Where that package was written (folder or .zip). */
  lastPackage: z.string().min(1).max(4096).optional(),
  /** Fingerprint of the key that signed it. */
  signedBy: z.string().max(100).optional(),
  /** The package before the last one, and its signer: the portfolio's drift compares the two. */
  previousPackage: z.string().min(1).max(4096).optional(),
  previousSignedBy: z.string().max(100).optional(),
});
export type ReviewSchedule = z.infer<typeof ReviewScheduleSchema>;

export const RegistersSchema = z.strictObject({
  exceptions: z.array(ExceptionEntrySchema).max(1000),
  integrationRegister: z.array(IntegrationRegisterEntrySchema).max(1000),
  attestations: z.array(AttestationSchema).max(1000),
  review: ReviewScheduleSchema.optional(),
});
export type Registers = z.infer<typeof RegistersSchema>;

const PositiveInt = z.number().int().positive().max(100_000);

/** Overrides of the audit thresholds (the defaults live with the controls). */
export const AuditSettingsOverridesSchema = z.strictObject({
  maxOwners: PositiveInt.optional(),
  maxTeamsPerProject: PositiveInt.optional(),
  keyRotationDays: PositiveInt.optional(),
  integrationReviewDays: PositiveInt.optional(),
  sensitiveFieldBaseline: z.array(z.string().min(1).max(100)).max(200).optional(),
  orgAuthTokenStaleDays: PositiveInt.optional(),
});
export type AuditSettingsOverrides = z.infer<typeof AuditSettingsOverridesSchema>;

export const SettingsSchema = z.strictObject({
  audit: AuditSettingsOverridesSchema,
  /** The profile the app opens with. */
  lastProfileId: ProfileIdSchema.nullable(),
});
export type Settings = z.infer<typeof SettingsSchema>;

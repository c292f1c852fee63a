import { z } from 'zod';
import { ProfileIdSchema, ProfileSchema } from '../../shared/profile';
import type { AuditSettingsOverrides, IntegrationRegisterEntrySchema, Registers } from '../../shared/settings';
import { RegistersSchema, SettingsSchema, WizardProgressSchema } from '../../shared/settings';
import type { AuditSettings, IntegrationRegisterEntry } from '../controls/types';

/**
 * The settings file: profiles, resumable wizard progress, registers per profile, and settings.
 * The entry schemas live in shared/settings.ts (the IPC contract carries them); this is the
 * document around them. Tokens are never part of it: they live in the OS keychain only.
 */

export const STORE_VERSION = 1;

export const AppStoreDataSchema = z.strictObject({
  version: z.literal(STORE_VERSION),
  profiles: z.array(ProfileSchema).max(500),
  wizard: z.record(ProfileIdSchema, WizardProgressSchema),
  registers: z.record(ProfileIdSchema, RegistersSchema),
  settings: SettingsSchema,
});
export type AppStoreData = z.infer<typeof AppStoreDataSchema>;

export function emptyRegisters(): Registers {
  return { exceptions: [], integrationRegister: [], attestations: [] };
}

export function defaultStoreData(): AppStoreData {
  return {
    version: STORE_VERSION,
    profiles: [],
    wizard: {},
    registers: {},
    settings: { audit: {}, lastProfileId: null },
  };
}

// Compile-time checks that the shared schemas stay in step with the engine's types.
type Assert<T extends true> = T;
export type _IntegrationRegisterMatches = Assert<
  z.infer<typeof IntegrationRegisterEntrySchema> extends IntegrationRegisterEntry ? true : false
>;
export type _AuditOverridesMatch = Assert<
  Required<AuditSettingsOverrides> extends { -readonly [K in keyof AuditSettings]: AuditSettings[K] } ? true : false
>;

/**
 * The same shape as JSON Schema, for conf / electron-store, which validate the file on load and
 * on every write: a second gate behind zod, and the one electron-store applies in main.
 */
export function appStoreJsonSchemas(): Record<keyof AppStoreData, Record<string, unknown>> {
  const shape = AppStoreDataSchema.shape;
  const out = {} as Record<keyof AppStoreData, Record<string, unknown>>;
  for (const key of Object.keys(shape) as (keyof AppStoreData)[]) {
    const { $schema: _ignored, ...schema } = z.toJSONSchema(shape[key], { io: 'input' }) as Record<string, unknown>;
    out[key] = schema;
  }
  return out;
}

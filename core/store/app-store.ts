import Conf from 'conf';
import type { z } from 'zod';
import { formatIssues } from '../../shared/ipc/issues';
import type { Profile } from '../../shared/profile';
import { cutProfileLabel, ProfileIdSchema, ProfileSchema } from '../../shared/profile';
import { StoreError } from './errors';
import type { Registers, Settings, WizardProgress } from '../../shared/settings';
import { RegistersSchema, SettingsSchema, WizardProgressSchema } from '../../shared/settings';
import type { AppStoreData } from './schema';
import { AppStoreDataSchema, appStoreJsonSchemas, defaultStoreData, emptyRegisters } from './schema';
import { findSecretLikeField } from './secret-guard';

/**
 * Profiles, wizard progress, registers and settings in one JSON file (mode 0600). Reads and
 * writes go through zod; every write replaces the whole document atomically (conf writes a
 * temporary file and renames it) after the secret guard has looked at it.
 */
export interface AppStore {
  /** The settings file. */
  readonly path: string;
  listProfiles(): Profile[];
  getProfile(id: string): Profile | null;
  /** Inserts or replaces (by id). */
  saveProfile(profile: Profile): Profile;
  /** Also drops the profile's wizard progress and registers. False when there was none. */
  deleteProfile(id: string): boolean;
  getWizardProgress(profileId: string): WizardProgress | null;
  saveWizardProgress(profileId: string, progress: WizardProgress): WizardProgress;
  clearWizardProgress(profileId: string): boolean;
  /** Empty registers when none were saved. */
  getRegisters(profileId: string): Registers;
  saveRegisters(profileId: string, registers: Registers): Registers;
  getSettings(): Settings;
  saveSettings(patch: Partial<Settings>): Settings;
}

/** What conf and electron-store have in common: the whole document, read and replaced. */
export interface StoreBacking {
  readonly path: string;
  store: Record<string, unknown>;
}

/** Options for conf and electron-store alike (electron-store names the file with `name`). */
export function appStoreOptions() {
  return {
    defaults: defaultStoreData(),
    schema: appStoreJsonSchemas(),
    rootSchema: { additionalProperties: false },
    // Keys are ids, never paths: no dot-notation surprises with user-chosen ids.
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: false,
    configFileMode: 0o600,
    watch: false,
  } as const;
}

export interface CreateAppStoreOptions {
  /** The folder of the settings file (tests use a temporary folder). */
  readonly cwd: string;
  /** File name without extension; `settings` by default. */
  readonly configName?: string;
}

export function createAppStore(options: CreateAppStoreOptions): AppStore {
  let backing: StoreBacking;
  try {
    backing = new Conf<AppStoreData>({
      ...appStoreOptions(),
      cwd: options.cwd,
      configName: options.configName ?? 'settings',
    }) as unknown as StoreBacking;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new StoreError('internal', `The settings file in ${options.cwd} cannot be read: ${detail}`, { cause: error });
  }
  return wrapAppStore(backing);
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new StoreError('invalid_input', `Refusing to save ${what}: ${formatIssues(parsed.error.issues)}`);
  }
  return parsed.data;
}

function checkProfileId(id: string): void {
  if (!ProfileIdSchema.safeParse(id).success) throw new StoreError('invalid_input', 'Invalid profile id');
}

/** The store logic over any backing (conf in Node, electron-store in main). */
export function wrapAppStore(backing: StoreBacking): AppStore {
  function read(): AppStoreData {
    const parsed = AppStoreDataSchema.safeParse(backing.store);
    if (!parsed.success) {
      throw new StoreError(
        'internal',
        `The settings file ${backing.path} does not match the expected shape (${formatIssues(parsed.error.issues)}); ` +
          'it was left untouched',
      );
    }
    return parsed.data;
  }

  function write(next: AppStoreData): void {
    const data = parseOrThrow(AppStoreDataSchema, next, 'the settings');
    const secretAt = findSecretLikeField(data);
    if (secretAt !== null) {
      throw new StoreError(
        'invalid_input',
        `Refusing to save: "${secretAt}" looks like a credential. Tokens are kept in the OS keychain only`,
      );
    }
    try {
      backing.store = data;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      // conf's JSON Schema gate (a second one, behind zod) speaks in schema paths: never shown.
      if (detail.startsWith('Config schema violation')) {
        throw new StoreError('invalid_input', 'Refusing to save: a value is not in a form the settings file can keep. Nothing was changed; check what you entered.', { cause: error });
      }
      throw new StoreError('internal', `Could not write the settings file ${backing.path}: ${detail}`, { cause: error });
    }
  }

  function requireProfile(data: AppStoreData, profileId: string): void {
    checkProfileId(profileId);
    if (!data.profiles.some((p) => p.id === profileId)) {
      throw new StoreError('not_found', `No profile "${profileId}"`);
    }
  }

  return {
    get path() {
      return backing.path;
    },

    listProfiles() {
      return read().profiles;
    },

    getProfile(id) {
      return read().profiles.find((p) => p.id === id) ?? null;
    },

    saveProfile(profile) {
      // A long organization name must not make saving the connection fail: the label is cut.
      const cut = typeof profile.label === 'string' ? { ...profile, label: cutProfileLabel(profile.label) } : profile;
      const valid = parseOrThrow(ProfileSchema, cut, 'the profile');
      const data = read();
      const index = data.profiles.findIndex((p) => p.id === valid.id);
      const profiles = [...data.profiles];
      if (index === -1) profiles.push(valid);
      else profiles[index] = valid;
      write({ ...data, profiles });
      return valid;
    },

    deleteProfile(id) {
      checkProfileId(id);
      const data = read();
      if (!data.profiles.some((p) => p.id === id)) return false;
      const { [id]: _wizard, ...wizard } = data.wizard;
      const { [id]: _registers, ...registers } = data.registers;
      const lastProfileId = data.settings.lastProfileId === id ? null : data.settings.lastProfileId;
      write({
        ...data,
        profiles: data.profiles.filter((p) => p.id !== id),
        wizard,
        registers,
        settings: { ...data.settings, lastProfileId },
      });
      return true;
    },

    getWizardProgress(profileId) {
      checkProfileId(profileId);
      const { wizard } = read();
      // Own keys only: an id like `constructor` must not find Object.prototype's.
      return Object.hasOwn(wizard, profileId) ? (wizard[profileId] ?? null) : null;
    },

    saveWizardProgress(profileId, progress) {
      const valid = parseOrThrow(WizardProgressSchema, progress, 'the wizard progress');
      const data = read();
      requireProfile(data, profileId);
      write({ ...data, wizard: { ...data.wizard, [profileId]: valid } });
      return valid;
    },

    clearWizardProgress(profileId) {
      checkProfileId(profileId);
      const data = read();
      if (!Object.hasOwn(data.wizard, profileId)) return false;
      const { [profileId]: _dropped, ...wizard } = data.wizard;
      write({ ...data, wizard });
      return true;
    },

    getRegisters(profileId) {
      checkProfileId(profileId);
      const { registers } = read();
      return Object.hasOwn(registers, profileId) ? (registers[profileId] ?? emptyRegisters()) : emptyRegisters();
    },

    saveRegisters(profileId, registers) {
      const valid = parseOrThrow(RegistersSchema, registers, 'the registers');
      const data = read();
      requireProfile(data, profileId);
      write({ ...data, registers: { ...data.registers, [profileId]: valid } });
      return valid;
    },

    getSettings() {
      return read().settings;
    },

    saveSettings(patch) {
      const data = read();
      const settings = parseOrThrow(SettingsSchema, { ...data.settings, ...patch }, 'the settings');
      write({ ...data, settings });
      return settings;
    },
  };
}

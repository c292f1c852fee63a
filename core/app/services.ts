import path from 'node:path';
import type { Profile } from '../../shared/profile';
import type { Keychain } from '../secrets/index';
import type { AppStore } from '../store/index';
import { emptyRegisters, recordReview } from '../store/index';
import { createEngine } from './engine';
import type { AppInfo, DemoController, EngineGateway } from './handlers';
import { createHandlers } from './handlers';
import { createAppPackageWriter } from './package-writer';
import type { ReportDestination } from './report-output';
import type { Handlers } from './router';
import { createSessionKeychain } from './session-keychain';

/**
 * What both fronts (the desktop app and web mode) compose the same way: the keychain (the OS
 * keychain, plus memory for the demo profile), the engine with its journal folder and package
 * writer, and the handler table. The fronts differ only in the store's backing, where reports
 * go, and how links open.
 */

export const DEMO_PROFILE_ID = 'demo';
export const DEMO_PROFILE_LABEL = 'Demo organization (simulated: not a real Sentry)';

export interface DemoSetup {
  readonly profileId: string;
  /** The demo's fake admin token (only the built-in simulator accepts it). */
  readonly token: string;
  readonly controller: DemoController;
}

export interface AppServicesOptions {
  readonly store: AppStore;
  /** The OS keychain, for tokens (one entry per profile). */
  readonly keychain: Keychain;
  /**
   * The OS keychain entry space of the evidence signing key (core/evidence/signing-key.ts
   * SIGNING_KEY_SERVICE): apart from the tokens, so no profile id can ever name the key's entry,
   * and shared with the CLI, so the app and `sentry-harden` sign with the same key.
   */
  readonly signingKeychain: Keychain;
  readonly demo: DemoSetup | null;
  readonly journalDir: string;
  /** Where each profile's session is kept; default: `sessions` next to the journal folder. */
  readonly sessionDir?: string;
  readonly reportDestination: ReportDestination;
  readonly app: AppInfo;
  readonly openExternal: (url: string) => Promise<boolean>;
  readonly timeoutMs?: number;
}

export interface AppServices {
  readonly handlers: Handlers;
  readonly engine: EngineGateway;
  readonly keychain: Keychain;
}

export function createAppServices(options: AppServicesOptions): AppServices {
  const { store } = options;
  const keychain = createSessionKeychain(
    options.keychain,
    options.demo ? { profileId: options.demo.profileId, token: options.demo.token } : null,
  );
  const engine = createEngine({
    journalDir: options.journalDir,
    // Next to the journals: the app's data folder (the demo's own folder for the demo).
    sessionDir: options.sessionDir ?? path.join(path.dirname(options.journalDir), 'sessions'),
    registers: (id) => store.getRegisters(id),
    auditSettings: () => store.getSettings().audit,
    reportDestination: options.reportDestination,
    writePackage: createAppPackageWriter({
      keychain: options.signingKeychain,
      throwawayKeyWithoutKeychain: options.demo !== null,
      demoProfileId: options.demo?.profileId ?? null,
      saveReview: (profileId, review) => {
        if (store.getProfile(profileId)) store.saveRegisters(profileId, recordReview(store.getRegisters(profileId), review));
      },
    }),
    secretOf: (id) => keychain.getSecret(id),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const handlers = createHandlers({
    store,
    keychain,
    engine,
    app: options.app,
    openExternal: options.openExternal,
    demo: options.demo?.controller ?? null,
  });
  return { handlers, engine, keychain };
}

/**
 * Puts the demo profile in a store (the simulator's URL changes at each launch) and makes it the
 * profile the app opens with. Its wizard progress and registers start empty, like the demo
 * organization itself.
 */
export function installDemoProfile(store: AppStore, demo: { readonly baseUrl: string; readonly orgSlug: string; readonly now?: Date }): Profile {
  const profile = store.saveProfile({
    id: DEMO_PROFILE_ID,
    label: DEMO_PROFILE_LABEL,
    baseUrl: demo.baseUrl,
    orgSlug: demo.orgSlug,
    level: 'L1',
    createdAt: (demo.now ?? new Date()).toISOString(),
  });
  resetDemoProfile(store);
  store.saveSettings({ lastProfileId: DEMO_PROFILE_ID });
  return profile;
}

/** Forgets the demo profile's progress and registers (after the demo organization is reset). */
export function resetDemoProfile(store: AppStore): void {
  store.clearWizardProgress(DEMO_PROFILE_ID);
  store.saveRegisters(DEMO_PROFILE_ID, emptyRegisters());
}

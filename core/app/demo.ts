import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Keychain } from '../secrets/index';
import { createAppStore, type AppStore } from '../store/index';
import { DEMO_PROFILE_ID, DEMO_PROFILE_LABEL, installDemoProfile, resetDemoProfile, type DemoSetup } from './services';

/** The demo organization's backend: the built-in simulator, injected by the front (core may not import it). */
export interface DemoBackend {
  readonly url: string;
  readonly orgSlug: string;
  /** The demo's fake admin token; only this backend accepts it. */
  readonly token: string;
  /** Back to the demo organization as shipped (state and faults). */
  reset(): void;
}

export interface DemoSession {
  readonly store: AppStore;
  readonly journalDir: string;
  readonly demo: DemoSetup;
}

/**
 * What both fronts do to open the demo: a store and journal folder of its own under `dir` (a
 * fresh one each start, so the demo never touches real profiles), the demo profile, and a reset
 * that restores the organization, the profile and the demo token (`keychain()` is the session
 * keychain once the services exist).
 */
export function openDemoSession(dir: string, backend: DemoBackend, keychain: () => Keychain | null): DemoSession {
  rmSync(path.join(dir, 'demo-settings.json'), { force: true });
  // The organization starts as shipped at each launch, so its saved session would describe another state.
  rmSync(path.join(dir, 'sessions'), { recursive: true, force: true });
  const store = createAppStore({ cwd: dir, configName: 'demo-settings' });
  installDemoProfile(store, { baseUrl: backend.url, orgSlug: backend.orgSlug });
  const demo: DemoSetup = {
    profileId: DEMO_PROFILE_ID,
    token: backend.token,
    controller: {
      status: () => ({ active: true, profileId: DEMO_PROFILE_ID, orgSlug: backend.orgSlug, label: DEMO_PROFILE_LABEL, baseUrl: backend.url }),
      reset: async () => {
        backend.reset();
        resetDemoProfile(store);
        // The demo profile may have been given another demo token; back to the admin's.
        await keychain()?.setSecret(DEMO_PROFILE_ID, backend.token);
      },
    },
  };
  return { store, journalDir: path.join(dir, 'journal'), demo };
}

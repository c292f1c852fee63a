import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  /** This instance's demo folder (`dir`/session-…). */
  readonly dir: string;
  /** Removes this instance's demo data; other instances' demos are untouched. */
  close(): void;
}

const OWNER_FILE = 'owner.pid';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Demo folders whose process is gone (a crash, a kill): nobody else will remove them. */
function removeAbandoned(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith('session-')) continue;
    const folder = path.join(dir, name);
    let pid = Number.NaN;
    try {
      pid = Number(readFileSync(path.join(folder, OWNER_FILE), 'utf8').trim());
    } catch {
      // No owner file: a folder being created this instant, or not ours; left alone.
      continue;
    }
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isRunning(pid)) rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * What both fronts do to open the demo: a store and journal folder of this instance's own under
 * `dir` (a fresh one each start, so the demo never touches real profiles, and two instances
 * running at once never share or remove each other's demo), the demo profile, and a reset that
 * restores the organization, the profile and the demo token (`keychain()` is the session keychain
 * once the services exist).
 */
export function openDemoSession(parent: string, backend: DemoBackend, keychain: () => Keychain | null): DemoSession {
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  removeAbandoned(parent);
  const dir = mkdtempSync(path.join(parent, 'session-'));
  writeFileSync(path.join(dir, OWNER_FILE), `${process.pid}\n`, { mode: 0o600 });
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
  return { store, journalDir: path.join(dir, 'journal'), demo, dir, close: () => rmSync(dir, { recursive: true, force: true }) };
}

import { describe, expect, it } from 'vitest';
import { createHandlers, createUnwiredEngine } from '../../../core/app/handlers';
import { createKeychain, keychainHelp } from '../../../core/secrets/index';
import { createAppStore } from '../../../core/store/index';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What @napi-rs/keyring throws on Linux without a session bus (seen on a headless server). */
const NO_BUS = 'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead';
/** ...with a bus but no Secret Service provider on it. */
const NO_SERVICE = 'Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files';

/** The keychain library, replaced by one whose entries fail as the real one does. */
function throwingKeyring(message: string) {
  class AsyncEntry {
    constructor() {
      throw new Error(message);
    }
  }
  return async () => ({ AsyncEntry }) as never;
}

describe('no keychain: plain words and what to do', () => {
  it('turns the raw D-Bus error into an explanation with what to install and run', async () => {
    const kc = createKeychain({ service: 'sentry-harden-test', platform: 'linux', keyring: throwingKeyring(NO_BUS) });
    const err = (await kc.setSecret('profile-x', 'sntryu_whatever').then(
      () => null,
      (e: unknown) => e,
    )) as Error & { code: string; cause: Error };
    expect(err.code).toBe('keychain_unavailable');
    expect(err.message).toMatch(/^There is no D-Bus session on this computer, so no keychain can be reached\./);
    expect(err.message).toMatch(/gnome-keyring/);
    expect(err.message).not.toMatch(/DBus error|X11|autolaunch|DBUS_SESSION_BUS_ADDRESS/);
    // The library's text is kept for a log, as the cause, not in the message.
    expect(err.cause.message).toContain('autolaunch');

    const probe = await kc.probe();
    expect(probe.available).toBe(false);
    if (probe.available) return;
    expect(probe.error.message).not.toMatch(/DBus error/);
    expect(probe.steps?.join('\n')).toMatch(/gnome-keyring[\s\S]*dbus-run-session[\s\S]*SENTRY_AUTH_TOKEN/);
  });

  it('tells a bus without a Secret Service from no bus, and a locked keychain from both', () => {
    expect(keychainHelp('linux', NO_SERVICE).reason).toMatch(/^No keychain service \(Secret Service\) is running/);
    expect(keychainHelp('linux', 'Platform failure: Prompt dismissed').steps[0]).toMatch(/^Unlock the keychain/);
    expect(keychainHelp('darwin', 'errSecInteractionNotAllowed').steps[0]).toMatch(/Keychain Access/);
    expect(keychainHelp('win32', 'Credential Manager error 1312').reason).toMatch(/Windows Credential Manager/);
    for (const p of ['linux', 'darwin', 'win32', 'freebsd'] as const) expect(keychainHelp(p, '').steps.at(-1)).toMatch(/SENTRY_AUTH_TOKEN/);
  });

  it('app:info gives the Connect page the explanation and the steps, never the raw error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-help-'));
    try {
      const handlers = createHandlers({
        store: createAppStore({ cwd: dir }),
        keychain: createKeychain({ service: 'sentry-harden-test', platform: 'linux', keyring: throwingKeyring(NO_BUS) }),
        engine: createUnwiredEngine(),
        app: { version: '0', platform: 'linux', packaged: false, mode: 'web' },
        openExternal: async () => false,
      });
      const info = await handlers['app:info']({}, { sender: { webContentsId: 1, frameUrl: null, isMainFrame: true }, emit: () => undefined });
      expect(info.keychain.available).toBe(false);
      expect(info.keychain.message).toMatch(/no D-Bus session/);
      expect(JSON.stringify(info)).not.toMatch(/DBus error|autolaunch/);
      expect(info.keychain.steps?.length).toBeGreaterThan(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

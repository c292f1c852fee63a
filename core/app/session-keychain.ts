import type { Keychain } from '../secrets/index';
import { SecretsError } from '../secrets/index';

/**
 * The keychain the app uses: the OS keychain for every real profile, and process memory for the
 * demo profile only. The demo's token is a fake that only the built-in simulator accepts, so it
 * never needs (nor gets) a keychain item; a machine without a keychain can still run the demo.
 * Real tokens without a keychain are refused with the OS keychain's own clear message: there is
 * no plaintext fallback.
 */
export function createSessionKeychain(real: Keychain, demo: { readonly profileId: string; readonly token: string } | null): Keychain {
  const memory = new Map<string, string>();
  if (demo) memory.set(demo.profileId, demo.token);
  const isDemo = (account: string): boolean => demo !== null && account === demo.profileId;
  return {
    service: real.service,
    backend: real.backend,
    async setSecret(account, secret) {
      if (!isDemo(account)) return real.setSecret(account, secret);
      // The demo profile talks to the simulator: only the demo's own tokens make sense there.
      if (secret.length === 0) throw new SecretsError('invalid_input', 'The token is empty');
      memory.set(account, secret);
    },
    async getSecret(account) {
      return isDemo(account) ? (memory.get(account) ?? null) : real.getSecret(account);
    },
    async deleteSecret(account) {
      return isDemo(account) ? memory.delete(account) : real.deleteSecret(account);
    },
    probe: () => real.probe(),
  };
}

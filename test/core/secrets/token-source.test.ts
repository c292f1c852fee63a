import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Keychain } from '../../../core/secrets/keychain';
import { SecretsError } from '../../../core/secrets/errors';
import { TOKEN_ENV_VAR, resolveTokenSource } from '../../../core/secrets/token-source';

const TOKEN = `sntryu_${'ab12'.repeat(16)}`;

/** A keychain that keeps secrets in a Map; implements the real interface. */
function memoryKeychain(entries: Record<string, string> = {}): Keychain & { reads: string[] } {
  const map = new Map(Object.entries(entries));
  const reads: string[] = [];
  return {
    service: 'test',
    backend: 'secret-service',
    reads,
    async setSecret(account, secret) {
      map.set(account, secret);
    },
    async getSecret(account) {
      reads.push(account);
      return map.get(account) ?? null;
    },
    async deleteSecret(account) {
      return map.delete(account);
    },
    async probe() {
      return { available: true, backend: 'secret-service' };
    },
  };
}

const pipe = (text: string) => Readable.from([Buffer.from(text)]);

describe('resolveTokenSource', () => {
  it('reads --token-stdin from a pipe, trimming the trailing newline', async () => {
    const source = await resolveTokenSource({ tokenStdin: true, stdin: pipe(`${TOKEN}\n`), env: {} });
    expect(source.origin).toBe('stdin');
    expect(source.getToken()).toBe(TOKEN);
  });

  it('prefers --token-stdin over the environment, and the environment over the keychain', async () => {
    const keychain = memoryKeychain({ p1: 'sntryu_from_keychain_0000000000' });
    const env = { [TOKEN_ENV_VAR]: 'sntryu_from_env_00000000000000' };
    const a = await resolveTokenSource({ tokenStdin: true, stdin: pipe(TOKEN), env, profileId: 'p1', keychain });
    expect([a.origin, a.getToken()]).toEqual(['stdin', TOKEN]);
    const b = await resolveTokenSource({ env, profileId: 'p1', keychain });
    expect([b.origin, b.getToken()]).toEqual(['env', 'sntryu_from_env_00000000000000']);
    expect(keychain.reads).toEqual([]);
    const c = await resolveTokenSource({ env: { [TOKEN_ENV_VAR]: '' }, profileId: 'p1', keychain });
    expect([c.origin, c.profileId, c.getToken()]).toEqual(['keychain', 'p1', 'sntryu_from_keychain_0000000000']);
    expect(keychain.reads).toEqual(['p1']);
  });

  it('refuses a terminal for --token-stdin (it would echo the token)', async () => {
    const tty = Object.assign(pipe(TOKEN), { isTTY: true });
    await expect(resolveTokenSource({ tokenStdin: true, stdin: tty, env: {} })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/pipe, not a terminal/),
    });
  });

  it('refuses empty, spaced or oversized input without echoing it', async () => {
    await expect(resolveTokenSource({ tokenStdin: true, stdin: pipe('\n'), env: {} })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const spaced = 'sntryu_abc def_secretpart';
    const err = await resolveTokenSource({ env: { [TOKEN_ENV_VAR]: spaced } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretsError);
    expect((err as Error).message).not.toContain('secretpart');
    await expect(
      resolveTokenSource({ tokenStdin: true, stdin: pipe('x'.repeat(20_000)), env: {} }),
    ).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/more than/) });
  });

  it('says what to do when there is no token anywhere', async () => {
    await expect(resolveTokenSource({ env: {} })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining(TOKEN_ENV_VAR),
    });
    await expect(resolveTokenSource({ env: {}, profileId: 'p9', keychain: memoryKeychain() })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/No token is saved in the OS keychain for profile "p9"/),
    });
  });

  it('passes keychain failures through as they are', async () => {
    const broken = memoryKeychain();
    broken.getSecret = async () => {
      throw new SecretsError('keychain_unavailable', 'No OS keychain is available (test)');
    };
    await expect(resolveTokenSource({ env: {}, profileId: 'p1', keychain: broken })).rejects.toMatchObject({
      code: 'keychain_unavailable',
    });
  });

  it('holds the token only in the closure: serializing or inspecting the source does not show it', async () => {
    const source = await resolveTokenSource({ env: { [TOKEN_ENV_VAR]: TOKEN } });
    expect(JSON.stringify(source)).not.toContain(TOKEN);
    expect(inspect(source, { depth: 10, showHidden: true })).not.toContain(TOKEN);
    expect(String(Object.values(source))).not.toContain(TOKEN);
    expect(Object.isFrozen(source)).toBe(true);
  });
});

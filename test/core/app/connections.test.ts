import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenInfo } from '../../../core/controls/types';
import type { EngineGateway } from '../../../core/app/handlers';
import { createHandlers, createUnwiredEngine } from '../../../core/app/handlers';
import { createRouter } from '../../../core/app/router';
import { createKeychain, type Keychain } from '../../../core/secrets/index';
import { SentryApiError } from '../../../core/sentry/errors';
import { createAppStore, type AppStore } from '../../../core/store/index';
import type { Result } from '../../../shared/errors';
import { channels } from '../../../shared/ipc/contract';

/**
 * Saved connections with the real Secret Service (run under scripts/with-keyring.sh): a new
 * connection is saved only once Sentry accepted the token and the organization is one it sees;
 * every failed attempt leaves no profile and no keychain entry; switching reads each
 * organization's own token; forgetting removes the keychain entry.
 */

const bus = process.env.DBUS_SESSION_BUS_ADDRESS;
if (!bus) console.warn('[connections] skipped: DBUS_SESSION_BUS_ADDRESS is unset (run the suite under scripts/with-keyring.sh)');

const TOKEN_A = `sntryu_${'a1'.repeat(32)}`;
const TOKEN_B = `sntryu_${'b2'.repeat(32)}`;
const GOOD = 'https://sentry.example.com';
const DOWN = 'https://down.example.com';
const INFO: TokenInfo = { kind: 'user', scopes: ['org:read', 'org:write'], user: { id: '1', email: 'a@example.com', has2fa: true } };

/** Sentry as the handlers see it: two tokens, each seeing its own organization; one host down. */
function fakeSentry(used: string[]): EngineGateway {
  const orgsOf: Record<string, { id: string; slug: string; name: string }[]> = {
    [TOKEN_A]: [{ id: '1', slug: 'acme', name: 'Acme' }],
    [TOKEN_B]: [
      { id: '2', slug: 'globex', name: 'Globex' },
      { id: '3', slug: 'initech', name: 'Initech' },
    ],
  };
  return {
    ...createUnwiredEngine(),
    verifyToken: async (target, token) => {
      if (target.baseUrl === DOWN) throw new SentryApiError({ code: 'unreachable', message: 'Sentry at down.example.com could not be reached' });
      if (!orgsOf[token]) throw new SentryApiError({ code: 'unauthorized', message: 'Sentry refused the token (GET /api/0/)' });
      return INFO;
    },
    listOrganizations: async (_target, getToken) => {
      used.push(getToken());
      return orgsOf[getToken()] ?? [];
    },
  };
}

describe.skipIf(!bus || process.platform !== 'linux')('saved connections with the OS keychain', () => {
  const service = `sentry-harden-test-connections-${process.pid}`;
  let keychain: Keychain;
  let store: AppStore;
  let dir: string;
  let ids: string[];
  let used: string[];
  let call: (channel: string, payload: unknown) => Promise<Result<unknown>>;

  beforeAll(async () => {
    keychain = createKeychain({ service });
    const probe = await keychain.probe();
    if (!probe.available) throw new Error(`the keychain of this session is not reachable: ${probe.error.message}`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connections-'));
    store = createAppStore({ cwd: dir });
    ids = [];
    used = [];
    let n = 0;
    const handlers = createHandlers({
      store,
      keychain,
      engine: fakeSentry(used),
      app: { version: '0', platform: 'linux', packaged: false, mode: 'web' },
      openExternal: async () => false,
      newId: () => {
        const id = `conn-${process.pid}-${++n}`;
        ids.push(id);
        return id;
      },
    });
    const router = createRouter(channels, handlers, () => true);
    call = (channel, payload) => router(channel, { webContentsId: 1, frameUrl: null, isMainFrame: true }, payload);
  });

  afterAll(async () => {
    for (const id of ids) await keychain.deleteSecret(id).catch(() => false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function nothingSaved(): Promise<void> {
    expect(store.listProfiles()).toEqual([]);
    for (const id of ids) expect(await keychain.getSecret(id)).toBeNull();
    expect(fs.existsSync(store.path) ? fs.readFileSync(store.path, 'utf8') : '').not.toContain('sntryu_');
  }

  async function check(baseUrl: string, token: string) {
    return (await call('connection:check', { baseUrl, token })) as Result<{ pendingId: string; baseUrl: string; orgs: { slug: string }[] }>;
  }

  it('a failed attempt saves nothing: bad token, unreachable host, malformed URL, wrong organization, unsavable name', async () => {
    expect(await check(GOOD, `sntryu_${'0'.repeat(40)}`)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await check(DOWN, TOKEN_A)).toMatchObject({ ok: false, error: { code: 'unreachable' } });
    for (const [url, code, says] of [
      ['https://sentry example.com', 'invalid_url', /spaces/],
      ['http://sentry.example.com', 'insecure_url', /https:\/\//],
      ['https://sentry.example.com/?org=acme', 'invalid_url', /query/],
      ['https://sentry.example.com/a|b', 'invalid_url', /characters/],
    ] as const) {
      const r = await check(url, TOKEN_A);
      expect(r).toMatchObject({ ok: false, error: { code } });
      if (!r.ok) {
        expect(r.error.message).toMatch(says);
        expect(r.error.message).not.toMatch(/schema|Invalid request|baseUrl/);
      }
    }
    const checked = await check(GOOD, TOKEN_A);
    if (!checked.ok) throw new Error(checked.error.message);
    expect(checked.value.orgs.map((o) => o.slug)).toEqual(['acme']);
    // An organization the token does not see.
    expect(await call('connection:save', { pendingId: checked.value.pendingId, orgSlug: 'globex', level: 'L1' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringMatching(/does not see an organization "globex"/) },
    });
    // The store refuses the name (it looks like a token) after the keychain took the token: rolled back.
    const refused = await call('connection:save', { pendingId: checked.value.pendingId, orgSlug: 'acme', level: 'L1', label: `My ${TOKEN_B}` });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(ids.length).toBeGreaterThan(0);
    await nothingSaved();
  });

  it('saves a connection only with its organization; switching reads each one its own token; forget removes the keychain entry', async () => {
    const a = await check(GOOD, TOKEN_A);
    const b = await check(`${GOOD}/`, TOKEN_B);
    if (!a.ok || !b.ok) throw new Error('check failed');
    expect(store.listProfiles()).toEqual([]);
    const savedA = (await call('connection:save', { pendingId: a.value.pendingId, orgSlug: 'acme', level: 'L2' })) as Result<{ profile: { id: string; label: string; tokenKind: string } }>;
    const savedB = (await call('connection:save', { pendingId: b.value.pendingId, orgSlug: 'globex', level: 'L1' })) as Result<{ profile: { id: string } }>;
    if (!savedA.ok || !savedB.ok) throw new Error('save failed');
    expect(savedA.value.profile).toMatchObject({ label: 'Acme (sentry.example.com)', tokenKind: 'user' });
    // A pending check is used once.
    expect(await call('connection:save', { pendingId: a.value.pendingId, orgSlug: 'acme', level: 'L1' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const idA = savedA.value.profile.id;
    const idB = savedB.value.profile.id;
    expect(await keychain.getSecret(idA)).toBe(TOKEN_A);
    expect(await keychain.getSecret(idB)).toBe(TOKEN_B);

    // Switch: each organization is opened with its own keychain token.
    used.length = 0;
    expect(await call('org:list', { profileId: idB })).toMatchObject({ ok: true, value: { orgs: [{ slug: 'globex' }, { slug: 'initech' }] } });
    expect(await call('org:list', { profileId: idA })).toMatchObject({ ok: true, value: { orgs: [{ slug: 'acme' }] } });
    expect(used).toEqual([TOKEN_B, TOKEN_A]);

    // Another organization B's token sees becomes a connection of its own; B stays as it was.
    const fromB = (await call('connection:save', { fromProfileId: idB, orgSlug: 'initech', level: 'L1' })) as Result<{ profile: { id: string; orgSlug: string } }>;
    if (!fromB.ok) throw new Error(fromB.error.message);
    const idC = fromB.value.profile.id;
    expect(idC).not.toBe(idB);
    expect(await keychain.getSecret(idC)).toBe(TOKEN_B);
    expect(store.getProfile(idB)?.orgSlug).toBe('globex');
    expect(await call('connection:save', { fromProfileId: idA, orgSlug: 'initech', level: 'L1' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('connection:save', { fromProfileId: idA, pendingId: 'x'.repeat(10), orgSlug: 'acme', level: 'L1' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('profile:delete', { profileId: idC })).toMatchObject({ ok: true });

    // The list: organization, host, token kind; renamed.
    expect(await call('profile:rename', { profileId: idA, label: '  Acme production ' })).toMatchObject({ ok: true, value: { profile: { label: 'Acme production' } } });
    expect(await call('profile:rename', { profileId: idA, label: ' ' })).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'Enter a name for this organization.' } });
    const list = (await call('portfolio:list', {})) as Result<{ entries: { profileId: string; label: string; host: string; tokenKind: string | null }[] }>;
    expect(list.ok && list.value.entries.map((e) => [e.label, e.host, e.tokenKind])).toEqual([
      ['Acme production', 'sentry.example.com', 'user'],
      ['Globex (sentry.example.com)', 'sentry.example.com', 'user'],
    ]);

    // The same organization again is the same connection (its token replaced), not a second one.
    const again = await check(GOOD, TOKEN_A);
    if (!again.ok) throw new Error('check failed');
    expect(await call('connection:save', { pendingId: again.value.pendingId, orgSlug: 'acme', level: 'L2' })).toMatchObject({ ok: true, value: { profile: { id: idA, label: 'Acme production' } } });
    expect(store.listProfiles()).toHaveLength(2);

    // A new token for a saved organization must see that organization.
    expect(await call('auth:setToken', { profileId: idA, token: TOKEN_B })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await keychain.getSecret(idA)).toBe(TOKEN_A);

    // Forget: the profile, its registers and progress, and the keychain entry.
    store.saveWizardProgress(idA, { step: 'level', completed: ['connect'], updatedAt: new Date().toISOString() });
    expect(await call('profile:delete', { profileId: idA })).toEqual({ ok: true, value: { deleted: true, tokenDeleted: true } });
    expect(await keychain.getSecret(idA)).toBeNull();
    expect(store.getProfile(idA)).toBeNull();
    expect(store.getWizardProgress(idA)).toBeNull();
    expect(await keychain.getSecret(idB)).toBe(TOKEN_B);
  });

  it('a self-hosted address is saved in its normalised form, never refused with a schema message', async () => {
    const r = await call('profile:save', { profile: { label: 'Intl', baseUrl: 'https://sëntry.example.com/', orgSlug: 'acme', level: 'L1' } });
    expect(r).toMatchObject({ ok: true, value: { profile: { baseUrl: 'https://xn--sntry-nsa.example.com' } } });
    const bad = await call('profile:save', { profile: { label: 'Bad', baseUrl: 'https://sentry.example.com/a b', orgSlug: 'acme', level: 'L1' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_url' } });
    if (!bad.ok) expect(bad.error.message).not.toMatch(/schema|must match format/i);
  });
});

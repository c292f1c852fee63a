import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TokenInfo } from '../../../core/controls/types';
import { SecretsError } from '../../../core/secrets/errors';
import type { Keychain } from '../../../core/secrets/keychain';
import { SentryApiError } from '../../../core/sentry/errors';
import type { AppStore } from '../../../core/store/index';
import { createAppStore } from '../../../core/store/index';
import type { EngineGateway, ProfileSession } from '../../../core/app/handlers';
import { createHandlers, createUnwiredEngine } from '../../../core/app/handlers';
import type { SenderInfo } from '../../../core/app/router';
import { createRouter, createSenderPolicy } from '../../../core/app/router';
import type { Result } from '../../../shared/errors';
import { CHANNEL_NAMES } from '../../../shared/ipc/channel-names';
import { channels } from '../../../shared/ipc/contract';

const TOKEN = `sntryu_${'c0ffee'.repeat(10)}abcd`;
const INFO: TokenInfo = { kind: 'user', scopes: ['org:read', 'org:write'], user: { id: '42', email: 'c@example.com', has2fa: true } };
const sender: SenderInfo = { webContentsId: 1, frameUrl: 'app://sentry-harden/index.html', isMainFrame: true };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** The Keychain interface over a Map; `unavailable` makes every call fail like a missing bus. */
function memoryKeychain() {
  const items = new Map<string, string>();
  const state = { unavailable: false };
  const fail = () => {
    if (state.unavailable) throw new SecretsError('keychain_unavailable', 'No OS keychain is available (test); the token is not stored');
  };
  const keychain: Keychain = {
    service: 'test',
    backend: 'secret-service',
    async setSecret(account, secret) {
      fail();
      items.set(account, secret);
    },
    async getSecret(account) {
      fail();
      return items.get(account) ?? null;
    },
    async deleteSecret(account) {
      fail();
      return items.delete(account);
    },
    async probe() {
      return state.unavailable
        ? { available: false, backend: 'secret-service', error: { code: 'keychain_unavailable', message: 'No OS keychain is available (test)', retryable: false } }
        : { available: true, backend: 'secret-service' };
    },
  };
  return { keychain, items, state };
}

function fakeEngine(overrides: Partial<EngineGateway> = {}) {
  const seen: { token: string; sessionJson: string }[] = [];
  const record = (s: ProfileSession) => seen.push({ token: s.getToken(), sessionJson: JSON.stringify(s) });
  const engine: EngineGateway = {
    ...createUnwiredEngine(),
    verifyToken: vi.fn(async (_profile, token: string) => {
      if (token !== TOKEN) throw new SentryApiError({ code: 'unauthorized', message: 'Sentry refused the token (GET /api/0/)' });
      return INFO;
    }),
    listOrganizations: async (_target, getToken) => {
      seen.push({ token: getToken(), sessionJson: JSON.stringify(_target) });
      return [
        { id: '1', slug: 'acme', name: 'Acme' },
        { id: '2', slug: 'globex', name: 'Globex' },
      ];
    },
    runAudit: async (s, req) => {
      record(s);
      return {
        runId: 'r1',
        profileId: s.profile.id,
        orgSlug: s.profile.orgSlug,
        level: req.level,
        startedAt: 'a',
        finishedAt: 'b',
        checks: [],
        counts: { pass: 0, fail: 0, error: 0, manual: 0, not_applicable: 0 },
        controls: [],
        baselineRunId: 'r1',
        requests: 0,
        rateLimited: 0,
      };
    },
    ...overrides,
  };
  return { engine, seen };
}

function setup(engineOverrides: Partial<EngineGateway> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handlers-'));
  dirs.push(dir);
  const store: AppStore = createAppStore({ cwd: dir });
  const kc = memoryKeychain();
  const { engine, seen } = fakeEngine(engineOverrides);
  const openExternal = vi.fn(async (url: string) => url.startsWith('https://docs.sentry.io/'));
  let n = 0;
  const handlers = createHandlers({
    store,
    keychain: kc.keychain,
    engine,
    app: { version: '0.1.0', platform: 'linux', packaged: false, mode: 'desktop' },
    openExternal,
    now: () => new Date('2025-03-04T05:06:07.000Z'),
    newId: () => `id-${++n}`,
  });
  const route = createRouter(channels, handlers, createSenderPolicy({ appOrigin: 'app://sentry-harden', webContentsIds: new Set([1]) }));
  const call = (channel: string, payload: unknown) => route(channel, sender, payload);
  return { store, kc, engine, seen, handlers, call, openExternal };
}

const draft = { label: 'Acme', baseUrl: 'https://sentry.io', orgSlug: 'acme', level: 'L1' };

async function newProfile(call: (c: string, p: unknown) => Promise<Result<unknown>>, over: Record<string, unknown> = {}) {
  const r = await call('profile:save', { profile: { ...draft, ...over } });
  if (!r.ok) throw new Error(`profile:save failed: ${r.error.message}`);
  return (r.value as { profile: { id: string } }).profile;
}

describe('handler table', () => {
  it('has one handler per contract channel', () => {
    const { handlers } = setup();
    expect(Object.keys(handlers).sort()).toEqual([...CHANNEL_NAMES].sort());
    for (const c of CHANNEL_NAMES) expect(typeof handlers[c], c).toBe('function');
  });

  it('answers Sentry-facing channels with a clear internal error until the engine is wired', async () => {
    const { call, kc } = setup({ listOrganizations: createUnwiredEngine().listOrganizations });
    const p = await newProfile(call);
    // The token is checked against the profile's organization before it is kept: no list, no token.
    expect(await call('auth:setToken', { profileId: p.id, token: TOKEN })).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(kc.items.size).toBe(0);
    await kc.keychain.setSecret(p.id, TOKEN);
    expect(await call('org:list', { profileId: p.id })).toMatchObject({
      ok: false,
      error: { code: 'internal', message: 'Listing organizations is not available in this build yet' },
    });
  });
});

describe('auth channels', () => {
  it('checks a token with Sentry, keeps it in the keychain only, and never answers with it', async () => {
    const { call, kc, store } = setup();
    const p = await newProfile(call);
    const set = await call('auth:setToken', { profileId: p.id, token: `  ${TOKEN}\n` });
    expect(set).toEqual({ ok: true, value: INFO });
    expect(kc.items.get(p.id)).toBe(TOKEN);
    expect(JSON.stringify(set)).not.toContain(TOKEN);
    expect(fs.readFileSync(store.path, 'utf8')).not.toContain(TOKEN);

    expect(await call('auth:status', { profileId: p.id })).toEqual({ ok: true, value: { hasToken: true, info: INFO } });
    const forgotten = await call('auth:forget', { profileId: p.id });
    expect(forgotten).toEqual({ ok: true, value: { deleted: true } });
    expect(await call('auth:status', { profileId: p.id })).toEqual({ ok: true, value: { hasToken: false, info: null } });
  });

  it('does not keep a token Sentry refuses', async () => {
    const { call, kc } = setup();
    const p = await newProfile(call);
    const r = await call('auth:setToken', { profileId: p.id, token: 'sntryu_wrong_0000000000000000' });
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(kc.items.size).toBe(0);
  });

  it('refuses a token for an unknown profile', async () => {
    const { call, kc, engine } = setup();
    expect(await call('auth:setToken', { profileId: 'ghost', token: TOKEN })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(engine.verifyToken).not.toHaveBeenCalled();
    expect(kc.items.size).toBe(0);
  });

  it('reports a missing keychain as keychain_unavailable and writes the token nowhere', async () => {
    const { call, kc, store } = setup();
    const p = await newProfile(call);
    kc.state.unavailable = true;
    const r = await call('auth:setToken', { profileId: p.id, token: TOKEN });
    expect(r).toMatchObject({ ok: false, error: { code: 'keychain_unavailable' } });
    expect(JSON.stringify(r)).not.toContain(TOKEN);
    expect(fs.readFileSync(store.path, 'utf8')).not.toContain(TOKEN);
    expect(await call('app:info', {})).toMatchObject({
      ok: true,
      value: { keychain: { available: false, backend: 'secret-service', message: 'No OS keychain is available (test)' } },
    });
  });

  it('verifies on request with the stored token', async () => {
    const { call, engine } = setup();
    const p = await newProfile(call);
    await call('auth:setToken', { profileId: p.id, token: TOKEN });
    vi.mocked(engine.verifyToken).mockClear();
    expect(await call('auth:status', { profileId: p.id, verify: true })).toEqual({ ok: true, value: { hasToken: true, info: INFO } });
    expect(engine.verifyToken).toHaveBeenCalledWith(expect.objectContaining({ baseUrl: 'https://sentry.io' }), TOKEN);
  });
});

describe('profile channels', () => {
  it('creates profiles with an id and a creation time chosen by main', async () => {
    const { call } = setup();
    const r = await call('profile:save', { profile: draft });
    expect(r).toEqual({
      ok: true,
      value: { profile: { ...draft, id: 'id-1', createdAt: '2025-03-04T05:06:07.000Z' }, tokenForgotten: false },
    });
    expect(await call('profile:list', {})).toMatchObject({ ok: true, value: { profiles: [{ id: 'id-1' }] } });
    expect(await call('profile:save', { profile: { ...draft, id: 'made-up' } })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('profile:save', { profile: { ...draft, token: TOKEN } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('forgets the token when a profile moves to another Sentry host, not otherwise', async () => {
    const { call, kc } = setup();
    const p = await newProfile(call);
    await call('auth:setToken', { profileId: p.id, token: TOKEN });
    const renamed = await call('profile:save', { profile: { ...draft, id: p.id, label: 'Acme EU', baseUrl: 'https://sentry.io/' } });
    expect(renamed).toMatchObject({ ok: true, value: { tokenForgotten: false, profile: { createdAt: '2025-03-04T05:06:07.000Z' } } });
    expect(kc.items.has(p.id)).toBe(true);
    const moved = await call('profile:save', { profile: { ...draft, id: p.id, baseUrl: 'https://sentry.evil.example' } });
    expect(moved).toMatchObject({ ok: true, value: { tokenForgotten: true } });
    expect(kc.items.has(p.id)).toBe(false);
  });

  it('deletes a profile with its token, and keeps it when the keychain refuses', async () => {
    const { call, kc, store } = setup();
    const a = await newProfile(call);
    const b = await newProfile(call, { label: 'Globex', orgSlug: 'globex' });
    await call('auth:setToken', { profileId: a.id, token: TOKEN });
    await call('auth:setToken', { profileId: b.id, token: TOKEN });
    kc.state.unavailable = true;
    expect(await call('profile:delete', { profileId: a.id })).toMatchObject({ ok: false, error: { code: 'keychain_unavailable' } });
    expect(store.getProfile(a.id)).not.toBeNull();
    kc.state.unavailable = false;
    expect(await call('profile:delete', { profileId: a.id })).toEqual({ ok: true, value: { deleted: true, tokenDeleted: true } });
    expect(store.getProfile(a.id)).toBeNull();
    expect([...kc.items.keys()]).toEqual([b.id]);
  });
});

describe('engine channels', () => {
  it('hand the engine a getToken closure for the right profile, never a token field', async () => {
    const { call, seen } = setup();
    const a = await newProfile(call);
    const b = await newProfile(call, { label: 'Globex', orgSlug: 'globex', level: 'L3' });
    expect(await call('org:list', { profileId: a.id })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    await call('auth:setToken', { profileId: b.id, token: TOKEN });
    expect(await call('org:list', { profileId: b.id })).toMatchObject({ ok: true, value: { orgs: [{ slug: 'acme' }, { slug: 'globex' }] } });
    const audit = await call('audit:run', { profileId: b.id });
    expect(audit).toMatchObject({ ok: true, value: { level: 'L3', orgSlug: 'globex' } });
    // auth:setToken (the organization check), org:list, audit:run.
    expect(seen.map((s) => s.token)).toEqual([TOKEN, TOKEN, TOKEN]);
    for (const s of seen) expect(s.sessionJson).not.toContain(TOKEN);
  });
});

describe('fix:cancel', () => {
  it('passes the progress id to the engine and answers whether a run was cancelled', async () => {
    const asked: string[] = [];
    const { call } = setup({
      cancelApply: async (planId) => {
        asked.push(planId);
        return planId === 'plan_running';
      },
    });
    expect(await call('fix:cancel', { planId: 'plan_running' })).toEqual({ ok: true, value: { cancelled: true } });
    expect(await call('fix:cancel', { planId: 'plan_done' })).toEqual({ ok: true, value: { cancelled: false } });
    expect(await call('fix:cancel', { planId: '' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(asked).toEqual(['plan_running', 'plan_done']);
  });
});

describe('app, wizard, settings and register channels', () => {
  it('round-trip through the store and refuse unknown profiles', async () => {
    const { call, openExternal } = setup();
    const p = await newProfile(call);
    const progress = { step: 'audit', completed: ['connect'], updatedAt: '2025-03-04T05:06:07.000Z' };
    expect(await call('wizard:save', { profileId: p.id, progress })).toEqual({ ok: true, value: { progress } });
    expect(await call('wizard:load', { profileId: p.id })).toEqual({ ok: true, value: { progress } });
    expect(await call('wizard:load', { profileId: 'ghost' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // A step past Connect makes the profile the one a reloaded window resumes.
    expect(await call('settings:get', {})).toMatchObject({ ok: true, value: { settings: { lastProfileId: p.id } } });
    expect(await call('session:get', { profileId: p.id })).toEqual({ ok: true, value: { session: null, problem: null } });
    expect(await call('session:get', { profileId: 'ghost' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('settings:save', { settings: { lastProfileId: p.id } })).toMatchObject({ ok: true, value: { settings: { lastProfileId: p.id } } });
    expect(await call('register:get', { profileId: p.id })).toMatchObject({ ok: true, value: { registers: { exceptions: [] } } });
    expect(await call('app:openExternal', { url: 'https://docs.sentry.io/x' })).toEqual({ ok: true, value: { opened: true } });
    expect(await call('app:openExternal', { url: 'https://evil.example/' })).toEqual({ ok: true, value: { opened: false } });
    expect(openExternal).toHaveBeenCalledTimes(2);
    expect(await call('app:info', {})).toEqual({
      ok: true,
      value: { version: '0.1.0', platform: 'linux', packaged: false, mode: 'desktop', keychain: { available: true, backend: 'secret-service', message: null } },
    });
  });
});

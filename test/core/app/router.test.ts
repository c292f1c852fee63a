import { describe, expect, it, vi } from 'vitest';
import { SecretsError } from '../../../core/secrets/errors';
import { SentryApiError } from '../../../core/sentry/errors';
import { AppError } from '../../../core/app/errors';
import type { Handlers, SenderInfo } from '../../../core/app/router';
import { createRouter, createSenderPolicy, toErrorInfo } from '../../../core/app/router';
import { CHANNEL_NAMES } from '../../../shared/ipc/channel-names';
import type { TokenInfoDto } from '../../../shared/ipc/contract';
import { channels } from '../../../shared/ipc/contract';

const APP = 'app://sentry-harden';
const trustedSender: SenderInfo = { webContentsId: 7, frameUrl: `${APP}/index.html`, isMainFrame: true };
const policy = createSenderPolicy({ appOrigin: APP, webContentsIds: new Set([7]) });

/** A full handler table whose handlers all fail loudly unless a test replaces them. */
function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const table = Object.fromEntries(
    CHANNEL_NAMES.map((c) => [c, async () => { throw new Error(`unexpected call to ${c}`); }]),
  ) as unknown as Handlers;
  return { ...table, ...overrides };
}

const info: TokenInfoDto = { kind: 'user', scopes: ['org:read'], user: { id: '1', email: null, has2fa: true } };

describe('sender policy', () => {
  it('trusts only the main frame of a known window on the app origin', () => {
    expect(policy(trustedSender)).toBe(true);
    expect(policy({ ...trustedSender, isMainFrame: false })).toBe(false);
    expect(policy({ ...trustedSender, webContentsId: 8 })).toBe(false);
    expect(policy({ ...trustedSender, frameUrl: null })).toBe(false);
    for (const url of [
      'https://sentry-harden/index.html',
      'app://sentry-harden.evil.example/index.html',
      'app://evil/index.html',
      'app://sentry-harden@evil/index.html',
      'app://x@sentry-harden/index.html',
      'app://sentry-harden:444/index.html',
      'file:///app/index.html',
      'about:blank',
      'not a url',
    ]) {
      expect(policy({ ...trustedSender, frameUrl: url }), url).toBe(false);
    }
  });
});

describe('router', () => {
  it('answers a valid call from the app window with the handler value, parsed by the contract', async () => {
    const route = createRouter(channels, handlers({ 'profile:list': async () => ({ profiles: [] }) }), policy);
    expect(await route('profile:list', trustedSender, {})).toEqual({ ok: true, value: { profiles: [] } });
  });

  it('refuses an untrusted sender before anything else, without calling the handler', async () => {
    const spy = vi.fn(async () => ({ profiles: [] }));
    const route = createRouter(channels, handlers({ 'profile:list': spy }), policy);
    for (const sender of [
      { ...trustedSender, isMainFrame: false },
      { ...trustedSender, webContentsId: 99 },
      { ...trustedSender, frameUrl: 'https://evil.example/' },
    ]) {
      const result = await route('profile:list', sender, {});
      expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    }
    // Even an unknown channel gets the same answer from an untrusted sender.
    expect(await route('nope:nope', { ...trustedSender, webContentsId: 99 }, {})).toMatchObject({ error: { code: 'forbidden' } });
    expect(spy).not.toHaveBeenCalled();
  });

  it('treats a throwing sender check as untrusted', async () => {
    const onUnexpectedError = vi.fn();
    const route = createRouter(channels, handlers(), () => { throw new Error('boom'); }, { onUnexpectedError });
    expect(await route('profile:list', trustedSender, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(onUnexpectedError).toHaveBeenCalled();
  });

  it('refuses unknown channels, including prototype keys', async () => {
    const route = createRouter(channels, handlers(), policy);
    for (const channel of ['auth:getToken', '__proto__', 'constructor', 'toString', '']) {
      expect(await route(channel, trustedSender, {}), channel).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', message: expect.stringMatching(/^Unknown channel/) },
      });
    }
  });

  it('refuses a payload that does not match the request schema, naming the field and not the value', async () => {
    const spy = vi.fn(async () => info);
    const route = createRouter(channels, handlers({ 'auth:setToken': spy }), policy);
    const bad = await route('auth:setToken', trustedSender, { profileId: 'p1', token: 'sntryu_abc secretpart' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', retryable: false } });
    expect(!bad.ok && bad.error.message).toMatch(/^Invalid request for auth:setToken: token: /);
    expect(JSON.stringify(bad)).not.toContain('secretpart');
    for (const payload of [undefined, null, 'p1', [], { profileId: 'p1' }, { profileId: 'p1', token: 'x', extra: 1 }]) {
      expect(await route('auth:setToken', trustedSender, payload)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('hands the handler the parsed request (a pasted token arrives trimmed)', async () => {
    const spy = vi.fn(async () => info);
    const route = createRouter(channels, handlers({ 'auth:setToken': spy }), policy);
    await route('auth:setToken', trustedSender, { profileId: 'p1', token: ' sntryu_abc\n' });
    expect(spy).toHaveBeenCalledWith({ profileId: 'p1', token: 'sntryu_abc' }, expect.objectContaining({ sender: trustedSender }));
  });

  it('maps expected errors to their codes and messages', async () => {
    const cases: [Error, string, boolean][] = [
      [new SentryApiError({ code: 'rate_limited', message: 'Sentry rate-limited GET /api/0/', retryable: true }), 'rate_limited', true],
      [new SecretsError('keychain_unavailable', 'No OS keychain is available (x)'), 'keychain_unavailable', false],
      [new AppError('not_found', 'No profile "p1"'), 'not_found', false],
    ];
    for (const [error, code, retryable] of cases) {
      const route = createRouter(channels, handlers({ 'profile:list': async () => { throw error; } }), policy);
      expect(await route('profile:list', trustedSender, {})).toEqual({
        ok: false,
        error: { code, message: error.message, retryable },
      });
    }
  });

  it('turns unexpected errors into a generic internal error and reports them to main only', async () => {
    const onUnexpectedError = vi.fn();
    const secretish = new Error('database at /home/me/secret-path exploded');
    const route = createRouter(channels, handlers({ 'profile:list': async () => { throw secretish; } }), policy, { onUnexpectedError });
    const result = await route('profile:list', trustedSender, {});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error while handling profile:list', retryable: false } });
    expect(onUnexpectedError).toHaveBeenCalledWith('profile:list', secretish);
    // A thrown value with a made-up code is not trusted either.
    const weird = createRouter(channels, handlers({ 'profile:list': async () => { throw { code: 'pwned', message: 'x' }; } }), policy);
    expect(await weird('profile:list', trustedSender, {})).toMatchObject({ error: { code: 'internal' } });
  });

  it('checks the handler answer against the contract and strips unnamed fields', async () => {
    const onUnexpectedError = vi.fn();
    const leaky = createRouter(
      channels,
      handlers({ 'auth:setToken': async () => ({ ...info, token: 'sntryu_leak' }) as typeof info }),
      policy,
    );
    const ok = await leaky('auth:setToken', trustedSender, { profileId: 'p1', token: 'sntryu_abc' });
    expect(ok.ok).toBe(true);
    expect(JSON.stringify(ok)).not.toContain('sntryu_leak');

    const wrong = createRouter(channels, handlers({ 'profile:list': async () => ({ profiles: 'nope' }) as never }), policy, { onUnexpectedError });
    expect(await wrong('profile:list', trustedSender, {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(onUnexpectedError).toHaveBeenCalled();
  });

  it('refuses a channel whose handler is missing at run time', async () => {
    const table = handlers() as Record<string, unknown>;
    delete table['profile:list'];
    const route = createRouter(channels, table as unknown as Handlers, policy);
    expect(await route('profile:list', trustedSender, {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('passes an emitter to handlers for events', async () => {
    const emit = vi.fn();
    const route = createRouter(
      channels,
      handlers({
        'audit:cancel': async ({ runId }, ctx) => {
          ctx.emit('audit:progress', { runId, completed: 1, total: 2, control: '1.1' });
          return { cancelled: true };
        },
      }),
      policy,
    );
    expect(await route('audit:cancel', trustedSender, { runId: 'r1' }, emit)).toEqual({ ok: true, value: { cancelled: true } });
    expect(emit).toHaveBeenCalledWith('audit:progress', { runId: 'r1', completed: 1, total: 2, control: '1.1' });
  });
});

describe('toErrorInfo', () => {
  it('accepts only known codes with a string message', () => {
    expect(toErrorInfo(new AppError('timeout', 't', { retryable: true }))).toEqual({ code: 'timeout', message: 't', retryable: true });
    expect(toErrorInfo({ code: 'timeout', message: 't' })).toEqual({ code: 'timeout', message: 't', retryable: false });
    expect(toErrorInfo(new Error('x'))).toBeNull();
    expect(toErrorInfo('timeout')).toBeNull();
    expect(toErrorInfo({ code: 'timeout' })).toBeNull();
  });
});

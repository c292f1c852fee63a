import { describe, expect, it } from 'vitest';
import { UNCHOSEN_ORG_SLUG } from '../../renderer/steps/connect/connect.slice';
import { baseUrlFor, tokenPageUrl } from '../../renderer/steps/connect/hosts';
import { advanceBlocker, canAdvance, chosenOrgSlug } from '../../renderer/store/selectors';
import { TOKEN, deferred, err, ok } from './fake-bridge';
import type { FakeHandler } from './fake-bridge';
import { connected, harness } from './helpers';

describe('connect slice', () => {
  it('sends the token once to auth:setToken and never keeps it in state', async () => {
    const gate = deferred<void>();
    const h = harness();
    const original = h.bridge;
    let seen = '';
    const setToken: FakeHandler<'auth:setToken'> = async ({ token }) => {
      seen = token;
      await gate.promise;
      return ok({ kind: 'user', scopes: ['org:admin'], user: null });
    };
    original.handle('auth:setToken', setToken);

    await h.s().connect.init();
    expect(h.s().connect.token.status).toBe('idle');
    const pending = h.s().connect.submitToken(`  ${TOKEN}  `);
    await new Promise((r) => setTimeout(r, 5));
    expect(h.s().connect.token.status).toBe('running');
    expect(JSON.stringify(h.s())).not.toContain(TOKEN);
    gate.resolve();
    expect(await pending).toBe(true);

    expect(seen.trim()).toBe(TOKEN);
    expect(h.bridge.callsOf('auth:setToken')).toHaveLength(1);
    // Nothing else ever carried the token.
    const others = h.bridge.calls.filter((c) => c.channel !== 'auth:setToken');
    expect(JSON.stringify(others)).not.toContain(TOKEN);
    expect(JSON.stringify(h.s())).not.toContain(TOKEN);
    expect(h.s().connect.token.status).toBe('done');
    expect(h.s().connect.scopeCheck.status).toBe('done');
    expect(h.s().connect.orgs.status).toBe('done');
  });

  it('creates the profile with a placeholder slug, then saves the chosen organization', async () => {
    const h = harness();
    await h.s().connect.submitToken(TOKEN);
    const [first] = h.bridge.callsOf('profile:save');
    expect(first?.profile.orgSlug).toBe(UNCHOSEN_ORG_SLUG);
    expect(first?.profile.baseUrl).toBe('https://sentry.io');
    expect(chosenOrgSlug(h.s().connect)).toBeNull();
    expect(canAdvance(h.s(), 'connect')).toBe(false);
    expect(advanceBlocker(h.s(), 'connect')).toMatch(/organization/);

    await h.s().connect.chooseOrg('acme');
    const last = h.bridge.callsOf('profile:save').at(-1);
    expect(last?.profile).toMatchObject({ id: h.s().connect.profile?.id, orgSlug: 'acme', label: 'Acme (sentry.io)' });
    expect(chosenOrgSlug(h.s().connect)).toBe('acme');
    expect(canAdvance(h.s(), 'connect')).toBe(true);
    // The registers of the chosen organization are loaded for the later steps.
    expect(h.bridge.callsOf('register:get')).toEqual([{ profileId: h.s().connect.profile?.id }]);
  });

  it('shows the error code where the token was refused and keeps nothing', async () => {
    const h = harness();
    expect(await h.s().connect.submitToken('bad')).toBe(false);
    const token = h.s().connect.token;
    expect(token.status).toBe('failed');
    expect(token.status === 'failed' && token.error.code).toBe('unauthorized');
    expect(h.s().connect.orgs.status).toBe('idle');
    expect(h.bridge.callsOf('org:list')).toHaveLength(0);
    expect(canAdvance(h.s(), 'connect')).toBe(false);
  });

  it('refuses a self-hosted connection without a URL before sending anything', async () => {
    const h = harness();
    h.s().connect.chooseHost('self-hosted');
    expect(await h.s().connect.submitToken(TOKEN)).toBe(false);
    const token = h.s().connect.token;
    expect(token.status === 'failed' && token.error.code).toBe('invalid_url');
    expect(h.bridge.calls.filter((c) => c.channel === 'auth:setToken' || c.channel === 'profile:save')).toHaveLength(0);

    h.s().connect.setCustomUrl('sentry.example.com/');
    await h.s().connect.submitToken(TOKEN);
    expect(h.bridge.callsOf('profile:save')[0]?.profile.baseUrl).toBe('https://sentry.example.com');
  });

  it('a profile:save refusal is shown as the token step error with its code', async () => {
    const h = harness({ 'profile:save': () => err('keychain_unavailable', 'no Secret Service') });
    await h.s().connect.submitToken(TOKEN);
    const token = h.s().connect.token;
    expect(token.status === 'failed' && token.error.code).toBe('keychain_unavailable');
    expect(h.bridge.callsOf('auth:setToken')).toHaveLength(0);
  });

  it('the demo organization connects without a token from the window', async () => {
    const h = harness();
    await h.s().connect.init();
    await h.s().connect.useDemo();
    const c = h.s().connect;
    expect(c.usingDemo).toBe(true);
    expect(c.profile?.id).toBe('demo');
    expect(chosenOrgSlug(c)).toBe('acme-demo');
    expect(c.token.status).toBe('done');
    expect(h.bridge.callsOf('auth:setToken')).toHaveLength(0);
    expect(h.bridge.callsOf('auth:status')).toEqual([{ profileId: 'demo', verify: true }]);
    expect(canAdvance(h.s(), 'connect')).toBe(true);
  });

  it('the demo is not offered when main says it is not active', async () => {
    const h = harness({ 'demo:status': () => ok({ active: false, profileId: null, orgSlug: null, label: null, baseUrl: null }) });
    await h.s().connect.init();
    await h.s().connect.useDemo();
    expect(h.s().connect.usingDemo).toBe(false);
    expect(h.bridge.callsOf('auth:status')).toHaveLength(0);
  });

  it('switching the host drops what was checked for the previous one', async () => {
    const h = await connected();
    h.s().connect.chooseHost('eu');
    expect(h.s().connect.profile).toBeNull();
    expect(h.s().connect.token.status).toBe('idle');
    expect(canAdvance(h.s(), 'connect')).toBe(false);
  });

  it('submitToken writes only the connect slice', async () => {
    const h = harness();
    const before = h.s();
    await h.s().connect.submitToken(TOKEN);
    const after = h.s();
    for (const key of Object.keys(before) as (keyof typeof before)[]) {
      if (key === 'connect') expect(after[key]).not.toBe(before[key]);
      else expect(after[key]).toBe(before[key]);
    }
  });

  it('forgetting the token calls auth:forget and starts over', async () => {
    const h = await connected();
    const id = h.s().connect.profile?.id;
    await h.s().connect.forgetToken();
    expect(h.bridge.callsOf('auth:forget')).toEqual([{ profileId: id }]);
    expect(h.s().connect.profile).toBeNull();
    expect(h.s().connect.forget.status).toBe('done');
  });
});

describe('hosts', () => {
  it('maps the choices to base URLs and token pages', () => {
    expect(baseUrlFor('sentry', '')).toBe('https://sentry.io');
    expect(baseUrlFor('eu', '')).toBe('https://de.sentry.io');
    expect(baseUrlFor('self-hosted', ' https://sentry.example.com/ ')).toBe('https://sentry.example.com');
    expect(tokenPageUrl('eu', 'https://de.sentry.io')).toBe('https://sentry.io/settings/account/api/auth-tokens/');
    expect(tokenPageUrl('self-hosted', 'https://s.example.com')).toBe('https://s.example.com/settings/account/api/auth-tokens/');
    expect(tokenPageUrl('self-hosted', '')).toBeNull();
  });
});

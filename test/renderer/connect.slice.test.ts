import { describe, expect, it } from 'vitest';
import { baseUrlFor, checkTypedUrl, tokenPageUrl } from '../../renderer/steps/connect/hosts';
import { advanceBlocker, canAdvance, chosenOrgSlug } from '../../renderer/store/selectors';
import { TOKEN, deferred, err, ok } from './fake-bridge';
import type { FakeHandler } from './fake-bridge';
import { connected, harness } from './helpers';

const need = { required: ['org:admin'], missing: [], extra: [], satisfied: true };

describe('connect slice', () => {
  it('sends the token once to connection:check and never keeps it in state', async () => {
    const gate = deferred<void>();
    const h = harness();
    const original = h.bridge;
    let seen = '';
    const check: FakeHandler<'connection:check'> = async ({ token, baseUrl }) => {
      seen = token;
      await gate.promise;
      return ok({
        pendingId: 'pending-x',
        baseUrl,
        info: { kind: 'user', scopes: ['org:admin'], user: null },
        orgs: [{ id: '42', slug: 'acme', name: 'Acme' }],
        scopeCheck: { checked: true, heldScopes: ['org:admin'], audit: need, fix: need, authPageUrl: null },
      });
    };
    original.handle('connection:check', check);

    await h.s().connect.init();
    expect(h.s().connect.token.status).toBe('idle');
    const pending = h.s().connect.submitToken(`  ${TOKEN}  `);
    await new Promise((r) => setTimeout(r, 5));
    expect(h.s().connect.token.status).toBe('running');
    expect(JSON.stringify(h.s())).not.toContain(TOKEN);
    gate.resolve();
    expect(await pending).toBe(true);

    expect(seen.trim()).toBe(TOKEN);
    expect(h.bridge.callsOf('connection:check')).toHaveLength(1);
    // Nothing else ever carried the token.
    const others = h.bridge.calls.filter((c) => c.channel !== 'connection:check');
    expect(JSON.stringify(others)).not.toContain(TOKEN);
    expect(JSON.stringify(h.s())).not.toContain(TOKEN);
    expect(h.s().connect.token.status).toBe('done');
    expect(h.s().connect.scopeCheck.status).toBe('done');
    expect(h.s().connect.orgs.status).toBe('done');
  });

  it('saves nothing until the organization is chosen, then saves the connection once', async () => {
    const h = harness();
    await h.s().connect.submitToken(TOKEN);
    expect(h.bridge.callsOf('profile:save')).toHaveLength(0);
    expect(h.bridge.callsOf('connection:save')).toHaveLength(0);
    expect(h.s().connect.profile).toBeNull();
    expect(chosenOrgSlug(h.s().connect)).toBeNull();
    expect(canAdvance(h.s(), 'connect')).toBe(false);
    expect(advanceBlocker(h.s(), 'connect')).toMatch(/organization/);

    await h.s().connect.chooseOrg('acme');
    expect(h.bridge.callsOf('connection:save')).toEqual([{ pendingId: 'pending-1', orgSlug: 'acme', level: 'L1' }]);
    expect(h.s().connect.profile).toMatchObject({ orgSlug: 'acme', label: 'Acme (sentry.io)', baseUrl: 'https://sentry.io' });
    expect(h.s().connect.pendingId).toBeNull();
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
    expect(h.s().connect.pendingId).toBeNull();
    expect(h.bridge.calls.filter((c) => ['profile:save', 'connection:save', 'auth:setToken', 'org:list'].includes(c.channel))).toHaveLength(0);
    expect(canAdvance(h.s(), 'connect')).toBe(false);
  });

  it('refuses a malformed self-hosted URL with the policy message before sending anything', async () => {
    const h = harness();
    h.s().connect.chooseHost('self-hosted');
    expect(await h.s().connect.submitToken(TOKEN)).toBe(false);
    const token = h.s().connect.token;
    expect(token.status === 'failed' && token.error.code).toBe('invalid_url');
    expect(token.status === 'failed' && token.error.message).toMatch(/Enter the address of your Sentry server, like https:\/\/sentry\.example\.com/);
    for (const [typed, says] of [
      ['http://sentry.example.com', /https:\/\//],
      ['https://sentry.example.com/?org=acme', /query/],
      ['https://sentry example.com', /spaces/],
    ] as const) {
      const checked = checkTypedUrl('self-hosted', typed);
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.error.message).toMatch(says);
    }
    expect(checkTypedUrl('self-hosted', 'http://localhost:9000/')).toEqual({ ok: true, value: 'http://localhost:9000' });
    expect(h.bridge.calls.filter((c) => c.channel === 'connection:check' || c.channel === 'profile:save')).toHaveLength(0);

    h.s().connect.setCustomUrl('sentry.example.com/');
    await h.s().connect.submitToken(TOKEN);
    expect(h.bridge.callsOf('connection:check')[0]?.baseUrl).toBe('https://sentry.example.com');
  });

  it('a connection:save refusal (keychain) is shown with its code and nothing is connected', async () => {
    const h = harness({ 'connection:save': () => err('keychain_unavailable', 'No keychain service (Secret Service) is running in this session.') });
    await h.s().connect.submitToken(TOKEN);
    await h.s().connect.chooseOrg('acme');
    const org = h.s().connect.org;
    expect(org.status === 'failed' && org.error.code).toBe('keychain_unavailable');
    expect(h.s().connect.profile).toBeNull();
    expect(chosenOrgSlug(h.s().connect)).toBeNull();
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

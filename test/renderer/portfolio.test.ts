import { describe, expect, it } from 'vitest';
import { chosenOrgSlug } from '../../renderer/store/selectors';
import { TOKEN, err } from './fake-bridge';
import { harness } from './helpers';

describe('the portfolio on the Connect step', () => {
  it('lists the saved organizations and opens one with its saved token, never sending a token', async () => {
    const h = harness();
    // A first connection, saved the usual way.
    await h.s().connect.submitToken(TOKEN);
    await h.s().connect.chooseOrg('acme');
    const saved = h.s().connect.profile!;
    // A fresh window: nothing is connected until the person picks an organization.
    const fresh = harness();
    for (const call of h.bridge.callsOf('profile:save')) await fresh.bridge.invoke['profile:save'](call);
    await fresh.bridge.invoke['auth:setToken']({ profileId: saved.id, token: TOKEN });
    fresh.bridge.calls.length = 0;
    await fresh.s().connect.init();
    const portfolio = fresh.s().connect.portfolio;
    expect(portfolio.status).toBe('done');
    if (portfolio.status !== 'done') return;
    expect(portfolio.value.map((e) => e.profileId)).toContain(saved.id);
    expect(chosenOrgSlug(fresh.s().connect)).toBeNull();

    await fresh.s().connect.openProfile(saved.id);
    expect(fresh.s().connect.token.status).toBe('done');
    expect(chosenOrgSlug(fresh.s().connect)).toBe('acme');
    expect(fresh.bridge.callsOf('auth:status')).toEqual([{ profileId: saved.id, verify: true }]);
    expect(fresh.bridge.callsOf('auth:setToken')).toHaveLength(0);
    expect(JSON.stringify(fresh.bridge.calls)).not.toContain(TOKEN);
    expect(JSON.stringify(fresh.s())).not.toContain(TOKEN);
    h.dispose();
    fresh.dispose();
  });

  it('says plainly when a saved organization has no token, and when the list cannot be read', async () => {
    const h = harness({ 'portfolio:list': () => err('internal', 'The settings file cannot be read') });
    await h.s().connect.init();
    expect(h.s().connect.portfolio.status).toBe('failed');
    await h.bridge.invoke['profile:save']({ profile: { id: 'p9', label: 'Beta', baseUrl: 'https://sentry.example.com', orgSlug: 'beta', level: 'L1' } });
    await h.s().connect.openProfile('p9');
    const token = h.s().connect.token;
    expect(token.status).toBe('failed');
    if (token.status === 'failed') expect(token.error.message).toMatch(/No token is saved/);
    expect(h.s().connect.host).toBe('self-hosted');
    expect(h.s().connect.customUrl).toBe('https://sentry.example.com');
    await h.s().connect.openProfile('gone');
    const gone = h.s().connect.token;
    if (gone.status === 'failed') expect(gone.error.message).toMatch(/no longer exists/);
    h.dispose();
  });
});

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
    const { id, label, baseUrl, orgSlug, level } = saved;
    await fresh.bridge.invoke['profile:save']({ profile: { id, label, baseUrl, orgSlug, level } });
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

  it('renames a saved organization and forgets one, leaving the connection when it was open', async () => {
    const h = harness();
    await h.s().connect.init();
    await h.s().connect.submitToken(TOKEN);
    await h.s().connect.chooseOrg('acme');
    const id = h.s().connect.profile!.id;
    expect(await h.s().connect.renameProfile(id, '  Acme production  ')).toBe(true);
    expect(h.bridge.callsOf('profile:rename')).toEqual([{ profileId: id, label: '  Acme production  ' }]);
    expect(h.s().connect.profile?.label).toBe('Acme production');
    const list = h.s().connect.portfolio;
    expect(list.status === 'done' && list.value.find((e) => e.profileId === id)?.label).toBe('Acme production');

    expect(await h.s().connect.renameProfile(id, '   ')).toBe(false);
    const refused = h.s().connect.listAction;
    expect(refused.status === 'failed' && refused.error.message).toMatch(/Enter a name/);

    expect(await h.s().connect.forgetProfile(id)).toBe(true);
    expect(h.bridge.callsOf('profile:delete')).toEqual([{ profileId: id }]);
    expect(h.s().connect.profile).toBeNull();
    expect(chosenOrgSlug(h.s().connect)).toBeNull();
    const after = h.s().connect.portfolio;
    expect(after.status === 'done' && after.value.map((e) => e.profileId)).not.toContain(id);
    h.dispose();
  });

  it('another organization of the same token becomes a connection of its own, the first one unchanged', async () => {
    const h = harness();
    await h.s().connect.submitToken(TOKEN);
    await h.s().connect.chooseOrg('acme');
    const acme = h.s().connect.profile!;
    await h.s().connect.chooseOrg('other');
    expect(h.bridge.callsOf('connection:save').at(-1)).toEqual({ fromProfileId: acme.id, orgSlug: 'other', level: 'L1' });
    expect(h.s().connect.profile?.id).not.toBe(acme.id);
    expect(chosenOrgSlug(h.s().connect)).toBe('other');
    expect(h.bridge.callsOf('profile:save')).toHaveLength(0);
    const list = h.s().connect.portfolio;
    expect(list.status === 'done' && list.value.map((e) => e.orgSlug).sort()).toEqual(['acme', 'acme-demo', 'other']);
    h.dispose();
  });

  it('a new token for a saved organization goes to that profile (auth:setToken), checked first', async () => {
    const h = harness();
    await h.bridge.invoke['profile:save']({ profile: { id: 'p9', label: 'Beta', baseUrl: 'https://sentry.example.com', orgSlug: 'beta', level: 'L1' } });
    await h.s().connect.openProfile('p9');
    expect(await h.s().connect.submitToken('bad')).toBe(false);
    expect(h.s().connect.profile?.id).toBe('p9');
    expect(await h.s().connect.submitToken(TOKEN)).toBe(true);
    expect(h.bridge.callsOf('auth:setToken').map((c) => c.profileId)).toEqual(['p9', 'p9']);
    expect(h.bridge.callsOf('connection:check')).toHaveLength(0);
    expect(chosenOrgSlug(h.s().connect)).toBe('beta');
    h.dispose();
  });
});

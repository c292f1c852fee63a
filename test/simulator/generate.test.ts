import { describe, expect, it } from 'vitest';
import { generateOrg, startSimulator } from '../../simulator';
import { call, collectAll } from './helpers';

describe('generateOrg', () => {
  it('builds 1,000 projects x 2 keys, 5,000 members, 200 teams, 30 integrations', () => {
    const t0 = performance.now();
    const gen = generateOrg({ projects: 1000, keysPerProject: 2, members: 5000, teams: 200, integrations: 30, seed: 42 });
    const ms = performance.now() - t0;
    console.log(`generateOrg(1000 projects x 2 keys, 5000 members, 200 teams, 30 integrations): ${ms.toFixed(0)} ms`);
    const org = gen.org;
    expect(org.projects.length).toBe(1000);
    expect(org.projects.every((p) => p.keys.length === 2)).toBe(true);
    expect(org.members.length).toBe(5000);
    expect(org.teams.length).toBe(200);
    expect(org.integrations.length + org.sentryApps.length).toBe(30);
    // A realistic mix: some bad and some good of each.
    expect(org.projects.some((p) => p.teamIds.length === 0)).toBe(true);
    expect(org.projects.some((p) => !p.settings.dataScrubber)).toBe(true);
    expect(org.projects.some((p) => p.settings.dataScrubber)).toBe(true);
    const keys = org.projects.flatMap((p) => p.keys);
    expect(keys.some((k) => k.rateLimit === null)).toBe(true);
    expect(keys.some((k) => k.rateLimit !== null)).toBe(true);
    expect(new Set(keys.map((k) => k.id)).size).toBe(2000);
    const users = new Map(gen.state.users.map((u) => [u.id, u]));
    expect(org.members.some((m) => m.userId && !users.get(m.userId)?.has2fa)).toBe(true);
    expect(org.members.some((m) => m.userId === null)).toBe(true);
    expect(org.sentryApps.some((a) => a.scopes.includes('org:admin'))).toBe(true);
  });

  it('is deterministic for a seed and different across seeds', () => {
    const opts = { projects: 20, keysPerProject: 2, members: 50, teams: 5, integrations: 6, seed: 9, now: new Date('2026-01-01T00:00:00Z') };
    expect(JSON.stringify(generateOrg(opts).state)).toBe(JSON.stringify(generateOrg(opts).state));
    expect(JSON.stringify(generateOrg({ ...opts, seed: 10 }).state)).not.toBe(JSON.stringify(generateOrg(opts).state));
  });

  it('serves a large org: all 5,000 members over 50 pages', async () => {
    const gen = generateOrg({ projects: 50, keysPerProject: 2, members: 5000, teams: 20, integrations: 3, seed: 1 });
    const sim = await startSimulator({ state: gen.state });
    try {
      const t0 = performance.now();
      const all = await collectAll(sim.url, `/api/0/organizations/${gen.org.slug}/members/`, gen.tokens.admin);
      console.log(`5000 members in ${all.pages} pages: ${(performance.now() - t0).toFixed(0)} ms`);
      const listed = gen.org.members.filter((m) => m.userId === null || gen.state.users.find((u) => u.id === m.userId)?.isActive);
      expect(all.items.length).toBe(listed.length);
      expect((await call(sim.url, `/api/0/organizations/${gen.org.slug}/`, { token: gen.tokens.admin })).status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});

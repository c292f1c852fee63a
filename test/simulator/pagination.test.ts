import { afterAll, describe, expect, it } from 'vitest';
import { createDemoState, generateOrg, startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator';
import { call, collectAll, parseLink } from './helpers';

/** An org with exactly `n` projects, served by its own simulator. */
async function withProjects(n: number, publicUrl?: string): Promise<{ sim: RunningSimulator; token: string; slug: string }> {
  const gen = generateOrg({ projects: n, keysPerProject: 1, members: 3, teams: 2, integrations: 0, seed: 7 });
  const sim = await startSimulator({ state: gen.state, publicUrl });
  return { sim, token: gen.tokens.admin, slug: gen.org.slug };
}

describe('pagination', () => {
  const sims: RunningSimulator[] = [];
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.close()));
  });

  for (const n of [0, 1, 100, 101]) {
    it(`lists exactly ${n} projects with correct Link results flags`, async () => {
      const { sim, token, slug } = await withProjects(n);
      sims.push(sim);
      const path = `/api/0/organizations/${slug}/projects/`;
      const first = await call(sim.url, path, { token });
      expect(first.status).toBe(200);
      const links = parseLink(first.headers.get('link'));
      expect(links.map((l) => l.rel)).toEqual(['previous', 'next']);
      expect(links[0]?.results).toBe(false);
      expect(links[1]?.results).toBe(n > 100);
      expect((first.json() as unknown[]).length).toBe(Math.min(n, 100));
      const all = await collectAll(sim.url, path, token);
      expect(all.items.length).toBe(n);
      expect(new Set(all.items.map((p) => (p as { id: string }).id)).size).toBe(n);
      expect(all.pages).toBe(n > 100 ? 2 : 1);
    });
  }

  it('renders the Link header exactly, with the ?& quirk and the configured public URL', async () => {
    const { sim, token, slug } = await withProjects(3, 'https://sentry.example.invalid');
    sims.push(sim);
    const res = await call(sim.url, `/api/0/organizations/${slug}/projects/?per_page=2`, { token });
    expect(res.headers.get('link')).toBe(
      `<https://sentry.example.invalid/api/0/organizations/${slug}/projects/?per_page=2&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", ` +
        `<https://sentry.example.invalid/api/0/organizations/${slug}/projects/?per_page=2&cursor=0:2:0>; rel="next"; results="true"; cursor="0:2:0"`,
    );
    const bare = await call(sim.url, `/api/0/organizations/${slug}/projects/`, { token });
    expect(bare.headers.get('link')).toContain(`/projects/?&cursor=0:0:1>`);
    const second = await call(sim.url, `/api/0/organizations/${slug}/projects/?per_page=2&cursor=0:2:0`, { token });
    const links = parseLink(second.headers.get('link'));
    expect(links[0]).toMatchObject({ rel: 'previous', results: true, cursor: '0:2:1' });
    expect(links[1]).toMatchObject({ rel: 'next', results: false });
    expect((second.json() as unknown[]).length).toBe(1);
    // Going back with the previous cursor gives the first page again.
    const back = await call(sim.url, `/api/0/organizations/${slug}/projects/?per_page=2&cursor=0:2:1`, { token });
    expect((back.json() as { id: string }[]).map((p) => p.id)).toEqual(
      ((await call(sim.url, `/api/0/organizations/${slug}/projects/?per_page=2`, { token })).json() as { id: string }[]).map((p) => p.id),
    );
  });

  it('rejects bad per_page and cursor values with Sentry’s 400 messages', async () => {
    const sim = await startSimulator({ state: createDemoState() });
    sims.push(sim);
    const path = '/api/0/organizations/acme-demo/members/';
    for (const bad of ['0', '101', '-3']) {
      const res = await call(sim.url, `${path}?per_page=${bad}`);
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ detail: 'Invalid per_page value. Must be between 1 and 100.' });
    }
    const nan = await call(sim.url, `${path}?per_page=abc`);
    expect(nan.status).toBe(400);
    expect(nan.json()).toEqual({ detail: 'Invalid per_page parameter.' });
    const cursor = await call(sim.url, `${path}?cursor=nonsense`);
    expect(cursor.status).toBe(400);
    expect(cursor.json()).toEqual({ detail: 'Invalid cursor parameter.' });
  });

  it('org-wide project keys default to 10 per page, newest first, member projects only', async () => {
    const sim = await startSimulator({ state: createDemoState() });
    sims.push(sim);
    const res = await call(sim.url, '/api/0/organizations/acme-demo/project-keys/');
    expect(res.status).toBe(200);
    // Ada is on team platform: web-frontend (3 keys) and api-backend (1 key).
    const keys = res.json() as { projectId: number; id: string }[];
    expect(keys.length).toBe(4);
    expect(new Set(keys.map((k) => k.projectId))).toEqual(new Set([4501001, 4501002]));
    // All nine demo keys with project=-1; the default page size is 10, so one page.
    const all = await call(sim.url, '/api/0/organizations/acme-demo/project-keys/?project=-1');
    expect((all.json() as unknown[]).length).toBe(9);
    expect(parseLink(all.headers.get('link'))[1]?.results).toBe(false);
    const page1 = await call(sim.url, '/api/0/organizations/acme-demo/project-keys/?project=-1&per_page=5');
    expect((page1.json() as unknown[]).length).toBe(5);
    expect(parseLink(page1.headers.get('link'))[1]?.results).toBe(true);
    const everything = await collectAll(sim.url, '/api/0/organizations/acme-demo/project-keys/?project=-1&per_page=5');
    expect(everything.items.length).toBe(9);
    // Newest key first: the data-pipeline key was created last.
    expect((everything.items[0] as { projectId: number }).projectId).toBe(4501006);
    const gen = generateOrg({ projects: 30, keysPerProject: 2, members: 2, teams: 1, integrations: 0, seed: 3 });
    const big = await startSimulator({ state: gen.state });
    sims.push(big);
    const defaultPage = await call(big.url, `/api/0/organizations/${gen.org.slug}/project-keys/?project=-1`, { token: gen.tokens.admin });
    expect((defaultPage.json() as unknown[]).length).toBe(10);
    expect(parseLink(defaultPage.headers.get('link'))[1]).toMatchObject({ results: true, cursor: '0:10:0' });
    const unknownTeam = await call(sim.url, '/api/0/organizations/acme-demo/project-keys/?team=nope');
    expect(unknownTeam.status).toBe(404);
    expect(unknownTeam.json()).toEqual({ detail: 'Team not found' });
  });

  it('pages the audit log with DateTimePaginator cursors and returns {rows, options}', async () => {
    const sim = await startSimulator({ state: createDemoState() });
    sims.push(sim);
    const first = await call(sim.url, '/api/0/organizations/acme-demo/audit-logs/?per_page=7');
    const body = first.json() as { rows: { id: string }[]; options: string[] };
    expect(body.rows.length).toBe(7);
    expect(body.options).toContain('org.edit');
    const next = parseLink(first.headers.get('link'))[1];
    expect(next?.cursor).toMatch(/^\d{13}:\d+:0$/);
    const all = await collectAll(sim.url, '/api/0/organizations/acme-demo/audit-logs/?per_page=7');
    expect(all.items.length).toBe(20);
    expect(new Set(all.items.map((r) => (r as { id: string }).id)).size).toBe(20);
    const dates = all.items.map((r) => Date.parse((r as { dateCreated: string }).dateCreated));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    const filtered = await call(sim.url, '/api/0/organizations/acme-demo/audit-logs/?event=org.edit');
    expect((filtered.json() as { rows: { event: string }[] }).rows.map((r) => r.event)).toEqual(['org.edit', 'org.edit']);
    const unknown = await call(sim.url, '/api/0/organizations/acme-demo/audit-logs/?event=no.such');
    expect((unknown.json() as { rows: unknown[] }).rows).toEqual([]);
    const recent = await call(sim.url, '/api/0/organizations/acme-demo/audit-logs/?statsPeriod=14d');
    expect((recent.json() as { rows: unknown[] }).rows.length).toBe(6);
  });
});


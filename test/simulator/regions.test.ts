import { afterEach, describe, expect, it } from 'vitest';
import { createDemoState, startRegionPair, startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator';
import { call, parseLink } from './helpers';

let closeAll: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closeAll.map((c) => c()));
  closeAll = [];
});

describe('path prefix, region URLs and control/region pairs', () => {
  it('serves the API under a path prefix and uses it in links', async () => {
    const sim: RunningSimulator = await startSimulator({ state: createDemoState(), pathPrefix: '/sentry' });
    closeAll.push(() => sim.close());
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sentry$/);
    const org = (await call(sim.url, '/api/0/organizations/acme-demo/')).json() as { links: { regionUrl: string; organizationUrl: string } };
    expect(org.links.regionUrl).toBe(sim.url);
    const members = await call(sim.url, '/api/0/organizations/acme-demo/members/?per_page=2');
    expect(parseLink(members.headers.get('link'))[1]?.url).toBe(`${sim.url}/api/0/organizations/acme-demo/members/?per_page=2&cursor=0:2:0`);
    const outside = await fetch(sim.url.replace('/sentry', '') + '/api/0/');
    expect(outside.status).toBe(404);
  });

  it('reports a configured regionUrl in org links', async () => {
    const sim = await startSimulator({ state: createDemoState(), regionUrl: 'https://us.sentry.example.invalid' });
    closeAll.push(() => sim.close());
    const list = (await call(sim.url, '/api/0/organizations/')).json() as { links: { regionUrl: string } }[];
    expect(list[0]?.links.regionUrl).toBe('https://us.sentry.example.invalid');
  });

  it('a control instance sends clients to the region instance', async () => {
    const pair = await startRegionPair({ state: createDemoState() });
    closeAll.push(() => pair.close());
    const regions = (await call(pair.control.url, '/api/0/users/me/regions/')).json() as { regions: { url: string }[] };
    expect(regions.regions).toEqual([{ name: 'us', url: pair.region.url }]);
    expect((await call(pair.control.url, '/api/0/organizations/acme-demo/')).status).toBe(404);
    expect((await call(pair.control.url, '/api/0/organizations/acme-demo/audit-logs/')).status).toBe(200);
    const orgs = (await call(pair.region.url, '/api/0/organizations/')).json() as { slug: string; links: { regionUrl: string } }[];
    expect(orgs[0]?.links.regionUrl).toBe(pair.region.url);
    expect((await call(pair.region.url, '/api/0/organizations/acme-demo/')).status).toBe(200);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseLinkHeader } from '../../../core/sentry/pagination';
import type { ResponseRecord, Transport } from '../../../core/sentry/transport';
import { createHttpTransport } from '../../../core/sentry/http-transport';
import { TOKEN } from './helpers/fake-sentry';
import { makeClient } from './helpers/client';
import { rejection, serverPool } from './helpers/lifecycle';
import { paginate } from './helpers/fake-sentry';

const Item = z.looseObject({ id: z.string() });
const PATH = '/api/0/organizations/acme/members/';
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i + 1) }));

const server = serverPool();

describe('parseLinkHeader', () => {
  it('reads the exact Sentry format, commas in URLs included', () => {
    const h =
      '<https://sentry.io/api/0/x/?q=a,b&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", ' +
      '<https://sentry.io/api/0/x/?q=a,b&cursor=0:100:0>; rel="next"; results="true"; cursor="0:100:0"';
    const links = parseLinkHeader(h);
    expect(links?.next).toMatchObject({ results: true, cursor: '0:100:0' });
    expect(links?.previous).toMatchObject({ results: false, cursor: '0:0:1' });
  });

  it('rejects garbled headers', () => {
    expect(parseLinkHeader(undefined)).toBeUndefined();
    expect(parseLinkHeader('')).toBeUndefined();
    expect(parseLinkHeader('<x>; rel="previous"; results="false"; cursor="0:0:1"')).toBeUndefined();
    expect(parseLinkHeader('<x>; rel="next"; results="maybe"; cursor="0:100:0"')).toBeUndefined();
    expect(parseLinkHeader('<x>; rel="next"; results="true"; cursor=""')).toBeUndefined();
    expect(parseLinkHeader('<x>; rel="next"; results="true"')).toBeUndefined();
    expect(parseLinkHeader('<x>; rel="next"; results="false"')?.next?.results).toBe(false);
  });
});

describe('SentryClient.paginate', () => {
  for (const [n, pages] of [
    [0, 1],
    [100, 1],
    [101, 2],
    [250, 3],
  ] as const) {
    it(`reads ${n} items in ${pages} page(s) with per_page=100`, async () => {
      const s = await server((req) => paginate(req, items(n), { linkBase: 'https://sentry.io' }));
      const records: ResponseRecord[] = [];
      const client = makeClient(s, { records });
      const { items: got, evidence } = await client.paginate(PATH, Item);
      expect(got.map((i) => i.id)).toEqual(items(n).map((i) => i.id));
      expect(evidence).toMatchObject({ method: 'GET', endpoint: PATH, pages, items: n, complete: true });
      expect(evidence.query).toEqual({ per_page: '100' });
      expect(s.requests.every((r) => r.query.get('per_page') === '100')).toBe(true);
      expect(s.hits('GET', PATH)).toBe(pages);
      // Evidence pages are exactly the recorded responses.
      expect(evidence.responses.map((p) => p.sha256)).toEqual(records.map((r) => r.sha256));
      expect(evidence.responses.reduce((a, p) => a + p.items, 0)).toBe(n);
    });
  }

  it('never follows the Link URL to another host: it rebuilds the URL on the host it called', async () => {
    const elsewhere = await server(() => ({ status: 500 }));
    const s = await server((req) => paginate(req, items(150), { linkBase: elsewhere.url }));
    const client = makeClient(s);
    const { items: got } = await client.paginate(PATH, Item, { query: { query: 'role:owner' } });
    expect(got).toHaveLength(150);
    expect(elsewhere.requests).toHaveLength(0);
    expect(s.requests[1]?.query.get('cursor')).toBe('0:100:0');
    expect(s.requests[1]?.query.get('query')).toBe('role:owner');
  });

  it('a missing Link header is incomplete_pagination with the evidence of the page', async () => {
    const s = await server(() => ({ status: 200, body: items(3) }));
    const e = await rejection(makeClient(s).paginate(PATH, Item));
    expect(e.code).toBe('incomplete_pagination');
    expect(e.message).toContain(`GET ${PATH}`);
    expect(e.message).toMatch(/no Link header/);
    expect(e.evidence).toMatchObject({ pages: 1, items: 3, complete: false });
  });

  it('a garbled Link header is incomplete_pagination', async () => {
    const s = await server(() => ({ status: 200, headers: { link: '<x>; rel="next"; cursor="0:100:0"' }, body: items(3) }));
    const e = await rejection(makeClient(s).paginate(PATH, Item));
    expect(e.code).toBe('incomplete_pagination');
    expect(e.message).toMatch(/cannot read/);
  });

  it('a truncated chain (later page fails) is incomplete_pagination with the partial evidence', async () => {
    const s = await server((req) =>
      req.query.get('cursor') === '0:200:0' ? { status: 500, body: { detail: 'boom' } } : paginate(req, items(350), { linkBase: 'https://sentry.io' }),
    );
    const client = makeClient(s);
    const e = await rejection(client.paginate(PATH, Item));
    expect(e.code).toBe('incomplete_pagination');
    expect(e.message).toMatch(/page 3 failed \(server_error/);
    expect(e.evidence).toMatchObject({ complete: false, items: 200 });
    // Two good pages plus the failed one (status 500, no items).
    expect(e.evidence?.responses.map((r) => r.status)).toEqual([200, 200, 500]);
  });

  it('a chain that ends early (next results=false before the data ends) is what the server says', async () => {
    const s = await server((req) => paginate(req, items(100), { linkBase: 'https://sentry.io' }));
    const { evidence } = await makeClient(s).paginate(PATH, Item);
    expect(evidence.complete).toBe(true);
  });

  it('a cursor loop is incomplete_pagination, not an endless read', async () => {
    const link =
      '<x>; rel="previous"; results="false"; cursor="0:0:1", <x>; rel="next"; results="true"; cursor="0:100:0"';
    const s = await server(() => ({ status: 200, headers: { link }, body: items(1) }));
    const e = await rejection(makeClient(s).paginate(PATH, Item));
    expect(e.code).toBe('incomplete_pagination');
    expect(s.requests).toHaveLength(2);
  });

  it('limitPages stops on purpose: ok, but evidence says incomplete when more exist', async () => {
    const s = await server((req) => paginate(req, items(150), { linkBase: 'https://sentry.io' }));
    const { items: got, evidence } = await makeClient(s).paginate(PATH, Item, { limitPages: 1 });
    expect(got).toHaveLength(100);
    expect(evidence.complete).toBe(false);
    expect(s.requests).toHaveLength(1);
  });

  it('extracts items from object pages (audit log {rows, options})', async () => {
    const s = await server((req) => {
      const page = paginate(req, items(5), { linkBase: 'https://sentry.io' });
      return { ...page, body: { rows: page.body, options: ['org.edit'] } };
    });
    const Page = z.looseObject({ rows: z.array(z.unknown()) });
    const { items: got } = await makeClient(s).paginate(PATH, { pageSchema: Page, extract: (p) => p.rows, item: Item });
    expect(got).toHaveLength(5);
  });

  it('sets one item of the wrong shape aside, naming it and the field, and keeps the rest', async () => {
    const s = await server((req) => paginate(req, [{ id: '1' }, { id: 2 }, { slug: 'x' }, { id: '4' }], { linkBase: 'https://sentry.io' }));
    const { items: got, evidence } = await makeClient(s).paginate(PATH, Item);
    expect(got.map((i) => i.id)).toEqual(['1', '4']);
    expect(evidence.items).toBe(4);
    expect(evidence.complete).toBe(true);
    expect(evidence.invalid).toEqual([
      { index: 1, id: '2', field: 'id', message: expect.stringContaining('expected string') },
      { index: 2, id: 'x', field: 'id', message: expect.any(String) },
    ]);
  });

  it('counts invalid items over the whole read, across pages', async () => {
    const list = items(150).map((x, i) => (i === 120 ? { id: null } : x));
    const s = await server((req) => paginate(req, list, { linkBase: 'https://sentry.io' }));
    const { items: got, evidence } = await makeClient(s).paginate(PATH, Item);
    expect(got).toHaveLength(149);
    expect(evidence.invalid).toEqual([{ index: 120, field: 'id', message: expect.any(String) }]);
  });

  it('a page that is not a list is still malformed, naming the endpoint', async () => {
    const s = await server((req) => ({ ...paginate(req, items(2), { linkBase: 'https://sentry.io' }), body: { results: items(2) } }));
    const e = await rejection(makeClient(s).paginate(PATH, Item));
    expect(e.code).toBe('malformed_response');
    expect(e.message).toContain(`GET ${PATH}`);
  });
});

describe('SentryClient.paginate asks for the next page ahead', () => {
  /** The real HTTP transport, noting each page asked for (by cursor) in `log`. */
  function loggingTransport(log: string[]): Transport {
    const http = createHttpTransport({ getToken: () => TOKEN });
    return {
      send: (req) => {
        log.push(`send ${new URLSearchParams(req.pathAndQuery.split('?')[1]).get('cursor') ?? 'first'}`);
        return http.send(req);
      },
      close: () => http.close?.(),
    };
  }

  it('from a page\'s headers, before that page is validated (no wait on processing between pages)', async () => {
    const s = await server((req) => paginate(req, items(300), { linkBase: 'https://sentry.io' }));
    const log: string[] = [];
    const Noted = Item.refine((v) => Boolean(log.push(`validate ${v.id}`)));
    const { items: got, evidence } = await makeClient(s, { transport: loggingTransport(log) }).paginate(PATH, Noted);
    expect(got.map((i) => i.id)).toEqual(items(300).map((i) => i.id));
    expect(evidence).toMatchObject({ complete: true, pages: 3 });
    expect(log.filter((l) => l.startsWith('send'))).toEqual(['send first', 'send 0:100:0', 'send 0:200:0']);
    // Page 2 was asked for before page 1's first item was validated, page 3 before page 2's.
    expect(log.indexOf('send 0:100:0')).toBeLessThan(log.indexOf('validate 1'));
    expect(log.indexOf('send 0:200:0')).toBeLessThan(log.indexOf('validate 101'));
    expect(s.requests).toHaveLength(3);
  });

  it('a page that fails still fails as that page; the page asked for after it is not read', async () => {
    const s = await server((req) =>
      req.query.get('cursor') === '0:100:0'
        ? { ...paginate(req, items(300), { linkBase: 'https://sentry.io' }), body: { not: 'a list' } }
        : paginate(req, items(300), { linkBase: 'https://sentry.io' }),
    );
    const log: string[] = [];
    const e = await rejection(makeClient(s, { transport: loggingTransport(log) }).paginate(PATH, Item));
    expect(e.code).toBe('incomplete_pagination');
    expect(e.message).toMatch(/page 2 failed \(malformed_response/);
    expect(e.evidence).toMatchObject({ complete: false, items: 100 });
    // At most the one page ahead was asked for, and none after it.
    expect(log).toEqual(['send first', 'send 0:100:0', 'send 0:200:0']);
  });

  it('never asks ahead past limitPages or into a cursor already read', async () => {
    const limited = await server((req) => paginate(req, items(500), { linkBase: 'https://sentry.io' }));
    const log: string[] = [];
    await makeClient(limited, { transport: loggingTransport(log) }).paginate(PATH, Item, { limitPages: 2 });
    expect(log).toEqual(['send first', 'send 0:100:0']);
  });
});


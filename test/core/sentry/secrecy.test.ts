import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SentryClient } from '../../../core/sentry/client';
import { connect } from '../../../core/sentry/connect';
import { createOrgData } from '../../../core/sentry/org-data';
import type { ResponseRecord } from '../../../core/sentry/transport';
import { FAST_RETRIES, makeClient } from './helpers/client';
import type { FakeHandler, FakeSentry } from './helpers/fake-sentry';
import { TOKEN, startFakeSentry } from './helpers/fake-sentry';

const servers: FakeSentry[] = [];
async function server(handler: FakeHandler, requireToken = true): Promise<FakeSentry> {
  const s = await startFakeSentry(handler, { requireToken });
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const Obj = z.looseObject({ ok: z.boolean() });

function expectNoToken(thing: unknown, token = TOKEN): void {
  const texts = [
    JSON.stringify(thing),
    inspect(thing, { depth: 10, showHidden: true }),
    thing instanceof Error ? `${thing.message}\n${thing.stack ?? ''}` : '',
  ];
  for (const text of texts) expect(text).not.toContain(token);
  // Nor a fragment of it (a message cut short in the middle of an echoed token).
  for (const text of texts) {
    expect(text).not.toContain(token.slice(-24));
    expect(text).not.toContain(token.slice(7, 20));
  }
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('the token never leaks', () => {
  it('not in errors, whatever went wrong, even when a server echoes the Authorization header', async () => {
    const echo = (req: Parameters<FakeHandler>[0]) => String(req.headers.authorization ?? '');
    const answers: FakeHandler[] = [
      (req) => ({ status: 401, body: { detail: `Invalid token ${echo(req)}` } }),
      (req) => ({ status: 400, body: { name: [`bad ${echo(req)}`], detail: echo(req) } }),
      (req) => ({ status: 403, headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${echo(req)}"` } }),
      (req) => ({ status: 404, body: { detail: echo(req) } }),
      // Long enough that the message is cut short in the middle of the token.
      (req) => ({ status: 400, body: { detail: `${'x'.repeat(270)}${echo(req)}` } }),
      (req) => ({ status: 302, body: { slug: echo(req), detail: { extra: { url: echo(req), slug: echo(req) } } } }),
      (req) => ({ status: 500, body: { detail: echo(req) } }),
      (req) => ({ status: 429, body: { detail: echo(req) } }),
      (req) => ({ status: 200, body: { ok: echo(req) } }),
      (req) => ({ status: 200, body: `not json ${echo(req)}` }),
      () => 'reset',
      () => 'hang',
    ];
    for (const answer of answers) {
      const s = await server(answer);
      const records: ResponseRecord[] = [];
      const client = makeClient(s, {
        records,
        timeoutMs: 80,
        scheduler: { ...FAST_RETRIES, maxTransientRetries: 1, maxRateLimitRetries: 1 },
      });
      const e = await caught(client.request('PUT', '/api/0/projects/acme/web/', { body: { name: 'x' }, schema: Obj }));
      expectNoToken(e);
      const e2 = await caught(client.request('GET', '/api/0/organizations/acme/', { schema: Obj }));
      expectNoToken(e2);
      const loaded = await createOrgData(client, 'acme').members();
      expectNoToken(loaded);
      expectNoToken(records);
    }
  });

  it('not in errors for an unreachable host, a refused connection or a malformed token', async () => {
    const client = new SentryClient({ baseUrl: 'http://127.0.0.1:1', getToken: () => TOKEN, scheduler: FAST_RETRIES });
    expectNoToken(await caught(client.request('GET', '/api/0/', { schema: Obj })));
    const bad = `${TOKEN}\r\nX-Evil: 1`;
    const s = await server(() => ({ body: { ok: true } }));
    const e = await caught(makeClient(s, { getToken: () => bad }).request('GET', '/api/0/', { schema: Obj }));
    expect((e as { code?: string }).code).toBe('invalid_input');
    expectNoToken(e, TOKEN);
    expect(s.requests).toHaveLength(0);
  });

  it('not in the records or evidence of a successful audit read', async () => {
    const s = await server((req) =>
      req.path === '/api/0/'
        ? { body: { version: '0', auth: { scopes: ['org:read'] }, user: null } }
        : { body: { id: '1', slug: 'acme', name: 'Acme', require2FA: false, openMembership: false, defaultRole: 'member', dataScrubber: true, dataScrubberDefaults: true, sensitiveFields: [], safeFields: [], scrubIPAddresses: true } },
    );
    const records: ResponseRecord[] = [];
    const conn = await connect({
      baseUrl: s.url,
      orgSlug: 'acme',
      getToken: () => TOKEN,
      scheduler: FAST_RETRIES,
      onResponse: (r) => records.push(r),
    });
    expect(records).toHaveLength(2);
    expectNoToken(records);
    expectNoToken(conn.organization);
    expectNoToken(conn.tokenInfo);
    // Sanity: the server did receive the token (so the checks above could have failed).
    expect(s.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('a body that echoes the token is recorded redacted', async () => {
    const s = await server((req) => ({ body: { ok: true, echo: req.headers.authorization } }));
    const records: ResponseRecord[] = [];
    await makeClient(s, { records }).request('GET', '/api/0/', { schema: Obj });
    expect(records[0]?.body).toContain('[redacted]');
    expect(records[0]?.bodyRedacted).toBe(true);
    expectNoToken(records);
  });
});

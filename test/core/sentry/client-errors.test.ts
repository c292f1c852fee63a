import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AuthProviderSchema, OrganizationSchema } from '../../../core/sentry/schemas';
import { makeClient } from './helpers/client';
import { rejection, serverPool } from './helpers/lifecycle';

const server = serverPool();

const Obj = z.looseObject({ ok: z.boolean() });
const ORG = '/api/0/organizations/acme/';

describe('response bodies', () => {
  it('a body that is not JSON is malformed_response naming the endpoint', async () => {
    const s = await server(() => ({ body: '<html>hello</html>', headers: { 'content-type': 'text/html' } }));
    const e = await rejection(makeClient(s).request('GET', ORG, { schema: Obj }));
    expect(e.code).toBe('malformed_response');
    expect(e.message).toBe(`GET ${ORG}: the response body is not valid JSON.`);
    expect(e.evidence?.responses).toHaveLength(1);
    expect(e.evidence?.complete).toBe(false);
  });

  it('a wrong shape is malformed_response naming the zod path', async () => {
    const s = await server(() => ({ body: { id: '1', slug: 'acme', name: 'Acme', require2FA: 'yes' } }));
    const e = await rejection(makeClient(s).request('GET', ORG, { schema: OrganizationSchema }));
    expect(e.code).toBe('malformed_response');
    expect(e.message).toContain(`GET ${ORG}`);
    expect(e.message).toContain('require2FA');
  });

  it('204 is null when no content is expected, malformed otherwise', async () => {
    const s = await server(() => ({ status: 204 }));
    const client = makeClient(s);
    const path = '/api/0/organizations/acme/auth-provider/';
    const read = await client.read(path, AuthProviderSchema, { expectNoContent: true });
    expect(read.value).toBeNull();
    expect(read.evidence).toMatchObject({ pages: 1, items: 0, complete: true });
    expect(read.evidence.responses[0]?.status).toBe(204);
    const e = await rejection(client.request('GET', ORG, { schema: Obj }));
    expect(e.code).toBe('malformed_response');
    expect(e.message).toMatch(/empty body/);
  });

  it('a read carries evidence of the exact response', async () => {
    const s = await server(() => ({ body: { ok: true } }));
    const { value, evidence } = await makeClient(s).read(ORG, Obj, { query: { include_feature_flags: 1 } });
    expect(value.ok).toBe(true);
    expect(evidence).toMatchObject({
      method: 'GET',
      endpoint: ORG,
      query: { include_feature_flags: '1' },
      pages: 1,
      items: 1,
      complete: true,
    });
    expect(evidence.responses[0]).toMatchObject({
      url: `${ORG}?include_feature_flags=1`,
      status: 200,
      // sha256 of '{"ok":true}'
      sha256: '4062edaf750fb8074e7e83e0c9028c94e32468a8b6f1614774328ef045150f93',
    });
  });
});

describe('status codes', () => {
  it('302 on a renamed project is moved with the new slug', async () => {
    const s = await server(() => ({
      status: 302,
      headers: { location: 'https://sentry.io/api/0/projects/acme/new-web/' },
      body: { slug: 'new-web', detail: { extra: { url: '/api/0/projects/acme/new-web/', slug: 'new-web' } } },
    }));
    const e = await rejection(makeClient(s).request('GET', '/api/0/projects/acme/web/', { schema: Obj }));
    expect(e.code).toBe('moved');
    expect(e.movedTo).toEqual({ slug: 'new-web', url: '/api/0/projects/acme/new-web/' });
    expect(e.message).toContain('"new-web"');
    expect(s.requests).toHaveLength(1);
  });

  it('401 is unauthorized and says the token is invalid or expired', async () => {
    const s = await server(() => ({ status: 401, body: { detail: 'Token expired' } }));
    const e = await rejection(makeClient(s).request('GET', ORG, { schema: Obj }));
    expect(e.code).toBe('unauthorized');
    expect(e.message).toMatch(/invalid, expired or revoked/);
    expect(e.message).toContain('Token expired');
    expect(s.requests).toHaveLength(1);
  });

  it('403 names the scopes the endpoint accepts when the token holds none of them', async () => {
    const s = await server(() => ({ status: 403, body: { detail: 'You do not have permission to perform this action.' } }));
    const client = makeClient(s);
    client.setScopes({ token: ['org:read', 'member:read', 'team:read', 'project:read'] });
    const e = await rejection(client.request('GET', '/api/0/organizations/acme/audit-logs/', { schema: Obj }));
    expect(e.code).toBe('missing_scope');
    expect(e.requiredScopes).toEqual(['org:write']);
    expect(e.message).toContain('org:write');
    expect(e.message).toContain('GET /api/0/organizations/acme/audit-logs/');
  });

  it('403 with a token scope that the member role removes says so', async () => {
    const s = await server(() => ({ status: 403, body: { detail: 'You do not have permission to perform this action.' } }));
    const client = makeClient(s);
    client.setScopes({ token: ['member:admin'], orgAccess: ['org:read', 'member:read'] });
    const e = await rejection(client.request('PUT', '/api/0/organizations/acme/members/42/', { body: {}, schema: Obj }));
    expect(e.code).toBe('missing_scope');
    expect(e.message).toMatch(/role in the organization/);
    expect(e.requiredScopes).toEqual(['member:admin', 'member:invite', 'member:write']);
  });

  it('403 with WWW-Authenticate insufficient_scope is missing_scope with the header scopes', async () => {
    const s = await server(() => ({
      status: 403,
      headers: { 'www-authenticate': 'Bearer error="insufficient_scope", scope="org:read org:write org:admin"' },
      body: { detail: 'Insufficient scope' },
    }));
    const e = await rejection(makeClient(s).request('GET', ORG, { schema: Obj }));
    expect(e.code).toBe('missing_scope');
    expect(e.requiredScopes).toEqual(['org:read', 'org:write', 'org:admin']);
  });

  it('403 when the token has an accepted scope is forbidden', async () => {
    const s = await server(() => ({ status: 403, body: { detail: 'You do not have permission to perform this action.' } }));
    const client = makeClient(s);
    client.setScopes({ token: ['project:admin'] });
    const e = await rejection(client.request('GET', '/api/0/projects/acme/web/', { schema: Obj }));
    expect(e.code).toBe('forbidden');
    expect(e.message).toContain('You do not have permission');
  });

  it('403 on a session-only endpoint is session_only', async () => {
    const s = await server(() => ({ status: 403, body: { detail: 'Authentication credentials were not provided.' } }));
    const client = makeClient(s);
    for (const path of ['/api/0/api-tokens/', '/api/0/organizations/acme/org-auth-tokens/12/', '/api/0/sentry-apps/my-app/api-tokens/']) {
      const e = await rejection(client.request('GET', path, { schema: Obj }));
      expect(e.code).toBe('session_only');
      expect(e.message).toMatch(/browser sessions only/);
    }
  });

  it('404 on an org names the slug', async () => {
    const s = await server(() => ({ status: 404, body: { detail: 'The requested resource does not exist' } }));
    const e = await rejection(makeClient(s).request('GET', '/api/0/organizations/nope/', { schema: Obj }));
    expect(e.code).toBe('not_found');
    expect(e.message).toContain('organization "nope" not found or not visible to this token');
  });

  it('400 carries the field messages', async () => {
    const s = await server(() => ({
      status: 400,
      body: { require2FA: ['Cannot require two-factor authentication without personal two-factor enabled.'] },
    }));
    const e = await rejection(makeClient(s).request('PUT', ORG, { body: { require2FA: true }, schema: Obj }));
    expect(e.code).toBe('bad_request');
    expect(e.fieldErrors).toEqual({
      require2FA: ['Cannot require two-factor authentication without personal two-factor enabled.'],
    });
    expect(e.message).toContain('require2FA: Cannot require two-factor authentication');
    expect(s.requests[0]?.body).toBe('{"require2FA":true}');
    expect(s.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('an empty 400 on project PUT says the token needs a user', async () => {
    const s = await server(() => ({ status: 400 }));
    const e = await rejection(makeClient(s).request('PUT', '/api/0/projects/acme/web/', { body: { dataScrubber: true }, schema: Obj }));
    expect(e.code).toBe('bad_request');
    expect(e.message).toMatch(/token that belongs to a user/);
  });

  it('a string detail on 400 is the message', async () => {
    const s = await server(() => ({ status: 400, body: { detail: 'Invalid per_page value. Must be between 1 and 100.' } }));
    const e = await rejection(makeClient(s).request('GET', ORG, { schema: Obj }));
    expect(e.code).toBe('bad_request');
    expect(e.message).toContain('Invalid per_page value');
  });

  it('refuses paths that are not API paths', async () => {
    const s = await server(() => ({ body: { ok: true } }));
    const client = makeClient(s);
    for (const path of ['/api/0/../admin/', 'https://evil.example.com/api/0/', '/api/0/x?y=1', '/api/0/x']) {
      const e = await rejection(client.request('GET', path, { schema: Obj }));
      expect(e.code).toBe('internal');
    }
    expect(s.requests).toHaveLength(0);
  });
});

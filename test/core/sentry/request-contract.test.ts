import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listOrganizations, SentryClient } from '../../../core/sentry/index';
import { DEMO_TOKENS } from '../../../simulator/index';
import { auditDemo, withDemoSimulator } from '../../helpers/demo-audit';

/**
 * Every request the engine sends must be an operation Sentry documents: a method and path of the
 * official OpenAPI schema, or an endpoint REFERENCE.md describes from Sentry's source (those the
 * schema leaves out). A request outside both would be a guess about Sentry's API.
 */
const SHARED = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'sentry-api');

interface Operation {
  method: string;
  path: string;
}

const openapi = JSON.parse(readFileSync(path.join(SHARED, 'endpoint-scopes.json'), 'utf8')) as { endpoints: Operation[] };
const reference = readFileSync(path.join(SHARED, 'REFERENCE.md'), 'utf8');

/** Endpoints outside the schema, each with the REFERENCE.md text that documents it. */
const REFERENCE_ONLY: readonly (Operation & { documentedAs: string })[] = [
  { method: 'GET', path: '/api/0/', documentedAs: '`GET /api/0/`' },
  { method: 'GET', path: '/api/0/users/me/regions/', documentedAs: '/api/0/users/me/regions/' },
  { method: 'GET', path: '/api/0/organizations/{org}/auth-provider/', documentedAs: '`GET /api/0/organizations/{org}/auth-provider/`' },
  { method: 'GET', path: '/api/0/organizations/{org}/audit-logs/', documentedAs: '`GET /api/0/organizations/{org}/audit-logs/`' },
  { method: 'GET', path: '/api/0/organizations/{org}/org-auth-tokens/', documentedAs: '`GET /api/0/organizations/{org}/org-auth-tokens/`' },
];

function toRegex(template: string): RegExp {
  const body = template.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${body}$`);
}

const documented = [
  ...openapi.endpoints.map((e) => ({ method: e.method, re: toRegex(e.path), source: `openapi ${e.path}` })),
  ...REFERENCE_ONLY.map((e) => ({ method: e.method, re: toRegex(e.path), source: `REFERENCE.md ${e.path}` })),
];

function documentation(method: string, p: string): string | undefined {
  return documented.find((d) => d.method === method && d.re.test(p))?.source;
}

describe('requests the engine sends', () => {
  it('REFERENCE-only entries are really described in REFERENCE.md', () => {
    for (const e of REFERENCE_ONLY) expect(reference, e.path).toContain(e.documentedAs);
  });

  it('are all documented operations (audit at L3, and the organization picker)', async () => {
    await withDemoSimulator({}, async (sim) => {
      await auditDemo(sim, { level: 'L3' });
      const client = new SentryClient({ baseUrl: sim.url, getToken: () => DEMO_TOKENS.admin });
      try {
        await listOrganizations(client);
      } finally {
        client.close();
      }
      const seen = new Map<string, string | undefined>();
      for (const r of sim.requests) seen.set(`${r.method} ${r.path}`, documentation(r.method, r.path));
      const undocumented = [...seen].filter(([, source]) => source === undefined).map(([k]) => k);
      expect(undocumented).toEqual([]);
      // The audit touched the endpoints this test is meant to cover.
      const sources = new Set(seen.values());
      expect(sources.size).toBeGreaterThanOrEqual(14);
    });
  });
});

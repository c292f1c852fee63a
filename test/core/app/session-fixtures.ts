import type { AuditRunDto } from '../../../core/app/engine-dto';
import type { StoredAudit } from '../../../core/app/report-output';

/** A small audit run and stored audit for the session store's tests. */

const AT = '2026-01-02T03:04:05.000Z';
const SHA = 'a'.repeat(64);

export function auditRunDto(runId: string, profileId: string): AuditRunDto {
  return {
    runId,
    profileId,
    orgSlug: 'acme',
    level: 'L3',
    startedAt: AT,
    finishedAt: AT,
    counts: { pass: 0, fail: 1, error: 0, manual: 0, not_applicable: 0 },
    controls: [{ id: '2.2', title: 'Member roles', section: '2', level: 'L2', counts: { pass: 0, fail: 1, error: 0, manual: 0, not_applicable: 0 } }],
    checks: [{ control: '2.2', check: '2.2.member-roles', counts: { pass: 0, fail: 1, error: 0, manual: 0, not_applicable: 0 } }],
    baselineRunId: runId,
    requests: 3,
    rateLimited: 0,
  };
}

export function storedAudit(): StoredAudit {
  return {
    report: {
      schemaVersion: 1,
      tool: { name: 'sentry-harden', version: '0.1.0' },
      target: { url: 'https://sentry.example.com', regionUrl: 'https://sentry.example.com', org: { slug: 'acme', id: '1', name: 'Acme' } },
      level: 'L3',
      startedAt: AT,
      finishedAt: AT,
      token: { kind: 'user', scopes: ['org:read'], user: null },
      controls: [],
      findings: [],
      reads: [
        {
          method: 'GET',
          endpoint: '/api/0/organizations/acme/',
          query: {},
          pages: 1,
          items: 1,
          complete: true,
          fetchedAt: AT,
          responses: [{ url: '/api/0/organizations/acme/', status: 200, sha256: SHA, items: 1, fetchedAt: AT }],
          sha256: SHA,
        },
      ],
      summary: { counts: { pass: 0, fail: 1, error: 0, manual: 0, not_applicable: 0 }, requests: 3, rateLimited: 0 },
    },
    responses: [
      {
        method: 'GET',
        origin: 'https://sentry.example.com',
        url: '/api/0/organizations/acme/',
        status: 200,
        fetchedAt: AT,
        sha256: SHA,
        body: '{"slug":"acme"}',
        headers: { 'content-type': 'application/json' },
      },
    ],
  };
}

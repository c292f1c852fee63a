import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../shared/finding';
import { SentryApiError } from '../../../core/sentry/errors';
import { errorFinding, notApplicableFinding, passFinding, readablePassFinding } from '../../../core/controls/findings';
import type { CheckDefinition } from '../../../core/controls/types';
import { invalidItemFindings } from '../../../core/controls/invalid-items';

const CHECK: CheckDefinition = { id: '9.9.example', title: 'Example check', level: 'L2' };
const ORG = { type: 'organization' as const, id: 'acme', name: 'Acme' };

function evidence(complete: boolean): Evidence {
  return { method: 'GET', endpoint: '/api/0/organizations/acme/members/', query: {}, pages: 1, items: 0, complete, fetchedAt: 'x', responses: [] };
}

describe('finding helpers', () => {
  it('carries control, check, level, resource and evidence', () => {
    const ev = evidence(true);
    const f = passFinding({ control: '9.9', check: CHECK, resource: ORG, message: 'ok', evidence: [ev, ev], details: { n: 1 } });
    expect(f).toEqual({ control: '9.9', check: '9.9.example', level: 'L2', status: 'pass', resource: ORG, message: 'ok', evidence: [ev], details: { n: 1 } });
  });

  it('turns a pass or not-applicable on incomplete evidence into an incomplete_pagination error', () => {
    for (const make of [passFinding, notApplicableFinding]) {
      const f = make({ control: '9.9', check: CHECK, resource: ORG, message: 'all good', evidence: [evidence(false)] });
      expect(f.status).toBe('error');
      expect(f.errorCode).toBe('incomplete_pagination');
      expect(f.message).toContain('GET /api/0/organizations/acme/members/');
      expect(f.details).toMatchObject({ wouldHaveBeen: 'all good' });
    }
    // Only a check that declares its claim holds on a partial read may pass on one.
    const readCheck: CheckDefinition = { ...CHECK, claimHoldsOnPartialRead: true };
    expect(readablePassFinding({ control: '9.9', check: readCheck, resource: ORG, message: 'read', evidence: [evidence(false)] }).status).toBe('pass');
    expect(() => readablePassFinding({ control: '9.9', check: CHECK, resource: ORG, message: 'read', evidence: [evidence(false)] })).toThrow(/partial read/);
  });

  it('refuses a pass or not-applicable resting on a list with an invalid item, unless the claim is per item', () => {
    const odd: Evidence = { ...evidence(true), items: 3, invalid: [{ index: 1, id: '42', field: 'orgRole', message: 'expected string, received undefined' }] };
    for (const make of [passFinding, notApplicableFinding]) {
      const f = make({ control: '9.9', check: CHECK, resource: ORG, message: 'all good', evidence: [odd] });
      expect(f.status).toBe('error');
      expect(f.errorCode).toBe('malformed_response');
      expect(f.message).toContain('GET /api/0/organizations/acme/members/ item 1 (id "42"): field "orgRole"');
      expect(f.details).toMatchObject({ wouldHaveBeen: 'all good', invalidItems: [{ index: 1, id: '42', field: 'orgRole' }] });
    }
    const perItem: CheckDefinition = { ...CHECK, claimPerItem: true };
    expect(passFinding({ control: '9.9', check: perItem, resource: ORG, message: 'this one', evidence: [odd] }).status).toBe('pass');
  });

  it('reports each invalid item as an error of each check about it, and collapses a list that is all odd', () => {
    const one: Evidence = { ...evidence(true), items: 2, invalid: [{ index: 0, id: '7', field: 'email', message: 'expected string' }] };
    const fs = invalidItemFindings({ control: '9.9', checks: [CHECK, { ...CHECK, id: '9.9.other' }], read: 'members', orgSlug: 'acme', evidence: one });
    expect(fs.map((f) => [f.check, f.status, f.resource.type, f.resource.id])).toEqual([
      ['9.9.example', 'error', 'member', '7'],
      ['9.9.other', 'error', 'member', '7'],
    ]);
    expect(fs[0]?.message).toContain('item 0 (id "7") of GET /api/0/organizations/acme/members/: its field "email"');
    const many: Evidence = { ...evidence(true), items: 30, invalid: Array.from({ length: 30 }, (_, i) => ({ index: i, field: 'email', message: 'x' })) };
    const collapsed = invalidItemFindings({ control: '9.9', checks: [CHECK], read: 'members', orgSlug: 'acme', evidence: many });
    expect(collapsed).toHaveLength(1);
    expect(collapsed[0]).toMatchObject({ status: 'error', resource: { type: 'organization', id: 'acme' }, details: { invalidCount: 30 } });
  });

  it('names the endpoint and the missing scope, from the error or from the read table', () => {
    const fromError = errorFinding({
      control: '9.9',
      check: CHECK,
      resource: ORG,
      read: 'auditLog',
      orgSlug: 'acme',
      failure: {
        ok: false,
        error: new SentryApiError({ code: 'missing_scope', message: 'forbidden', status: 403, endpoint: 'GET /api/0/organizations/acme/audit-logs/', requiredScopes: ['org:write'] }),
      },
    });
    expect(fromError.status).toBe('error');
    expect(fromError.errorCode).toBe('missing_scope');
    expect(fromError.message).toBe(
      'Example check: could not be evaluated because GET /api/0/organizations/acme/audit-logs/ failed: the token lacks the scope this endpoint needs (org:write).',
    );
    const fallback = errorFinding({
      control: '9.9',
      check: CHECK,
      resource: ORG,
      read: 'teamMembers',
      arg: 'backend',
      orgSlug: 'acme',
      failure: { ok: false, error: new SentryApiError({ code: 'missing_scope', message: 'forbidden', status: 403 }), evidence: evidence(true) },
    });
    expect(fallback.message).toContain('GET /api/0/teams/acme/backend/members/');
    expect(fallback.message).toContain('team:read or team:write or team:admin');
    expect(fallback.evidence).toHaveLength(1);
  });

  it('passes the cause of other errors through', () => {
    const f = errorFinding({
      control: '9.9',
      check: CHECK,
      resource: ORG,
      read: 'members',
      orgSlug: 'acme',
      failure: { ok: false, error: new SentryApiError({ code: 'timeout', message: 'no answer within 30 s', endpoint: 'GET /api/0/organizations/acme/members/' }) },
    });
    expect(f.errorCode).toBe('timeout');
    expect(f.message).toContain('no answer within 30 s');
  });
});

import { describe, expect, it } from 'vitest';
import { guardPass, runAudit } from '../../../core/engine/audit';
import { DEFAULT_AUDIT_SETTINGS } from '../../../core/controls/settings';
import type { ControlDefinition, ControlFinding } from '../../../core/controls/types';
import type { OrgData } from '../../../core/sentry/org-data';
import type { Evidence, Finding } from '../../../shared/finding';

const PAGE = { url: '/api/0/x/', status: 200, sha256: 'a'.repeat(64), items: 100, fetchedAt: '2026-01-01T00:00:00Z' };
const read = (complete: boolean): Evidence => ({
  method: 'GET',
  endpoint: '/api/0/x/',
  query: {},
  pages: 1,
  items: 100,
  complete,
  fetchedAt: '2026-01-01T00:00:00Z',
  responses: [PAGE],
});

function control(checks: ControlDefinition['checks'], findings: ControlFinding[] | (() => never)): ControlDefinition {
  return {
    id: '9.9',
    title: 'test control',
    section: '4',
    level: 'L1',
    mappings: { cis: ['1'], nist: ['AC-1'], soc2: [] },
    rationale: 'r',
    manualSteps: [],
    requiredScopes: [],
    checks,
    evaluate: async () => (typeof findings === 'function' ? findings() : findings),
  };
}

const finding = (check: string, status: Finding['status'], evidence: Evidence[]): ControlFinding => ({
  control: '9.9',
  check,
  level: 'L1',
  status,
  resource: { type: 'organization', id: 'o', name: 'o' },
  message: 'm',
  evidence,
});

const data = { orgSlug: 'o' } as OrgData;
const run = (c: ControlDefinition, level: 'L1' | 'L2' = 'L1') =>
  runAudit({ data, controls: [c], level, settings: DEFAULT_AUDIT_SETTINGS, token: { kind: 'user', scopes: [], user: null } });

describe('runAudit never reports a pass it cannot prove', () => {
  it('turns a pass on an incomplete read into an incomplete_pagination error', async () => {
    const r = await run(control([{ id: '9.9.a', title: 'a', level: 'L1' }], [finding('9.9.a', 'pass', [read(false)])]));
    expect(r.findings.map((f) => [f.status, f.errorCode])).toEqual([['error', 'incomplete_pagination']]);
  });

  it('lets a check whose claim is about the read itself pass on a read that stopped early on purpose', async () => {
    const checks = [{ id: '9.9.a', title: 'a', level: 'L1', claimHoldsOnPartialRead: true }] as const;
    const r = await run(control(checks, [finding('9.9.a', 'pass', [read(false)])]));
    expect(r.findings.map((f) => f.status)).toEqual(['pass']);
  });

  it('turns a pass resting on a list with an invalid item into an error naming it, unless the claim is per item', async () => {
    const odd = { ...read(true), invalid: [{ index: 2, id: 'k1', field: 'isActive', message: 'expected boolean' }] };
    const r = await run(control([{ id: '9.9.a', title: 'a', level: 'L1' }], [finding('9.9.a', 'pass', [odd])]));
    expect(r.findings.map((f) => [f.status, f.errorCode])).toEqual([['error', 'malformed_response']]);
    expect(r.findings[0]!.message).toContain('item 2 "k1": field "isActive"');
    expect(r.reads[0]?.invalid).toEqual(odd.invalid);
    const perItem = await run(control([{ id: '9.9.a', title: 'a', level: 'L1', claimPerItem: true }], [finding('9.9.a', 'pass', [odd])]));
    expect(perItem.findings.map((f) => f.status)).toEqual(['pass']);
  });

  it('never lets a pass without evidence through, whatever the check', () => {
    const f = { ...finding('9.9.a', 'pass', []), evidence: [] } as Finding;
    expect(guardPass(f, true).status).toBe('error');
    expect(guardPass(f).status).toBe('error');
  });

  it('turns an exception in a control into an error for that control alone', async () => {
    const r = await run(control([{ id: '9.9.a', title: 'a', level: 'L1' }], () => { throw new Error('boom'); }));
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ status: 'error', errorCode: 'internal' });
    expect(r.findings[0]!.message).toContain('boom');
  });

  it('drops findings of checks above the audit level and refuses findings of unknown checks', async () => {
    const checks = [
      { id: '9.9.a', title: 'a', level: 'L1' },
      { id: '9.9.b', title: 'b', level: 'L2' },
    ] as const;
    const r = await run(control(checks, [finding('9.9.a', 'fail', [read(true)]), finding('9.9.b', 'fail', [read(true)])]));
    expect(r.findings.map((f) => f.check)).toEqual(['9.9.a']);
    const stray = await run(control([{ id: '9.9.a', title: 'a', level: 'L1' }], [finding('9.9.zzz', 'pass', [read(true)])]));
    expect(stray.findings.map((f) => [f.status, f.errorCode])).toEqual([['error', 'internal']]);
  });

  it('stores each read once and points findings at it by digest', async () => {
    const shared = read(true);
    const r = await run(control([{ id: '9.9.a', title: 'a', level: 'L1' }], [finding('9.9.a', 'fail', [shared]), finding('9.9.a', 'fail', [shared])]));
    expect(r.reads).toHaveLength(1);
    expect(r.findings.every((f) => f.evidence[0]!.sha256 === r.reads[0]!.sha256)).toBe(true);
    expect(r.reads[0]!.sha256).toBe(PAGE.sha256);
  });
});

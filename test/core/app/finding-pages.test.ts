import { describe, expect, it } from 'vitest';
import { checkSummaries, findingGroups, toRow } from '../../../core/app/finding-pages';
import { changeKey } from '../../../shared/finding-change';
import type { Finding, FindingStatus } from '../../../shared/finding';
import { ROW_DETAILS_LIMIT } from '../../../shared/ipc/contract';

function finding(control: string, check: string, status: FindingStatus, id: string, details?: Record<string, unknown>): Finding {
  return {
    control,
    check,
    level: 'L1',
    status,
    resource: { type: 'member', id, name: `member ${id}` },
    message: `${check} ${status} for ${id}`,
    evidence: [],
    ...(details ? { details } : {}),
  };
}

/** 2.1 with 25 members (3 pass), 2.3 all passing, 3.2 one error: the report's order. */
function report(): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < 25; i += 1) out.push(finding('2.1', '2.1.members-without-team', i % 8 === 0 ? 'pass' : 'fail', `m${i}`));
  out.push(finding('2.3', '2.3.owner-count', 'pass', 'org'));
  out.push(finding('3.2', '3.2.rate-limit', 'error', 'k1'));
  return out;
}

describe('finding pages', () => {
  it('summarises per check in the report order, with counts over every status', () => {
    expect(checkSummaries(report())).toEqual([
      { control: '2.1', check: '2.1.members-without-team', counts: { pass: 4, fail: 21, error: 0, manual: 0, not_applicable: 0 } },
      { control: '2.3', check: '2.3.owner-count', counts: { pass: 1, fail: 0, error: 0, manual: 0, not_applicable: 0 } },
      { control: '3.2', check: '3.2.rate-limit', counts: { pass: 0, fail: 0, error: 1, manual: 0, not_applicable: 0 } },
    ]);
  });

  it('pages the rows of each check of a section, what needs attention only, leaving passing checks out', () => {
    const groups = findingGroups(report(), { section: '2', statuses: ['fail', 'error', 'manual'], offset: 0, limit: 10 });
    expect(groups.map((g) => [g.check, g.total, g.rows.length])).toEqual([['2.1.members-without-team', 21, 10]]);
    expect(groups[0]?.counts.pass).toBe(4);
    expect(groups[0]?.rows.every((r) => r.status === 'fail')).toBe(true);
    const last = findingGroups(report(), { check: '2.1.members-without-team', statuses: ['fail'], offset: 20, limit: 10 });
    expect(last[0]?.rows.map((r) => r.resource.id)).toEqual(['m23']);
    expect(last[0]?.offset).toBe(20);
    expect(findingGroups(report(), { section: '4', offset: 0, limit: 10 })).toEqual([]);
  });

  it('lists failures before passes within a check, in the report order within a status', () => {
    const [group] = findingGroups(report(), { control: '2.1', offset: 0, limit: 100 });
    const statuses = group?.rows.map((r) => r.status) ?? [];
    expect(statuses.indexOf('pass')).toBe(21);
    expect(group?.rows.slice(21).map((r) => r.resource.id)).toEqual(['m0', 'm8', 'm16', 'm24']);
    expect(group?.rows.slice(0, 3).map((r) => r.resource.id)).toEqual(['m1', 'm2', 'm3']);
  });

  it('keeps small details in a row and leaves long ones in the report, saying so', () => {
    expect(toRow(finding('INT.1', 'INT.1.inventory', 'pass', 'app', { scopes: ['org:read'] }))).toMatchObject({ details: { scopes: ['org:read'] }, detailsOmitted: false });
    const long = toRow(finding('2.3', '2.3.admin-inventory', 'manual', 'org', { admins: Array.from({ length: ROW_DETAILS_LIMIT }, (_, i) => `admin-${i}`) }));
    expect(long.detailsOmitted).toBe(true);
    expect(long).not.toHaveProperty('details');
    expect(toRow(finding('1.2', '1.2.require-2fa', 'fail', 'org'))).toMatchObject({ detailsOmitted: false });
  });

  it('marks a row whose status differs from the first check, and counts accepted risks and attestations over the whole check', () => {
    const first = [finding('2.1', 'a', 'fail', 'x'), finding('2.1', 'a', 'fail', 'y'), finding('4.1', 'b', 'manual', 'org')];
    const latest = [finding('2.1', 'a', 'pass', 'x'), finding('2.1', 'a', 'fail', 'y'), finding('2.1', 'a', 'fail', 'new'), finding('4.1', 'b', 'manual', 'org')];
    const before = new Map(first.map((f) => [changeKey(f), f.status] as const));
    const at = new Date('2026-03-01T10:00:00.000Z');
    const entries = {
      exceptions: [{ id: 'e1', control: '2.1', check: 'a', resource: 'y', reason: 'accepted', approvedBy: 'CISO', createdAt: '2026-02-01T10:00:00.000Z' }],
      attestations: [{ id: 't1', control: '4.1', statement: 'Reviewed', attestedBy: 'Ada', attestedAt: '2026-02-01T10:00:00.000Z' }],
    };
    // One row a page: the counts still cover every finding of the check.
    const groups = findingGroups(latest, { offset: 0, limit: 1 }, { before, registers: { entries, at } });
    expect(groups.map((g) => [g.check, g.noted])).toEqual([
      ['a', { excepted: 1, attested: 0 }],
      ['b', { excepted: 0, attested: 1 }],
    ]);
    const all = findingGroups(latest, { offset: 0, limit: 10 }, { before });
    expect(all[0]!.rows.map((r) => [r.resource.id, r.status, r.before])).toEqual([
      ['y', 'fail', undefined],
      ['new', 'fail', null],
      ['x', 'pass', 'fail'],
    ]);
    expect(all[1]!.rows[0]).not.toHaveProperty('before');
    expect(all[0]).not.toHaveProperty('noted');
  });
});

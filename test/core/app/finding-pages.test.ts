import { describe, expect, it } from 'vitest';
import { checkSummaries, findingChanges, findingGroups, toRow } from '../../../core/app/finding-pages';
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

  it('finds the verdicts that changed, came and went between two runs', () => {
    const before = [finding('2.1', 'a', 'fail', 'x'), finding('2.1', 'a', 'fail', 'y'), finding('2.1', 'a', 'pass', 'z')];
    const after = [finding('2.1', 'a', 'pass', 'x'), finding('2.1', 'a', 'pass', 'z'), finding('2.1', 'a', 'fail', 'new')];
    expect(findingChanges(before, after).map((c) => [c.finding.resource.id, c.before, c.after])).toEqual([
      ['x', 'fail', 'pass'],
      ['new', null, 'fail'],
      ['y', 'fail', null],
    ]);
  });
});

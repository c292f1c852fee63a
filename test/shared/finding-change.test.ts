import { describe, expect, it } from 'vitest';
import type { Finding, FindingStatus, ResourceRef } from '../../shared/finding';
import { compareFindings, unlistedVerdict } from '../../shared/finding-change';

const org: ResourceRef = { type: 'organization', id: 'acme', name: 'Acme' };
const key = (id: string): ResourceRef => ({ type: 'key', id, name: `key ${id}` });

function f(check: string, status: FindingStatus, resource: ResourceRef, message = `${check} ${status}`): Finding {
  return { control: check.split('.').slice(0, 2).join('.'), check, level: 'L1', status, resource, message, evidence: [] };
}

describe('before and after between two audits', () => {
  it('a failure the later audit drops because its check now passes for the whole organization reads Fail → Pass, with the pass that covers it', () => {
    const before = [f('3.2.rate-limit', 'fail', key('a')), f('3.2.rate-limit', 'fail', key('b'))];
    const pass = f('3.2.rate-limit', 'pass', org, 'All 2 active client keys are rate-limited.');
    const changes = compareFindings(before, [pass]);
    expect(changes.map((c) => [c.finding.resource.id, c.before, c.after, c.basis])).toEqual([
      // The organization-wide pass is new in the later audit.
      ['acme', null, 'pass', 'reported'],
      ['a', 'fail', 'pass', 'check-passes'],
      ['b', 'fail', 'pass', 'check-passes'],
    ]);
    expect(changes[1]?.coveredBy).toBe(pass);
  });

  it('a failure gone while its check still fails elsewhere, evaluated in full, reads as pass on the basis "no failure"', () => {
    const changes = compareFindings([f('3.2.rate-limit', 'fail', key('a')), f('3.2.rate-limit', 'fail', key('b'))], [f('3.2.rate-limit', 'fail', key('b'))]);
    expect(changes).toEqual([expect.objectContaining({ before: 'fail', after: 'pass', basis: 'no-failure' })]);
    expect(changes[0]?.finding.resource.id).toBe('a');
    expect(changes[0]?.coveredBy).toBeUndefined();
  });

  it('says nothing (after null) when the check has no verdict now or one that could not be reached', () => {
    const gone = f('3.2.rate-limit', 'fail', key('a'));
    expect(unlistedVerdict(gone, [])).toEqual({ after: null, basis: 'not-evaluated' });
    expect(unlistedVerdict(gone, [f('3.2.rate-limit', 'error', org)])).toEqual({ after: null, basis: 'not-evaluated' });
    expect(unlistedVerdict(gone, [f('3.2.rate-limit', 'fail', key('b')), f('3.2.rate-limit', 'error', key('c'))])).toEqual({ after: null, basis: 'not-evaluated' });
    // An earlier manual item that vanished is not a pass either.
    expect(unlistedVerdict(f('4.1.security-events', 'manual', key('x')), [f('4.1.security-events', 'fail', key('y'))])).toEqual({ after: null, basis: 'not-evaluated' });
  });

  it('lists a same-resource status change, and nothing for findings that did not change', () => {
    const changes = compareFindings(
      [f('1.2.require-2fa', 'fail', org), f('2.1.open-membership', 'pass', org)],
      [f('1.2.require-2fa', 'pass', org), f('2.1.open-membership', 'pass', org)],
    );
    expect(changes.map((c) => [c.finding.check, c.before, c.after, c.basis])).toEqual([['1.2.require-2fa', 'fail', 'pass', 'reported']]);
  });
});

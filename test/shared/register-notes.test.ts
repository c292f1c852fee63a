import { describe, expect, it } from 'vitest';
import type { Finding, FindingStatus } from '../../shared/finding';
import { countRegisterNotes, registerNote } from '../../shared/register-notes';
import type { Attestation, ExceptionEntry } from '../../shared/settings';

const AT = new Date('2026-03-01T10:00:00.000Z');

function f(control: string, check: string, status: FindingStatus, id = 'acme'): Finding {
  return { control, check, level: 'L1', status, resource: { type: id === 'acme' ? 'organization' : 'key', id, name: id }, message: '', evidence: [] };
}

const exception = (over: Partial<ExceptionEntry> = {}): ExceptionEntry => ({
  id: 'e1',
  control: '3.2',
  reason: 'Internal only',
  approvedBy: 'CISO',
  createdAt: '2026-02-01T00:00:00.000Z',
  ...over,
});
const attestation = (over: Partial<Attestation> = {}): Attestation => ({
  id: 'a1',
  control: '4.1',
  statement: 'Reviewed',
  attestedBy: 'Ada',
  attestedAt: '2026-02-10T00:00:00.000Z',
  ...over,
});

describe('what the registers say of a finding', () => {
  it('an active exception accepts a matching failure; an expired one, another resource or a pass get none', () => {
    const registers = { exceptions: [exception({ check: '3.2.rate-limit', resource: 'key:k1', expiresAt: '2026-04-01T00:00:00.000Z' })], attestations: [] };
    expect(registerNote(f('3.2', '3.2.rate-limit', 'fail', 'k1'), registers, AT)).toEqual({ kind: 'exception', entry: registers.exceptions[0] });
    expect(registerNote(f('3.2', '3.2.rate-limit', 'fail', 'k2'), registers, AT)).toBeNull();
    expect(registerNote(f('3.2', '3.2.rate-limit', 'pass', 'k1'), registers, AT)).toBeNull();
    expect(registerNote(f('3.2', '3.2.rate-limit', 'fail', 'k1'), registers, new Date('2026-05-01T00:00:00.000Z'))).toBeNull();
  });

  it("a manual item is attested by its control's latest attestation; a failure never is", () => {
    const newer = attestation({ id: 'a2', attestedBy: 'Ben', attestedAt: '2026-02-20T00:00:00.000Z' });
    const registers = { exceptions: [], attestations: [attestation(), newer] };
    expect(registerNote(f('4.1', '4.1.security-events', 'manual'), registers, AT)).toEqual({ kind: 'attestation', entry: newer });
    expect(registerNote(f('4.1', '4.1.audit-log-readable', 'fail'), registers, AT)).toBeNull();
    expect(registerNote(f('1.1', '1.1.idp-setup', 'manual'), registers, AT)).toBeNull();
  });

  it('counts accepted failures and attested items', () => {
    const registers = { exceptions: [exception()], attestations: [attestation()] };
    const findings = [
      f('3.2', '3.2.rate-limit', 'fail', 'k1'),
      f('3.2', '3.2.rate-limit', 'fail', 'k2'),
      f('3.2', '3.2.allowed-domains', 'pass'),
      f('4.1', '4.1.security-events', 'manual'),
      f('4.1', '4.1.retention-forwarding', 'manual'),
      f('1.1', '1.1.idp-setup', 'manual'),
    ];
    expect(countRegisterNotes(findings, registers, AT)).toEqual({ excepted: 2, attested: 2 });
  });
});

import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../shared/finding';
import type { EvidenceReport } from '../../../shared/evidence';
import type { ExceptionEntry, Registers } from '../../../shared/settings';
import { signPackage } from '../../../core/evidence/package';
import { applyExceptions, exceptionMatches, isExceptionActive, mergeRegisters, readRegistersFile } from '../../../core/evidence/registers';
import { verifyEvidencePackage } from '../../../core/evidence/verify';
import { createDemoState, startSimulator, type RunningSimulator } from '../../../simulator/index';
import { demoPackage, tempDirs, TEST_KEY } from '../../helpers/evidence';

const finding = (check: string, status: Finding['status'], id = 'acme-demo', type: Finding['resource']['type'] = 'organization'): Finding => ({
  control: check.split('.').slice(0, 2).join('.'),
  check,
  level: 'L1',
  status,
  resource: { type, id, name: id },
  message: '',
  evidence: [],
});

const exception = (over: Partial<ExceptionEntry> = {}): ExceptionEntry => ({
  id: 'exc-open-membership',
  control: '2.1',
  check: '2.1.open-membership',
  reason: 'Sales engineers join projects ad hoc until the team model lands in Q3.',
  owner: 'Head of Engineering',
  approvedBy: 'CISO',
  expiresAt: '2026-06-30T00:00:00.000Z',
  createdAt: '2026-01-10T09:00:00.000Z',
  ...over,
});

describe('exceptions as a layer over the findings', () => {
  const findings = [finding('2.1.open-membership', 'fail'), finding('2.1.default-role', 'fail'), finding('2.1.team-access', 'pass')];

  it('accepts a matching failure while active; once expired it no longer counts (the count flips)', () => {
    const entry = exception();
    const active = applyExceptions(findings, [entry], new Date('2026-06-29T23:59:59.000Z'));
    expect(active.exceptions[0]).toMatchObject({ id: entry.id, active: true, covers: ['2.1.open-membership|organization|acme-demo'] });
    expect(active.summary).toMatchObject({ active: 1, expired: 0, accepted: 1 });
    expect(active.summary.withoutExceptions.fail).toBe(2);
    expect(active.summary.withExceptions.fail).toBe(1);

    const expired = applyExceptions(findings, [entry], new Date('2026-06-30T00:00:00.000Z'));
    expect(expired.exceptions[0]).toMatchObject({ active: false, covers: [] });
    expect(expired.summary).toMatchObject({ active: 0, expired: 1, accepted: 0 });
    expect(expired.summary.withExceptions.fail).toBe(2);
    // The findings themselves are untouched either way.
    expect(findings.map((f) => f.status)).toEqual(['fail', 'fail', 'pass']);
  });

  it('matches by control, optional check and optional resource (id or type:id); only failures are accepted', () => {
    const f = finding('3.2.rate-limit', 'fail', 'abc123', 'key');
    expect(exceptionMatches(exception({ control: '3.2', check: undefined, resource: undefined }), f)).toBe(true);
    expect(exceptionMatches(exception({ control: '3.2', check: '3.2.rate-limit', resource: 'abc123' }), f)).toBe(true);
    expect(exceptionMatches(exception({ control: '3.2', check: '3.2.rate-limit', resource: 'key:abc123' }), f)).toBe(true);
    expect(exceptionMatches(exception({ control: '3.2', check: '3.2.rate-limit', resource: 'other' }), f)).toBe(false);
    expect(exceptionMatches(exception({ control: '3.2', check: '3.2.age' }), f)).toBe(false);
    expect(exceptionMatches(exception({ control: '3.1' }), f)).toBe(false);
    const layer = applyExceptions([finding('2.1.open-membership', 'pass')], [exception({ expiresAt: undefined })], new Date());
    expect(layer.summary.accepted).toBe(0);
    expect(isExceptionActive({}, new Date('2100-01-01T00:00:00.000Z'))).toBe(true);
  });

  it('reads a registers file (missing lists empty) and refuses one that does not match, naming the file', async () => {
    const dirs = tempDirs();
    try {
      const dir = dirs.make();
      const good = path.join(dir, 'registers.json');
      writeFileSync(good, JSON.stringify({ exceptions: [exception()] }));
      const r = await readRegistersFile(good);
      expect(r.exceptions).toHaveLength(1);
      expect(r.attestations).toEqual([]);
      const bad = path.join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ exceptions: [{ ...exception(), token: 'x' }] }));
      await expect(readRegistersFile(bad)).rejects.toThrow(/bad\.json does not match the registers format \(exceptions\.0/);
      await expect(readRegistersFile(path.join(dir, 'none.json'))).rejects.toThrow(/Cannot read the registers file .*none\.json: ENOENT/);
    } finally {
      dirs.cleanup();
    }
  });

  it('merges the store and a file: same ids replace, new ones add', () => {
    const base: Registers = { exceptions: [exception(), exception({ id: 'b' })], integrationRegister: [], attestations: [], review: { nextReviewDate: '2026-01-01T00:00:00.000Z', lastSessionAt: '2025-10-03T00:00:00.000Z' } };
    const extra: Registers = { exceptions: [exception({ reason: 'renewed for one more quarter' })], integrationRegister: [], attestations: [] };
    const merged = mergeRegisters(base, extra);
    expect(merged.exceptions.map((e) => [e.id, e.reason])).toEqual([
      ['b', exception().reason],
      ['exc-open-membership', 'renewed for one more quarter'],
    ]);
    expect(merged.review).toEqual(base.review);
  });
});

describe('exceptions, attestations and the integration register in a package', () => {
  let sim: RunningSimulator;
  const dirs = tempDirs();
  beforeAll(async () => {
    sim = await startSimulator({ state: createDemoState() });
  });
  afterAll(async () => {
    await sim.close();
    dirs.cleanup();
  });

  const registers = (expiresAt: string): Registers => ({
    exceptions: [exception({ expiresAt })],
    integrationRegister: [{ integration: 'deploy-bot', permissions: ['org:admin'], rationale: 'Posts deploys', owner: 'Platform', lastReviewed: '2026-10-01' }],
    attestations: [{ id: 'att-idp-mfa', control: '1.2', statement: 'Okta enforces phishing-resistant MFA for every Sentry user.', attestedBy: 'IT lead', attestedAt: '2026-11-01T10:00:00.000Z' }],
  });

  it('carries the registers; an exception expired before the session no longer counts, and verify recomputes the layer', async () => {
    const live = path.join(dirs.make(), 'live');
    const a = await demoPackage(sim, live, { registers: registers('2100-01-01T00:00:00.000Z') });
    expect(a.report.exceptions[0]).toMatchObject({ id: 'exc-open-membership', active: true, covers: ['2.1.open-membership|organization|acme-demo'] });
    expect(a.report.exceptionSummary).toMatchObject({ accepted: 1, active: 1, expired: 0 });
    expect(a.report.exceptionSummary?.withExceptions.fail).toBe((a.report.summary.counts.fail ?? 0) - 1);
    expect(a.report.attestations.map((x) => x.id)).toEqual(['att-idp-mfa']);
    expect(a.report.integrationRegister.map((x) => x.integration)).toEqual(['deploy-bot']);

    const lapsed = path.join(dirs.make(), 'lapsed');
    const b = await demoPackage(sim, lapsed, { registers: registers('2020-01-01T00:00:00.000Z') });
    expect(b.report.exceptions[0]).toMatchObject({ active: false, covers: [] });
    expect(b.report.exceptionSummary).toMatchObject({ accepted: 0, active: 0, expired: 1 });
    expect(b.report.exceptionSummary?.withExceptions.fail).toBe(b.report.summary.counts.fail);
    // The finding keeps its real status in both.
    for (const r of [a.report, b.report]) expect(r.findings.find((f) => f.check === '2.1.open-membership')?.status).toBe('fail');

    for (const dir of [live, lapsed]) expect((await verifyEvidencePackage(dir, { expectedPublicKeyPem: TEST_KEY.publicKeyPem })).problems).toEqual([]);

    // Reviving the lapsed exception by editing report.json (and re-signing) is caught.
    const forged = path.join(dirs.make(), 'forged');
    cpSync(lapsed, forged, { recursive: true });
    const file = path.join(forged, 'report.json');
    const report = JSON.parse(readFileSync(file, 'utf8')) as EvidenceReport;
    const e = report.exceptions[0];
    if (!e) throw new Error('no exception');
    e.active = true;
    writeFileSync(file, JSON.stringify(report));
    await signPackage(forged, TEST_KEY, {});
    const v = await verifyEvidencePackage(forged, { expectedPublicKeyPem: TEST_KEY.publicKeyPem });
    expect(v.valid).toBe(false);
    expect(v.problems).toContain('report.json: exception exc-open-membership is marked active, but by its expiry it is expired');
  });
});

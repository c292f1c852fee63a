import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDrift, loadBaselinePackage } from '../../../core/evidence/drift';
import { buildEvidenceReport } from '../../../core/evidence/writer';
import type { ExceptionEntry, Registers } from '../../../shared/settings';
import { createDemoState, startSimulator, type RunningSimulator, type SimOrg } from '../../../simulator/index';
import { auditDemo } from '../../helpers/demo-audit';
import { demoPackage, tempDirs, TEST_KEY } from '../../helpers/evidence';

let sim: RunningSimulator;
const dirs = tempDirs();
beforeAll(async () => {
  sim = await startSimulator({ state: createDemoState() });
});
afterAll(async () => {
  await sim.close();
  dirs.cleanup();
});

function org(): SimOrg {
  const o = sim.state.organizations[0];
  if (!o) throw new Error('no demo org');
  return o;
}

const exception = (expiresAt: string): ExceptionEntry => ({
  id: 'exc-rate-limits',
  control: '3.2',
  reason: 'Mobile clients burst at release time.',
  approvedBy: 'CISO',
  expiresAt,
  createdAt: '2026-01-10T09:00:00.000Z',
});
const registers = (expiresAt: string): Registers => ({ exceptions: [exception(expiresAt)], integrationRegister: [], attestations: [] });

describe('drift between two packages', () => {
  it('lists newly failing, regressed, fixed, new integrations and scopes, and expired exceptions', async () => {
    // The last review: open membership was off, one key had no rate limit, the exception counted.
    org().settings.openMembership = false;
    const key = org().projects.flatMap((p) => p.keys).find((k) => k.rateLimit === null);
    if (!key) throw new Error('the demo has no key without a rate limit');
    const baselineDir = path.join(dirs.make(), 'baseline');
    await demoPackage(sim, baselineDir, { registers: registers('2100-01-01T00:00:00.000Z') });

    // Since then: open membership back on (regression), the key got a rate limit (fixed), a new
    // internal integration with an admin scope (new integration, newly failing), more scopes for
    // an existing one, and the exception's expiry was pulled in (expired).
    org().settings.openMembership = true;
    key.rateLimit = { window: 60, count: 600 };
    const template = org().sentryApps[1];
    if (!template) throw new Error('no app to copy');
    org().sentryApps.push({ ...template, id: 6099, slug: 'release-robot', name: 'release-robot', uuid: '99999999-0000-4000-8000-000000000000', scopes: ['org:admin', 'org:read'] });
    const metrics = org().sentryApps.find((a) => a.slug === 'metrics-exporter');
    if (!metrics) throw new Error('no metrics-exporter');
    metrics.scopes = [...metrics.scopes, 'project:write'];

    const baseline = await loadBaselinePackage(baselineDir, { expectedPublicKeyPem: TEST_KEY.publicKeyPem });
    expect(baseline.signer).toBe(TEST_KEY.fingerprint);
    const currentDir = path.join(dirs.make(), 'current');
    const current = await demoPackage(sim, currentDir, { registers: registers('2020-01-01T00:00:00.000Z'), extra: { baseline } });
    const drift = current.report.drift;
    if (!drift) throw new Error('no drift section');

    expect(drift.baseline.reportSha256).toBe(baseline.reportSha256);
    expect(drift.regressed.map((d) => [d.check, d.before, d.after])).toEqual([['2.1.open-membership', 'pass', 'fail']]);
    expect(drift.fixed.map((d) => [d.check, d.resource.id, d.before, d.after])).toEqual([['3.2.rate-limit', key.id, 'fail', null]]);
    expect(drift.noLongerReported).toEqual([]);
    expect(drift.newlyFailing.some((d) => d.control === 'INT.2' && d.resource.id === 'release-robot' && d.before === null)).toBe(true);
    expect(drift.newIntegrations).toEqual([{ resource: { type: 'sentry_app', id: 'release-robot', name: 'release-robot' }, scopes: ['org:admin', 'org:read'] }]);
    expect(drift.newScopes).toEqual([{ resource: { type: 'sentry_app', id: 'metrics-exporter', name: 'metrics-exporter' }, scopes: ['project:write'] }]);
    expect(drift.expiredExceptions).toEqual([{ id: 'exc-rate-limits', control: '3.2', reason: exception('').reason, expiresAt: '2020-01-01T00:00:00.000Z' }]);
    expect(drift.notes).toEqual([]);
  });

  it('compares nothing with itself, and refuses a baseline of another organization or one that was edited', async () => {
    const dir = path.join(dirs.make(), 'pkg');
    await demoPackage(sim, dir);
    const baseline = await loadBaselinePackage(dir);
    const same = computeDrift(baseline, baseline.report);
    expect([same.newlyFailing, same.regressed, same.fixed, same.noLongerReported, same.newIntegrations, same.newScopes, same.expiredExceptions]).toEqual([[], [], [], [], [], [], []]);

    const other = buildEvidenceReport({ final: await auditDemo(sim) });
    other.target = { ...other.target, org: { ...other.target.org, id: '999', slug: 'globex' } };
    expect(() => computeDrift(baseline, other)).toThrow(/baseline is of organization acme-demo \(id \d+\), not globex/);

    const edited = path.join(dirs.make(), 'edited');
    cpSync(dir, edited, { recursive: true });
    const file = path.join(edited, 'report.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"fail"', '"pass"'));
    await expect(loadBaselinePackage(edited)).rejects.toThrow(/fails verification: report\.json: changed since signing/);
    await expect(loadBaselinePackage(path.join(dirs.make(), 'missing'))).rejects.toMatchObject({ code: 'not_found' });
  });
});

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { levelIncludes } from '../../../shared/levels';
import type { Level } from '../../../shared/levels';
import { CONTROLS } from '../../../core/controls/index';
import type { ControlDefinition } from '../../../core/controls/types';
import { FakeOrgData, hardenedState, makeCtx } from './fake-org-data';

const CONTROLS_DIR = path.resolve(import.meta.dirname, '../../../core/controls');

function looksLikeControl(v: unknown): v is ControlDefinition {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as ControlDefinition).id === 'string' &&
    typeof (v as ControlDefinition).evaluate === 'function' &&
    Array.isArray((v as ControlDefinition).checks)
  );
}

describe('control catalog', () => {
  it('lists every control defined in core/controls/', async () => {
    const files = readdirSync(CONTROLS_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    const defined: ControlDefinition[] = [];
    for (const f of files) {
      const mod = (await import(pathToFileURL(path.join(CONTROLS_DIR, f)).href)) as Record<string, unknown>;
      for (const v of Object.values(mod)) if (looksLikeControl(v)) defined.push(v);
    }
    expect(defined.length).toBe(CONTROLS.length);
    for (const c of defined) expect(CONTROLS).toContain(c);
  });

  it('has exactly the fixed ids, in guide order then INT.1..INT.6', () => {
    expect(CONTROLS.map((c) => c.id)).toEqual([
      '1.1', '1.2', '2.1', '2.2', '2.3', '2.4', '3.1', '3.2', '3.3', '3.4', '4.1',
      'INT.1', 'INT.2', 'INT.3', 'INT.4', 'INT.5', 'INT.6',
    ]);
  });

  it('gives every check a unique id prefixed by its control id', () => {
    const ids = CONTROLS.flatMap((c) => c.checks.map((k) => k.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CONTROLS) {
      expect(c.checks.length).toBeGreaterThan(0);
      for (const k of c.checks) {
        expect(k.id.startsWith(`${c.id}.`)).toBe(true);
        expect(k.id.slice(c.id.length + 1)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(k.title.length).toBeGreaterThan(5);
      }
    }
  });

  it('documents every control: mappings for three frameworks, rationale, manual steps, scopes', () => {
    for (const c of CONTROLS) {
      expect(c.mappings.cis.length, c.id).toBeGreaterThan(0);
      expect(c.mappings.nist.length, c.id).toBeGreaterThan(0);
      expect(c.mappings.soc2.length, c.id).toBeGreaterThan(0);
      for (const m of [...c.mappings.cis, ...c.mappings.nist, ...c.mappings.soc2]) expect(m.trim()).toBe(m);
      expect(c.rationale.length, c.id).toBeGreaterThan(80);
      expect(c.manualSteps.length, c.id).toBeGreaterThan(0);
      expect(c.requiredScopes.length, c.id).toBeGreaterThan(0);
      expect(c.title.length).toBeGreaterThan(5);
    }
  });

  it('keeps the guide\'s mappings where the guide gives them', () => {
    const byId = Object.fromEntries(CONTROLS.map((c) => [c.id, c]));
    expect(byId['1.1']?.mappings).toEqual({ cis: ['6.3', '12.5'], nist: ['IA-2', 'IA-8'], soc2: ['CC6.1'] });
    expect(byId['1.2']?.mappings.nist).toEqual(['IA-2(1)']);
    expect(byId['2.1']?.mappings.soc2).toEqual(['CC6.2']);
    expect(byId['2.3']?.mappings.nist).toEqual(['AC-6(1)']);
    expect(byId['2.4']?.mappings.cis).toEqual(['5.4', '3.11']);
    expect(byId['3.2']?.mappings.soc2).toEqual(['CC6.7']);
    expect(byId['3.4']?.mappings.nist).toEqual(['SI-12', 'SC-7']);
    expect(byId['4.1']?.mappings).toEqual({ cis: ['8.2'], nist: ['AU-2'], soc2: ['CC7.2'] });
  });

  it('sets each control\'s level to the lowest level of its checks, as the guide does', () => {
    const rank: Record<Level, number> = { L1: 1, L2: 2, L3: 3 };
    for (const c of CONTROLS) {
      const lowest = c.checks.map((k) => k.level).sort((a, b) => rank[a] - rank[b])[0];
      expect(c.level, c.id).toBe(lowest);
    }
    const levels = Object.fromEntries(CONTROLS.map((c) => [c.id, c.level]));
    expect(levels).toMatchObject({ '1.1': 'L1', '2.2': 'L2', '2.4': 'L1', '3.3': 'L2', '3.4': 'L3', '4.1': 'L1' });
  });
});

describe('the whole catalog on a hardened organization', () => {
  for (const level of ['L1', 'L2', 'L3'] as const) {
    it(`finds nothing wrong at ${level} and reports only checks of that level`, async () => {
      const data = new FakeOrgData(hardenedState());
      const ctx = makeCtx(data, { level });
      const findings = (await Promise.all(CONTROLS.map((c) => c.evaluate(ctx)))).flat();
      const bad = findings.filter((f) => f.status === 'fail' || f.status === 'error');
      expect(bad.map((f) => `${f.check}: ${f.message}`)).toEqual([]);
      for (const f of findings) expect(levelIncludes(level, f.level)).toBe(true);
      // Every check of the level produced at least one finding.
      const checks = CONTROLS.flatMap((c) => c.checks).filter((k) => levelIncludes(level, k.level));
      for (const k of checks) expect(findings.some((f) => f.check === k.id), k.id).toBe(true);
      // Memoized reads: no read is made twice.
      expect(new Set(data.requests).size).toBe(data.requests.length);
    });
  }

  it('makes no read at L1 that only L2 or L3 checks need', async () => {
    const data = new FakeOrgData(hardenedState());
    await Promise.all(CONTROLS.map((c) => c.evaluate(makeCtx(data, { level: 'L1' }))));
    expect(data.requests.filter((r) => r.startsWith('projectFilters:'))).toEqual([]);
    const l3 = new FakeOrgData(hardenedState());
    await Promise.all(CONTROLS.map((c) => c.evaluate(makeCtx(l3, { level: 'L3' }))));
    expect(l3.requests.filter((r) => r.startsWith('projectFilters:')).sort()).toEqual(['projectFilters:api', 'projectFilters:web']);
    // Project details are read once per project however many controls need them.
    expect(l3.requests.filter((r) => r.startsWith('projectDetail:')).sort()).toEqual(['projectDetail:api', 'projectDetail:web']);
  });

  it('turns every read failing for a missing scope into errors, never a pass', async () => {
    const data = new FakeOrgData(hardenedState());
    for (const key of [
      'tokenInfo', 'organization', 'authProvider', 'members', 'teams', 'teamMembers:backend', 'teamMembers:frontend',
      'projects', 'projectDetail:api', 'projectDetail:web', 'projectKeys', 'projectFilters:api', 'projectFilters:web',
      'auditLog', 'integrations', 'sentryApps', 'sentryAppInstallations', 'orgAuthTokens',
    ]) {
      data.failWith(key, 'missing_scope');
    }
    const ctx = makeCtx(data, { level: 'L3' });
    const findings = (await Promise.all(CONTROLS.map((c) => c.evaluate(ctx)))).flat();
    expect(findings.filter((f) => f.status === 'pass' || f.status === 'fail' || f.status === 'not_applicable')).toEqual([]);
    for (const f of findings.filter((x) => x.status === 'error')) {
      expect(f.errorCode).toBe('missing_scope');
      expect(f.message).toMatch(/GET \/api\/0\//);
      expect(f.message).toMatch(/lacks the scope/);
    }
    // Every check that rests on a read says so.
    for (const c of CONTROLS) expect(findings.some((f) => f.control === c.id), c.id).toBe(true);
  });

  it('gives no pass when every read stopped before its last page', async () => {
    const data = new FakeOrgData(hardenedState());
    for (const key of [
      'members', 'teams', 'teamMembers:backend', 'teamMembers:frontend', 'projects', 'projectKeys',
      'integrations', 'sentryApps', 'sentryAppInstallations', 'orgAuthTokens',
    ]) {
      data.incomplete.add(key);
    }
    const ctx = makeCtx(data, { level: 'L3' });
    const findings = (await Promise.all(CONTROLS.map((c) => c.evaluate(ctx)))).flat();
    for (const f of findings.filter((x) => x.status === 'pass')) {
      expect(f.evidence.every((e) => e.complete), `${f.check} passed on incomplete evidence`).toBe(true);
    }
    expect(findings.some((f) => f.errorCode === 'incomplete_pagination')).toBe(true);
  });
});

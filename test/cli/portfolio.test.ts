import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPrivateKeyPem, generateSigningKey } from '../../core/evidence/keys';
import { createAppStore } from '../../core/store/index';
import { PORTFOLIO_CSV_COLUMNS } from '../../core/portfolio/render';
import type { PortfolioEntry } from '../../core/portfolio/portfolio';
import { createDemoState, DEMO_ORG_SLUG, DEMO_TOKENS, generateOrg, GENERATED_TOKENS, startSimulator } from '../../simulator/index';
import type { RunningSimulator, SimOrg } from '../../simulator/index';
import { runCli } from '../helpers/cli';
import { tempDirs } from '../helpers/evidence';
import { readDecoded } from '../helpers/decoded-file';

const dirs = tempDirs();
const KEY = generateSigningKey();

/**
 * Strings that identify one client's data beyond the portfolio's summary fields: member emails,
 * client key ids, and the project and team slugs specific enough not to be ordinary words.
 */
function privateStrings(org: SimOrg): string[] {
  const slugs = [...org.projects.map((p) => p.slug), ...org.teams.map((t) => t.slug)].filter((s) => s.includes('-') && s.length >= 8);
  return [...slugs, ...org.members.map((m) => m.email), ...org.projects.flatMap((p) => p.keys.map((k) => k.id))];
}

function allFiles(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readDecoded(path.join(e.parentPath, e.name)))
    .join('\n');
}

describe('sentry-harden portfolio', () => {
  let demo: RunningSimulator;
  let other: RunningSimulator;
  let work: string;
  let env: NodeJS.ProcessEnv;
  let demoOrg: SimOrg;
  let otherOrg: SimOrg;
  const pkgA = (): string => path.join(work, 'client-a', 'package');
  const pkgB = (): string => path.join(work, 'client-b', 'package');

  beforeAll(async () => {
    work = dirs.make('portfolio-');
    const state = createDemoState();
    demoOrg = state.organizations.find((o) => o.slug === DEMO_ORG_SLUG)!;
    demo = await startSimulator({ state });
    const gen = generateOrg({ seed: 42, projects: 12, keysPerProject: 2, members: 40, teams: 5, integrations: 3, slug: 'beta-industries' });
    otherOrg = gen.org;
    other = await startSimulator({ state: gen.state });
    const config = path.join(work, 'config');
    const store = createAppStore({ cwd: config });
    const createdAt = new Date().toISOString();
    store.saveProfile({ id: 'client-a', label: 'Client A (Acme)', baseUrl: demo.url, orgSlug: DEMO_ORG_SLUG, level: 'L2', createdAt });
    store.saveProfile({ id: 'client-b', label: 'Client B (Beta)', baseUrl: other.url, orgSlug: 'beta-industries', level: 'L1', createdAt });
    store.saveRegisters('client-a', {
      exceptions: [
        { id: 'e1', control: '2.3', reason: 'Founders keep owner rights.', approvedBy: 'CISO', expiresAt: new Date(Date.now() + 10 * 86_400_000).toISOString(), createdAt },
        { id: 'e2', control: '3.2', reason: 'Legacy SDK.', approvedBy: 'CISO', expiresAt: new Date(Date.now() - 86_400_000).toISOString(), createdAt },
      ],
      integrationRegister: [],
      attestations: [],
    });
    const keyFile = path.join(work, 'key.pem');
    writeFileSync(keyFile, exportPrivateKeyPem(KEY.privateKey));
    env = { SENTRY_HARDEN_CONFIG_DIR: config, SENTRY_HARDEN_KEYCHAIN_SERVICE: 'not a valid service!' };
    const a = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', demo.url, '--level', 'L2', '--profile', 'client-a', '--out', pkgA(), '--sign-key', keyFile], { env: { ...env, SENTRY_AUTH_TOKEN: DEMO_TOKENS.admin } });
    expect([0, 1, 3], a.stderr).toContain(a.code);
    const b = await runCli(['audit', '--org', 'beta-industries', '--url', other.url, '--profile', 'client-b', '--out', pkgB(), '--sign-key', keyFile, '--review-days', '1'], { env: { ...env, SENTRY_AUTH_TOKEN: GENERATED_TOKENS.admin } });
    expect([0, 1, 3], b.stderr).toContain(b.code);
  });
  afterAll(async () => {
    await demo.close();
    await other.close();
    dirs.cleanup();
  });

  it('lists every saved organization with its checked last package, exceptions and review', async () => {
    const r = await runCli(['portfolio', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const entries = JSON.parse(r.stdout) as PortfolioEntry[];
    expect(entries.map((e) => e.profileId).sort()).toEqual(['client-a', 'client-b']);
    const a = entries.find((e) => e.profileId === 'client-a')!;
    expect(a.lastPackage.state).toBe('valid');
    const report = JSON.parse(readFileSync(path.join(pkgA(), 'report.json'), 'utf8')) as { summary: { counts: unknown }; level: string };
    if (a.lastPackage.state === 'valid') {
      expect(a.lastPackage.counts).toEqual(report.summary.counts);
      expect(a.lastPackage.level).toBe('L2');
    }
    expect(a.exceptions).toEqual({ open: 1, expiringSoon: 1, expired: 1 });
    expect(a.review?.overdue).toBe(false);
  });

  it('shows what drifted since the previous signed package of the organization', async () => {
    // A second audit of client A after someone fixed one setting: its package becomes the last one.
    demoOrg.settings.openMembership = false;
    const keyFile = path.join(work, 'key.pem');
    const second = path.join(work, 'client-a', 'package-2');
    const a2 = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', demo.url, '--level', 'L2', '--profile', 'client-a', '--out', second, '--sign-key', keyFile], { env: { ...env, SENTRY_AUTH_TOKEN: DEMO_TOKENS.admin } });
    expect([0, 1, 3], a2.stderr).toContain(a2.code);
    const review = createAppStore({ cwd: env.SENTRY_HARDEN_CONFIG_DIR! }).getRegisters('client-a').review;
    expect(review?.lastPackage).toBe(second);
    expect(review?.previousPackage).toBe(pkgA());
    const r = await runCli(['portfolio', '--json'], { env });
    const a = (JSON.parse(r.stdout) as PortfolioEntry[]).find((e) => e.profileId === 'client-a')!;
    expect(a.lastPackage.state).toBe('valid');
    if (a.lastPackage.state !== 'valid') return;
    expect(a.lastPackage.drift).toMatchObject({ against: 'previous', newlyFailing: 0, regressed: 0 });
    expect(a.lastPackage.drift?.fixed).toBeGreaterThanOrEqual(1);
    const text = await runCli(['portfolio'], { env });
    expect(text.stdout).toMatch(/since the previous package: 0 newly failing, 0 regressed, [1-9]\d* fixed/);
  });

  it('flags a package that no longer verifies, and an overdue review (exit 1)', async () => {
    const reportFile = path.join(pkgB(), 'report.json');
    const original = readFileSync(reportFile, 'utf8');
    writeFileSync(reportFile, original.replace('"fail"', '"pass"'));
    try {
      const later = await runCli(['portfolio', '--json'], { env });
      const b = (JSON.parse(later.stdout) as PortfolioEntry[]).find((e) => e.profileId === 'client-b')!;
      expect(b.lastPackage.state).toBe('invalid');
    } finally {
      writeFileSync(reportFile, original);
    }
    const store = createAppStore({ cwd: env.SENTRY_HARDEN_CONFIG_DIR! });
    const regs = store.getRegisters('client-b');
    store.saveRegisters('client-b', { ...regs, review: { ...regs.review!, nextReviewDate: new Date(Date.now() - 86_400_000).toISOString() } });
    const r = await runCli(['portfolio'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Client B \(Beta\)[^\n]*\n[^\n]*\n[^\n]*OVERDUE/);
  });

  it('keeps clients apart: no client\'s data in another\'s package, and only summary fields in the export', async () => {
    expect(privateStrings(otherOrg).length).toBeGreaterThan(50);
    expect(privateStrings(demoOrg).filter((s) => allFiles(pkgA()).includes(s)).length).toBeGreaterThan(0);
    expect(privateStrings(otherOrg).filter((s) => allFiles(pkgA()).includes(s))).toEqual([]);
    expect(privateStrings(demoOrg).filter((s) => allFiles(pkgB()).includes(s))).toEqual([]);
    const html = path.join(work, 'portfolio.html');
    const csv = path.join(work, 'portfolio.csv');
    const r = await runCli(['portfolio', '--html', html, '--csv', csv], { env });
    expect([0, 1]).toContain(r.code);
    const exported = `${readFileSync(html, 'utf8')}\n${readFileSync(csv, 'utf8')}\n${r.stdout}`;
    for (const org of [demoOrg, otherOrg]) expect(privateStrings(org).filter((s) => exported.includes(s))).toEqual([]);
    const findingMessages = (JSON.parse(readFileSync(path.join(pkgA(), 'report.json'), 'utf8')) as { findings: { message: string }[] }).findings.map((f) => f.message);
    expect(findingMessages.filter((m) => m.length > 20 && exported.includes(m))).toEqual([]);
    expect(readFileSync(csv, 'utf8').split('\r\n')[0]).toBe(PORTFOLIO_CSV_COLUMNS.join(','));
    expect(exported).toContain('Client A (Acme)');
    expect(exported).toContain('beta-industries');
    expect(readFileSync(html, 'utf8')).not.toMatch(/<script/i);
    // Never overwrites.
    expect((await runCli(['portfolio', '--csv', csv], { env })).code).toBe(2);
  });
});

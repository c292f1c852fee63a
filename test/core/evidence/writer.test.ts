import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogIdentity } from '../../../core/evidence/catalog-digest';
import { catalogTexts } from '../../../core/evidence/catalog-texts';
import { renderReportHtml } from '../../../core/evidence/render/html/index';
import { readZip } from '../../../core/evidence/zip';
import { verifyEvidencePackage } from '../../../core/evidence/verify';
import { buildEvidenceReport, DEFAULT_RENDERERS, writeEvidencePackage } from '../../../core/evidence/writer';
import { SIGNATURE_DISCLAIMER, type EvidenceReport } from '../../../shared/evidence';
import { createDemoState, startSimulator, type RunningSimulator } from '../../../simulator/index';
import { auditDemo } from '../../helpers/demo-audit';
import { demoPackage, filesHoldingSecrets, filesOf, simulatorSecrets, tempDirs, TEST_KEY } from '../../helpers/evidence';
import { parseReportText } from '../../helpers/report-file';
import { readDecoded } from '../../helpers/decoded-file';

let sim: RunningSimulator;
const dirs = tempDirs();
beforeAll(async () => {
  sim = await startSimulator({ state: createDemoState() });
});
afterAll(async () => {
  await sim.close();
  dirs.cleanup();
});

function readReport(dir: string): EvidenceReport {
  return parseReportText(readFileSync(path.join(dir, 'report.json'), 'utf8'));
}

describe('evidence package writer', () => {
  it('writes a signed before-only package of the demo organization that verifies, with every response in raw/', async () => {
    const out = path.join(dirs.make(), 'pkg');
    const written = await demoPackage(sim, out);
    expect(written.format).toBe('folder');
    const files = filesOf(out);
    expect(files).toEqual(written.files);
    const fixed = files.filter((f) => !f.startsWith('raw/'));
    expect(fixed).toEqual([
      'attestation.dsse.json',
      'findings.csv',
      'manifest.json',
      'oscal/assessment-results.json',
      'report.html',
      'report.json',
      'review.ics',
      'signing-key.fingerprint.txt',
      'signing-key.pub.pem',
    ]);

    const report = readReport(out);
    expect(report.kind).toBe('sentry-harden/evidence');
    expect(report.before).toBeNull();
    expect(report.changes).toEqual([]);
    expect(report.disclaimer).toBe(SIGNATURE_DISCLAIMER);
    expect(report.catalog).toEqual(catalogIdentity());
    expect(report.signer).toEqual({ keyid: TEST_KEY.keyid, fingerprint: TEST_KEY.fingerprint });
    expect(report.token.scopes.length).toBeGreaterThan(0);
    expect(report.session?.startedAt).toBe(report.startedAt);
    // The next review: 90 days after the session finished.
    expect(Date.parse(report.review.nextReviewDate) - Date.parse(report.finishedAt)).toBe(90 * 86_400_000);
    expect(report.review.intervalDays).toBe(90);

    // Every response has its raw file, whose bytes hash to its name; every finding's read is listed.
    const raw = files.filter((f) => f.startsWith('raw/'));
    expect(raw.length).toBe(new Set(report.responses.map((r) => r.sha256)).size);
    for (const r of report.responses) expect(raw).toContain(`raw/${r.sha256}.json.gz`);
    const reads = new Set(report.reads.map((r) => r.sha256));
    for (const f of report.findings) for (const e of f.evidence) expect(reads.has(e.sha256)).toBe(true);
    for (const read of report.reads) for (const page of read.responses) expect(existsSync(path.join(out, 'raw', `${page.sha256}.json.gz`))).toBe(true);

    // The human-readable files carry the signer's fingerprint and the findings.
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain(TEST_KEY.fingerprint);
    expect(readFileSync(path.join(out, 'findings.csv'), 'utf8').split('\n').length).toBeGreaterThan(report.findings.length);

    const v = await verifyEvidencePackage(out, { expectedPublicKeyPem: TEST_KEY.publicKeyPem });
    expect(v.problems).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.integrity?.signature.identityVerified).toBe(true);
    expect(v.recomputed).toEqual([{ audit: 'audit', findings: report.findings.length, agrees: true }]);
  });

  it('records the catalog texts and the demo flag, and its report.html is a function of report.json alone', async () => {
    const out = path.join(dirs.make(), 'pkg');
    await demoPackage(sim, out, { extra: { demo: true } });
    const report = readReport(out);
    expect(report.demo).toBe(true);
    expect(report.catalogTexts).toEqual(catalogTexts());
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    // verify can render the page again from report.json and compare byte for byte.
    expect(renderReportHtml(report)).toBe(html);
    expect(html).toContain('Demo organization, simulated data');
    const real = path.join(dirs.make(), 'pkg');
    await demoPackage(sim, real);
    expect(readReport(real).demo).toBeUndefined();
  });

  it('writes a single .zip that verifies as it is', async () => {
    const zip = path.join(dirs.make(), 'evidence-2026.zip');
    const written = await demoPackage(sim, zip);
    expect(written.format).toBe('zip');
    const names = readZip(readFileSync(zip)).map((e) => e.name);
    expect(names).toContain('evidence-2026/report.json');
    expect(names).toContain('evidence-2026/attestation.dsse.json');
    // Nothing but the zip is left beside it.
    expect(readdirSync(path.dirname(zip))).toEqual(['evidence-2026.zip']);
    const v = await verifyEvidencePackage(zip, { expectedPublicKeyPem: TEST_KEY.publicKeyPem });
    expect(v.problems).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.format).toBe('zip');
  });

  it('holds no API token and no client key secret in any file (raw/ bodies are redacted)', async () => {
    const out = path.join(dirs.make(), 'pkg');
    await demoPackage(sim, out, { level: 'L3' });
    const secrets = simulatorSecrets(sim.state);
    expect(secrets.length).toBeGreaterThan(10);
    expect(filesHoldingSecrets(out, secrets)).toEqual([]);
    // The key reads were recorded (so the check is not vacuous): their secrets show as redacted.
    const keyBodies = filesOf(out)
      .filter((f) => f.startsWith('raw/'))
      .map((f) => readDecoded(path.join(out, f)))
      .filter((b) => b.includes('"dsn"'));
    expect(keyBodies.length).toBeGreaterThan(0);
    expect(keyBodies.join('')).toContain('[redacted]');
  });

  it('refuses to write a package in which a forbidden string (the token) would appear, and leaves nothing behind', async () => {
    const parent = dirs.make();
    const out = path.join(parent, 'pkg');
    const audit = await auditDemo(sim);
    await expect(writeEvidencePackage(out, { final: audit }, { key: TEST_KEY, forbidden: ['Acme Demo'] })).rejects.toThrow(
      /^Refusing to write the evidence package: \S+ would contain the API token\.$/,
    );
    expect(readdirSync(parent)).toEqual([]);
  });

  it('finds a forbidden string inside a compressed raw/ body, where a byte search of the file would not', async () => {
    const audit = await auditDemo(sim);
    const probe = path.join(dirs.make(), 'probe');
    await writeEvidencePackage(probe, { final: audit }, { key: TEST_KEY });
    // A value that only a raw/ body holds: nothing else of the package names it.
    const others = filesOf(probe).filter((f) => !f.startsWith('raw/')).map((f) => readFileSync(path.join(probe, f), 'utf8')).join('\n');
    const onlyRaw = filesOf(probe)
      .filter((f) => f.startsWith('raw/'))
      .flatMap((f) => readDecoded(path.join(probe, f)).match(/"[A-Za-z0-9][A-Za-z0-9 ._:/-]{11,40}"/g) ?? [])
      .map((s) => s.slice(1, -1))
      .find((s) => !others.includes(s));
    expect(onlyRaw).toBeDefined();
    expect(filesOf(probe).some((f) => f.startsWith('raw/') && readFileSync(path.join(probe, f)).includes(Buffer.from(onlyRaw!)))).toBe(false);
    const parent = dirs.make();
    await expect(writeEvidencePackage(path.join(parent, 'pkg'), { final: audit }, { key: TEST_KEY, forbidden: [onlyRaw!] })).rejects.toThrow(
      /^Refusing to write the evidence package: raw\/[0-9a-f]{64}\.json\.gz would contain the API token\.$/,
    );
    expect(readdirSync(parent)).toEqual([]);
  });

  it('finds a forbidden string that straddles two reads of a large file, and accepts a streamed findings.csv otherwise', async () => {
    const audit = await auditDemo(sim);
    const token = 'sntryu_straddling0123456789';
    // The search reads a MiB at a time: put the token across the first boundary.
    const padded = (text: string) => ({ ...DEFAULT_RENDERERS, csv: () => ['x'.repeat((1 << 20) - 5), text, 'y'.repeat(100)] });
    const parent = dirs.make();
    await expect(writeEvidencePackage(path.join(parent, 'pkg'), { final: audit }, { key: TEST_KEY, forbidden: [token], renderers: padded(token) })).rejects.toThrow(
      /^Refusing to write the evidence package: findings\.csv would contain the API token\.$/,
    );
    expect(readdirSync(parent)).toEqual([]);
    const ok = await writeEvidencePackage(path.join(parent, 'ok'), { final: audit }, { key: TEST_KEY, forbidden: [token], renderers: padded('harmless') });
    expect(readFileSync(path.join(ok.path, 'findings.csv'), 'utf8')).toBe(`${'x'.repeat((1 << 20) - 5)}harmless${'y'.repeat(100)}`);
  });

  it('replaces an earlier package in place, but refuses a folder holding other files', async () => {
    const parent = dirs.make();
    const out = path.join(parent, 'pkg');
    await demoPackage(sim, out);
    const again = await demoPackage(sim, out);
    expect(filesOf(out)).toEqual(again.files);
    expect(readdirSync(parent)).toEqual(['pkg']);
    expect((await verifyEvidencePackage(out)).valid).toBe(true);

    const mine = path.join(parent, 'mine');
    mkdirSync(mine);
    writeFileSync(path.join(mine, 'notes.txt'), 'keep me');
    await expect(demoPackage(sim, mine)).rejects.toThrow(/notes\.txt.*choose a new or empty folder/);
    expect(readFileSync(path.join(mine, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('refuses to combine audits of different levels into one before/after package', async () => {
    const a = await auditDemo(sim, { level: 'L1' });
    const b = await auditDemo(sim, { level: 'L2' });
    expect(() => buildEvidenceReport({ before: a, final: b })).toThrow(/different levels/);
  });
});

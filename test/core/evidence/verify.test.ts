import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countByStatus } from '../../../shared/finding';
import type { EvidenceReport } from '../../../shared/evidence';
import { generateSigningKey } from '../../../core/evidence/keys';
import { signPackage } from '../../../core/evidence/package';
import { verifyEvidencePackage } from '../../../core/evidence/verify';
import { writeEvidencePackage } from '../../../core/evidence/writer';
import { createDemoState, DEMO_TOKENS, startSimulator, type RunningSimulator } from '../../../simulator/index';
import { auditDemo } from '../../helpers/demo-audit';
import { demoPackage, tempDirs, TEST_KEY } from '../../helpers/evidence';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { readDecoded } from '../../helpers/decoded-file';

let sim: RunningSimulator;
const dirs = tempDirs();
/** A before-only package and a before/after one, made once; each test works on a copy. */
let single: string;
let beforeAfter: string;
const OTHER_KEY = generateSigningKey();

beforeAll(async () => {
  sim = await startSimulator({ state: createDemoState() });
  single = path.join(dirs.make(), 'single');
  await demoPackage(sim, single);
  const before = await auditDemo(sim);
  const org = sim.state.organizations[0];
  if (!org) throw new Error('no demo org');
  org.settings.openMembership = false; // what a fix would do
  const after = await auditDemo(sim);
  org.settings.openMembership = true;
  beforeAfter = path.join(dirs.make(), 'before-after');
  await writeEvidencePackage(beforeAfter, { before, final: after }, { key: TEST_KEY, forbidden: Object.values(DEMO_TOKENS) });
});
afterAll(async () => {
  await sim.close();
  dirs.cleanup();
});

function copy(src: string): string {
  const dst = path.join(dirs.make(), 'copy');
  cpSync(src, dst, { recursive: true });
  return dst;
}

function rawFiles(dir: string): string[] {
  return readdirSync(path.join(dir, 'raw')).map((n) => `raw/${n}`);
}

function editJson(dir: string, edit: (r: EvidenceReport) => void): void {
  const file = path.join(dir, 'report.json');
  const report = JSON.parse(readFileSync(file, 'utf8')) as EvidenceReport;
  edit(report);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** What a forger does after editing: sign everything again with a key of their own. */
async function resign(dir: string): Promise<void> {
  await signPackage(dir, OTHER_KEY, { kind: 'sentry-harden/evidence' });
}

function flipByte(file: string, at = 0.5): void {
  const data = readFileSync(file);
  const i = Math.floor(data.length * at);
  data[i] = data[i] === 0x41 ? 0x42 : 0x41;
  writeFileSync(file, data);
}

describe('verify: signature and hashes', () => {
  it('accepts the package as written, checked against the expected key', async () => {
    const v = await verifyEvidencePackage(single, { expectedPublicKeyPem: TEST_KEY.publicKeyPem });
    expect(v.problems).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.integrity?.signature).toMatchObject({ ok: true, keySource: 'expected', identityVerified: true, fingerprint: TEST_KEY.fingerprint });
  });

  it.each([
    ['report.json', (d: string) => flipByte(path.join(d, 'report.json'))],
    ['a raw/ response', (d: string) => flipByte(path.join(d, rawFiles(d)[0] as string))],
    ['manifest.json', (d: string) => flipByte(path.join(d, 'manifest.json'), 0.3)],
    ['attestation.dsse.json', (d: string) => flipByte(path.join(d, 'attestation.dsse.json'), 0.9)],
    ['report.html', (d: string) => flipByte(path.join(d, 'report.html'))],
    ['findings.csv', (d: string) => flipByte(path.join(d, 'findings.csv'))],
    ['review.ics', (d: string) => flipByte(path.join(d, 'review.ics'))],
    ['signing-key.fingerprint.txt', (d: string) => flipByte(path.join(d, 'signing-key.fingerprint.txt'), 0.2)],
    ['signing-key.pub.pem', (d: string) => writeFileSync(path.join(d, 'signing-key.pub.pem'), OTHER_KEY.publicKeyPem)],
  ])('detects a changed byte in %s and names the file', async (_kind, tamper) => {
    const dir = copy(single);
    const fileOf = (d: string): string => {
      // The file the tamper function touches, found by comparing with the original.
      for (const rel of ['report.json', 'manifest.json', 'attestation.dsse.json', 'report.html', 'findings.csv', 'review.ics', 'signing-key.fingerprint.txt', 'signing-key.pub.pem', ...rawFiles(d)]) {
        if (!readFileSync(path.join(d, rel)).equals(readFileSync(path.join(single, rel)))) return rel;
      }
      return '(none)';
    };
    tamper(dir);
    const changed = fileOf(dir);
    expect(changed).not.toBe('(none)');
    for (const key of [undefined, TEST_KEY.publicKeyPem]) {
      const v = await verifyEvidencePackage(dir, key === undefined ? {} : { expectedPublicKeyPem: key });
      expect(v.valid).toBe(false);
      expect(v.problems.some((p) => p.startsWith(`${changed}:`)), v.problems.join('\n')).toBe(true);
    }
  });

  it('detects a file added after signing and a file removed', async () => {
    const added = copy(single);
    writeFileSync(path.join(added, 'raw', `${'0'.repeat(64)}.json.gz`), gzipSync('{}'));
    const a = await verifyEvidencePackage(added);
    expect(a.valid).toBe(false);
    expect(a.problems).toContain(`raw/${'0'.repeat(64)}.json.gz: not in the signed manifest (added after signing)`);

    const removed = copy(single);
    const gone = rawFiles(removed)[0] as string;
    rmSync(path.join(removed, gone));
    const r = await verifyEvidencePackage(removed);
    expect(r.valid).toBe(false);
    expect(r.problems.some((p) => p.startsWith(`${gone}: missing`))).toBe(true);
  });

  it('fails a package re-signed with another key when the expected public key is given', async () => {
    const dir = copy(single);
    await resign(dir);
    const v = await verifyEvidencePackage(dir, { expectedPublicKeyPem: TEST_KEY.publicKeyPem });
    expect(v.valid).toBe(false);
    expect(v.integrity?.signature.ok).toBe(false);
    expect(v.problems.some((p) => p.startsWith('attestation.dsse.json: signed by') && p.includes(OTHER_KEY.fingerprint))).toBe(true);
    expect(v.problems.some((p) => p.startsWith('report.json: names the signer') || p.startsWith('signing-key.pub.pem:'))).toBe(true);
    // Without the expected key the forger's signature holds, but report.json still names the real signer.
    const self = await verifyEvidencePackage(dir);
    expect(self.integrity?.signature.ok).toBe(true);
    expect(self.valid).toBe(false);
    expect(self.problems).toContain(`report.json: names the signer ${TEST_KEY.fingerprint}, but the package is signed by ${OTHER_KEY.fingerprint}`);
  });
});

describe('verify: every verdict recomputed from raw/', () => {
  it('catches a verdict edited in report.json and re-signed, even with the totals made consistent', async () => {
    const dir = copy(single);
    let edited = '';
    editJson(dir, (r) => {
      const f = r.findings.find((x) => x.status === 'fail');
      if (!f) throw new Error('no failing finding');
      f.status = 'pass';
      edited = `${f.check} on ${f.resource.type} "${f.resource.name}"`;
      r.summary.counts = countByStatus(r.findings);
      for (const c of r.controls) c.counts = countByStatus(r.findings.filter((x) => x.control === c.id));
      r.signer = { keyid: OTHER_KEY.keyid, fingerprint: OTHER_KEY.fingerprint };
      if (r.exceptionSummary) {
        r.exceptionSummary.withoutExceptions = r.summary.counts;
        r.exceptionSummary.withExceptions = r.summary.counts;
      }
    });
    await resign(dir);
    const v = await verifyEvidencePackage(dir);
    expect(v.integrity?.valid).toBe(true); // signature and hashes hold: only recomputation sees it
    expect(v.valid).toBe(false);
    expect(v.problems).toEqual([
      `report.json: in the audit, ${edited} (${v.report?.findings.find((x) => `${x.check} on ${x.resource.type} "${x.resource.name}"` === edited)?.resource.id}) is reported as pass, but recomputed from the recorded responses it is fail`,
      // Issue 9: the readable files no longer match what the edited report.json renders to.
      'report.html: differs from what report.json renders to, so it was edited or re-dressed',
      'findings.csv: differs from what report.json renders to, so it was edited or re-dressed',
      // Issue 13: so does the OSCAL file (its verdicts and the report's hash).
      'oscal/assessment-results.json: differs from what report.json renders to, so it was edited or re-dressed',
    ]);
    expect(v.recomputed).toEqual([{ audit: 'audit', findings: v.report?.findings.length, agrees: false }]);
  });

  it('catches a finding removed from report.json, and totals that do not add up', async () => {
    const dir = copy(single);
    editJson(dir, (r) => {
      r.findings = r.findings.filter((x) => x.status !== 'fail' || x.control !== '3.2');
      r.summary.counts.fail += 1;
    });
    await resign(dir);
    const v = await verifyEvidencePackage(dir);
    expect(v.valid).toBe(false);
    expect(v.problems.some((p) => /^report\.json: in the audit, the report leaves out 3\.2\./.test(p))).toBe(true);
    expect(v.problems.some((p) => p.startsWith('report.json: in the audit, the totals do not add up to the findings: fail'))).toBe(true);
  });

  it('catches a raw/ response replaced (renamed to its new hash) and re-signed', async () => {
    const dir = copy(single);
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as EvidenceReport;
    const orgRead = report.responses.find((r) => r.url.startsWith('/api/0/organizations/acme-demo/?'));
    if (!orgRead) throw new Error('no org read');
    const file = path.join(dir, 'raw', `${orgRead.sha256}.json.gz`);
    const edited = readDecoded(file).replace('"openMembership":true', '"openMembership":false');
    expect(edited).toContain('"openMembership":false');
    writeFileSync(file, gzipSync(edited));
    await resign(dir);
    const v = await verifyEvidencePackage(dir);
    expect(v.valid).toBe(false);
    expect(v.problems.some((p) => p.startsWith(`raw/${orgRead.sha256}.json.gz: its content does not match its name`))).toBe(true);
  });

  it('recomputes both audits of a before/after package and catches an edit to the before audit', async () => {
    const ok = await verifyEvidencePackage(beforeAfter, { expectedPublicKeyPem: TEST_KEY.publicKeyPem });
    expect(ok.problems).toEqual([]);
    expect(ok.valid).toBe(true);
    expect(ok.recomputed.map((a) => [a.audit, a.agrees])).toEqual([
      ['before', true],
      ['after', true],
    ]);
    const key = (r: EvidenceReport | null, which: 'before' | 'after') =>
      (which === 'before' ? r?.before?.findings : r?.findings)?.find((f) => f.check === '2.1.open-membership')?.status;
    expect(key(ok.report, 'before')).toBe('fail');
    expect(key(ok.report, 'after')).toBe('pass');

    const dir = copy(beforeAfter);
    editJson(dir, (r) => {
      const f = r.before?.findings.find((x) => x.check === '2.1.open-membership');
      if (!f) throw new Error('no finding');
      f.status = 'pass';
    });
    await resign(dir);
    const v = await verifyEvidencePackage(dir);
    expect(v.valid).toBe(false);
    expect(v.problems.some((p) => p.startsWith('report.json: in the before audit, 2.1.open-membership') && p.includes('reported as pass'))).toBe(true);
    expect(v.recomputed.map((a) => [a.audit, a.agrees])).toEqual([
      ['before', false],
      ['after', true],
    ]);
  });

  it('reports a package that is not one (no report.json, not a zip) as invalid, and a missing path as an error', async () => {
    const dir = copy(single);
    rmSync(path.join(dir, 'report.json'));
    const v = await verifyEvidencePackage(dir);
    expect(v.valid).toBe(false);
    expect(v.problems.some((p) => p.startsWith('report.json: missing'))).toBe(true);

    const notZip = path.join(dirs.make(), 'package.zip');
    writeFileSync(notZip, 'not a zip');
    const z = await verifyEvidencePackage(notZip);
    expect(z.valid).toBe(false);
    expect(z.problems[0]).toMatch(/^package\.zip: Not a usable ZIP archive/);

    await expect(verifyEvidencePackage(path.join(dirs.make(), 'nothing-here'))).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('verify: package layouts (raw/ compressed, group ids)', () => {
  it('still verifies a package of layout 2, as earlier versions wrote it (raw/*.json, whole group references)', async () => {
    const out = path.join(dirs.make(), 'layout2');
    await writeEvidencePackage(out, { final: await auditDemo(sim), layout: 2 }, { key: TEST_KEY });
    expect(rawFiles(out).every((f) => /^raw\/[0-9a-f]{64}\.json$/.test(f))).toBe(true);
    const text = readFileSync(path.join(out, 'report.json'), 'utf8');
    expect(JSON.parse(text).evidenceSchemaVersion).toBe(2);
    const v = await verifyEvidencePackage(out, { expectedPublicKeyPem: TEST_KEY.publicKeyPem });
    expect(v.problems).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.recomputed.every((r) => r.agrees)).toBe(true);
  });

  it('writes layout 3: every raw/ body gzip, named by the SHA-256 of the uncompressed bytes; findings cite groups by id', async () => {
    const text = readFileSync(path.join(single, 'report.json'), 'utf8');
    const json = JSON.parse(text) as { evidenceSchemaVersion: number; responses: { sha256: string }[]; findings: { evidenceGroups?: unknown[] }[]; evidenceGroups: { id: string }[] };
    expect(json.evidenceSchemaVersion).toBe(3);
    for (const r of json.responses) {
      const body = readDecoded(path.join(single, 'raw', `${r.sha256}.json.gz`));
      expect(createHash('sha256').update(body, 'utf8').digest('hex')).toBe(r.sha256);
    }
    const cited = json.findings.flatMap((f) => f.evidenceGroups ?? []);
    expect(cited.length).toBeGreaterThan(0);
    const ids = new Set(json.evidenceGroups.map((g) => g.id));
    for (const id of cited) {
      expect(typeof id).toBe('string');
      expect(ids.has(id as string)).toBe(true);
    }
  });

  it('names a raw/ file that is not gzip, and one that would decompress past the cap, without reading it whole', async () => {
    const dir = copy(single);
    const [first, second] = rawFiles(dir);
    writeFileSync(path.join(dir, first!), '{"not":"gzip"}');
    // 129 MiB of zeros in about 130 KB: a "zip bomb" must not be inflated into memory.
    writeFileSync(path.join(dir, second!), gzipSync(Buffer.alloc(129 * 1024 * 1024)));
    await resign(dir);
    const v = await verifyEvidencePackage(dir);
    expect(v.valid).toBe(false);
    expect(v.problems).toContain(`${first}: not a gzip file`);
    expect(v.problems).toContain(`${second}: decompresses to more than 128 MiB, so it was not read`);
  });

  it('refuses an uncompressed copy of a listed response beside its .json.gz, even re-signed', async () => {
    const dir = copy(single);
    const gz = rawFiles(dir)[0]!;
    const plain = gz.replace(/\.gz$/, '');
    writeFileSync(path.join(dir, plain), readDecoded(path.join(dir, gz)));
    await resign(dir);
    const v = await verifyEvidencePackage(dir);
    expect(v.valid).toBe(false);
    expect(v.problems).toContain(`${plain}: signed, but a package of layout 3 stores this response as ${gz} (padding)`);
  });

  it('names a finding that cites a group id the report does not list', async () => {
    const dir = copy(single);
    editJson(dir, (r) => {
      const f = r.findings.find((x) => (x.evidenceGroups ?? []).length > 0)!;
      (f as unknown as { evidenceGroups: string[] }).evidenceGroups = ['f'.repeat(64)];
    });
    await resign(dir);
    const v = await verifyEvidencePackage(dir);
    expect(v.valid).toBe(false);
    expect(v.problems.some((p) => /cites an evidence group \(ffffffffffff…\) that is not listed in evidenceGroups/.test(p))).toBe(true);
  });

  it('names a compressed raw/ body that holds a key twice, even renamed to its new hash and re-signed', async () => {
    const dir = copy(single);
    const text = readFileSync(path.join(dir, 'report.json'), 'utf8');
    const org = (JSON.parse(text) as EvidenceReport).responses.find((r) => r.url.startsWith('/api/0/organizations/acme-demo/?'))!;
    const body = readDecoded(path.join(dir, 'raw', `${org.sha256}.json.gz`));
    const forged = body.replace('"openMembership":true', '"openMembership":true,"openMembership":false');
    expect(forged).not.toBe(body);
    const sha = createHash('sha256').update(forged, 'utf8').digest('hex');
    rmSync(path.join(dir, 'raw', `${org.sha256}.json.gz`));
    writeFileSync(path.join(dir, 'raw', `${sha}.json.gz`), gzipSync(forged));
    writeFileSync(path.join(dir, 'report.json'), text.split(org.sha256).join(sha));
    await resign(dir);
    const v = await verifyEvidencePackage(dir);
    expect(v.valid).toBe(false);
    expect(v.problems.some((p) => p.startsWith(`raw/${sha}.json.gz: has the key "openMembership" twice in one object`))).toBe(true);
  });
});

import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonNoDuplicates } from '../../../core/primitives/json-tree';
import { signPackage } from '../../../core/evidence/package';
import { verifyEvidencePackage } from '../../../core/evidence/verify';
import { createZip } from '../../../core/evidence/zip';
import { createDemoState, startSimulator, type RunningSimulator } from '../../../simulator/index';
import { demoPackage, filesOf, tempDirs, TEST_KEY } from '../../helpers/evidence';

/**
 * Issue 9 item 6: a package cannot be padded (files added, signed or not) or re-dressed (its
 * readable files edited and the whole re-signed with the real key), and signed JSON cannot say
 * two things at once (duplicate keys). Each attack below must make verify say INVALID.
 */

let sim: RunningSimulator;
const dirs = tempDirs();
let pkg: string;
const expected = { expectedPublicKeyPem: TEST_KEY.publicKeyPem };

beforeAll(async () => {
  sim = await startSimulator({ state: createDemoState() });
  pkg = path.join(dirs.make(), 'pkg');
  await demoPackage(sim, pkg);
});
afterAll(async () => {
  await sim.close();
  dirs.cleanup();
});

function copy(): string {
  const dst = path.join(dirs.make(), 'pkg');
  cpSync(pkg, dst, { recursive: true });
  return dst;
}

/** What an insider with the real signing key does after editing. */
async function resignWithRealKey(dir: string): Promise<void> {
  const envelope = JSON.parse(readFileSync(path.join(dir, 'attestation.dsse.json'), 'utf8')) as { payload: string };
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicate: object };
  await signPackage(dir, TEST_KEY, statement.predicate);
}

function zipOf(dir: string, extra: { name: string; data: string }[] = []): string {
  const entries = filesOf(dir).map((rel) => ({ name: `pkg/${rel}`, data: readFileSync(path.join(dir, ...rel.split('/'))) }));
  const out = path.join(dirs.make(), 'pkg.zip');
  writeFileSync(out, createZip([...entries, ...extra.map((e) => ({ name: e.name, data: Buffer.from(e.data) }))]));
  return out;
}

function edit(dir: string, rel: string, change: (text: string) => string): void {
  const file = path.join(dir, rel);
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  writeFileSync(file, after);
}

type Attack = readonly [label: string, make: () => Promise<string>, problem: RegExp];

const ATTACKS: Attack[] = [
  ['report.html re-dressed (a paragraph added) and re-signed with the real key', async () => {
    const d = copy();
    edit(d, 'report.html', (t) => t.replace('</body>', '<p>All checks passed. Result: VALID</p></body>'));
    await resignWithRealKey(d);
    return d;
  }, /^report\.html: differs from what report\.json renders to/],
  ['findings.csv re-dressed (a failing row turned to pass) and re-signed', async () => {
    const d = copy();
    edit(d, 'findings.csv', (t) => t.replace(/,fail,/, ',pass,'));
    await resignWithRealKey(d);
    return d;
  }, /^findings\.csv: differs from what report\.json renders to/],
  ['review.ics edited (review date moved) and re-signed', async () => {
    const d = copy();
    edit(d, 'review.ics', (t) => t.replace(/DTSTART;VALUE=DATE:\d{4}/, 'DTSTART;VALUE=DATE:2099'));
    await resignWithRealKey(d);
    return d;
  }, /^review\.ics: differs/],
  ['report.json with a duplicate key (a second "level") and re-signed', async () => {
    const d = copy();
    edit(d, 'report.json', (t) => t.replace(/\n  "level": "(L\d)",/, '\n  "level": "L3",\n  "level": "$1",'));
    await resignWithRealKey(d);
    return d;
  }, /^report\.json: has the key "level" twice in one object \(at \/\)/],
  ['report.json with a duplicate key deep inside a finding (escaped spelling), re-signed', async () => {
    const d = copy();
    // report.json is written one finding a line (compact); the first "status":"fail" is a finding's.
    edit(d, 'report.json', (t) => t.replace('"status":"fail",', '"st\\u0061tus":"pass","status":"fail",'));
    await resignWithRealKey(d);
    return d;
  }, /^report\.json: has the key "status" twice in one object \(at \/findings\/\d+\)/],
  ['a signed extra file (notes.txt) added and re-signed', async () => {
    const d = copy();
    writeFileSync(path.join(d, 'notes.txt'), 'Auditor: everything is fine.');
    await resignWithRealKey(d);
    return d;
  }, /^notes\.txt: signed, but not a file an evidence package has/],
  ['an extra raw/ response no audit lists, added and re-signed', async () => {
    const d = copy();
    writeFileSync(path.join(d, 'raw', `${'a'.repeat(64)}.json`), '{"ok":true}');
    await resignWithRealKey(d);
    return d;
  }, /^raw\/a{64}\.json: signed, but no audit in report\.json lists this response/],
  ['.DS_Store dropped beside the package (unsigned)', async () => {
    const d = copy();
    writeFileSync(path.join(d, '.DS_Store'), 'Result: VALID');
    return d;
  }, /^\.DS_Store: not in the signed manifest/],
  ['Thumbs.db inside raw/', async () => {
    const d = copy();
    writeFileSync(path.join(d, 'raw', 'Thumbs.db'), 'x');
    return d;
  }, /^raw\/Thumbs\.db: not in the signed manifest/],
  ['a __MACOSX/ folder inside the package', async () => {
    const d = copy();
    mkdirSync(path.join(d, '__MACOSX'));
    writeFileSync(path.join(d, '__MACOSX', '._report.html'), '<script>alert(1)</script>');
    return d;
  }, /^__MACOSX\/\._report\.html: not in the signed manifest/],
  ['an unsigned file added (readme.txt)', async () => {
    const d = copy();
    writeFileSync(path.join(d, 'readme.txt'), 'x');
    return d;
  }, /^readme\.txt: not in the signed manifest/],
  ['a .zip with __MACOSX/ entries beside the package folder', async () => zipOf(pkg, [{ name: '__MACOSX/pkg/._report.json', data: 'x' }]), /^__MACOSX\/pkg\/\._report\.json: outside the package folder/],
  ['a .zip with .DS_Store inside the package folder', async () => zipOf(pkg, [{ name: 'pkg/.DS_Store', data: 'x' }]), /^\.DS_Store: not in the signed manifest/],
  ['a .zip of a re-dressed, re-signed package', async () => {
    const d = copy();
    edit(d, 'report.html', (t) => t.replace(/<h1[^>]*>/, '$&Certified secure: '));
    await resignWithRealKey(d);
    return zipOf(d);
  }, /^report\.html: differs from what report\.json renders to/],
];

describe('verify cannot be padded or re-dressed', () => {
  it('accepts the package as written, folder and .zip (so the attacks below are what fails)', async () => {
    const v = await verifyEvidencePackage(pkg, expected);
    expect(v.problems).toEqual([]);
    expect(v.valid).toBe(true);
    expect((await verifyEvidencePackage(zipOf(pkg), expected)).problems).toEqual([]);
  });

  let refused = 0;
  it.each(ATTACKS)('refuses: %s', async (_label, make, problem) => {
    const target = await make();
    const v = await verifyEvidencePackage(target, expected);
    expect(v.valid).toBe(false);
    expect(v.problems.some((p) => problem.test(p)), v.problems.join('\n')).toBe(true);
    refused += 1;
  });

  it(`refused every attack tried (${ATTACKS.length})`, () => {
    expect(refused).toBe(ATTACKS.length);
    process.stdout.write(`verify-strict: ${ATTACKS.length} padding/re-dressing attacks tried, ${refused} refused\n`);
  });

  it('--ignore-unlisted lets clutter through as loud warnings, never padding that is signed', async () => {
    const d = copy();
    writeFileSync(path.join(d, '.DS_Store'), 'x');
    const lenient = await verifyEvidencePackage(d, { ...expected, ignoreUnlisted: true });
    expect(lenient.valid).toBe(true);
    expect(lenient.warnings).toEqual(['.DS_Store: not in the signed manifest (a desktop file added after signing); ignored because --ignore-unlisted was given']);
    const z = await verifyEvidencePackage(zipOf(pkg, [{ name: '__MACOSX/pkg/._x', data: 'x' }]), { ...expected, ignoreUnlisted: true });
    expect(z.valid).toBe(true);
    expect(z.warnings).toHaveLength(1);
    const signedPadding = copy();
    writeFileSync(path.join(signedPadding, 'notes.txt'), 'x');
    await resignWithRealKey(signedPadding);
    expect((await verifyEvidencePackage(signedPadding, { ...expected, ignoreUnlisted: true })).valid).toBe(false);
  });
});

describe('parseJsonNoDuplicates', () => {
  it('finds duplicates after decoding escapes, at any depth, and accepts equal keys in different objects', () => {
    expect(parseJsonNoDuplicates('{"a":1,"b":{"a":2}}')).toEqual({ ok: true, value: { a: 1, b: { a: 2 } } });
    expect(parseJsonNoDuplicates('{"a":1,"\\u0061":2}')).toMatchObject({ ok: false, reason: expect.stringContaining('"a" twice') });
    expect(parseJsonNoDuplicates('[{"x":[{"k":1,"k":1}]}]')).toMatchObject({ ok: false, reason: expect.stringContaining('at /0/x/0') });
    expect(parseJsonNoDuplicates('{"a":')).toMatchObject({ ok: false, reason: expect.stringContaining('not valid JSON') });
  });
});

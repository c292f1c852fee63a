import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../../core/evidence/keys';
import { signPackage, unzipPackage, verifyPackage, verifyZipPackage, zipPackage } from '../../../core/evidence/package';
import { crc32, createZip, readZip } from '../../../core/evidence/zip';

const key = generateSigningKey();

function hasBinary(name: string): boolean {
  return spawnSync(name, ['-v'], { stdio: 'ignore' }).error === undefined;
}

let root = '';
let dir = '';
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'sh-zip-'));
  dir = path.join(root, 'package');
  await mkdir(path.join(dir, 'raw'), { recursive: true });
  await writeFile(path.join(dir, 'report.json'), JSON.stringify({ findings: Array.from({ length: 200 }, (_, i) => ({ id: i, status: 'pass' })) }));
  await writeFile(path.join(dir, 'raw', 'résumé-ü.json'), '{"a":1}');
  await writeFile(path.join(dir, 'raw', 'empty.json'), '');
  await writeFile(path.join(dir, 'findings.csv'), 'a,b\n');
  await signPackage(dir, key, { tool: 'sentry-harden' });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('crc32', () => {
  it('matches the standard check value and zlib', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
    const data = Buffer.from('The quick brown fox jumps over the lazy dog');
    expect(crc32(data)).toBe(0x414fa339);
    const zlibCrc = (zlib as { crc32?: (d: Uint8Array) => number }).crc32;
    if (zlibCrc !== undefined) expect(crc32(data)).toBe(zlibCrc(data));
  });
});

describe('createZip / readZip', () => {
  it('round-trips stored and deflated entries with UTF-8 names', () => {
    const entries = [
      { name: 'a.txt', data: Buffer.from('x'.repeat(5000)) }, // deflates
      { name: 'dir/ü.bin', data: Buffer.from([1, 2, 3]) }, // stored: deflate would not shrink it
      { name: 'empty', data: Buffer.alloc(0) },
    ];
    const zip = createZip(entries, new Date(2026, 0, 2, 3, 4, 6));
    expect(zip.length).toBeLessThan(5000);
    const back = readZip(zip);
    expect(back.map((e) => e.name)).toEqual(['a.txt', 'dir/ü.bin', 'empty']);
    back.forEach((e, i) => expect(e.data.equals(entries[i]?.data ?? Buffer.alloc(1))).toBe(true));
  });

  it.each([
    ['/etc/passwd', /absolute path/],
    ['../evil', /"\.\." segment/],
    ['raw/../../evil', /"\.\." segment/],
    ['raw\\evil', /backslash/],
    ['C:/evil', /drive letter/],
    ['a//b', /empty or "\." segment/],
  ])('refuses the entry name %s', (name, reason) => {
    expect(() => readZip(createZip([{ name, data: Buffer.from('x') }]))).toThrow(reason);
  });

  it('refuses symbolic links, encryption, CRC mismatches, duplicates and zip bombs', () => {
    const plain = createZip([{ name: 'a', data: Buffer.from('abc') }]);
    const centralAt = plain.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));

    const link = Buffer.from(plain);
    link.writeUInt32LE((0o120777 << 16) >>> 0, centralAt + 38);
    expect(() => readZip(link)).toThrow(/symbolic link/);

    const encrypted = Buffer.from(plain);
    encrypted.writeUInt16LE(0x0801, centralAt + 8);
    expect(() => readZip(encrypted)).toThrow(/encrypted/);

    const corrupt = Buffer.from(plain);
    corrupt[30 + 1] = 'X'.charCodeAt(0); // stored data follows the 30-byte header and the 1-byte name
    expect(() => readZip(corrupt)).toThrow(/CRC-32/);

    expect(() => readZip(createZip([{ name: 'A', data: Buffer.from('1') }, { name: 'a', data: Buffer.from('2') }]))).toThrow(/appears twice/);
    expect(() => readZip(createZip([{ name: 'big', data: Buffer.alloc(100_000) }]), { maxTotalBytes: 10_000 })).toThrow(/expands to more than/);
    expect(() => readZip(Buffer.from('not a zip at all, not even close'))).toThrow(/no end-of-central-directory/);
  });

  it('reads archives written by the zip tool', async (ctx) => {
    if (!hasBinary('zip')) {
      console.log('skipped: no `zip` binary on this machine');
      ctx.skip();
    }
    const out = path.join(root, 'tool.zip');
    execFileSync('zip', ['-q', '-r', out, '.'], { cwd: dir });
    const entries = readZip(await readFile(out));
    const names = entries.map((e) => e.name);
    expect(names).toContain('raw/empty.json');
    expect(entries.find((e) => e.name === 'findings.csv')?.data.toString()).toBe('a,b\n');
  });
});

describe('zipPackage / unzipPackage', () => {
  it('round-trips a signed package that still verifies', async () => {
    const zipFile = path.join(root, 'evidence.zip');
    const { entries } = await zipPackage(dir, zipFile);
    expect(entries).toBe(8);
    const out = path.join(root, 'extracted');
    const { root: pkgRoot, files } = await unzipPackage(zipFile, out);
    expect(pkgRoot).toBe(out);
    expect(files).toContain('raw/résumé-ü.json');
    const result = await verifyPackage(pkgRoot, { expectedPublicKeyPem: key.publicKeyPem });
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
    expect((await verifyZipPackage(zipFile, { expectedPublicKeyPem: key.publicKeyPem })).valid).toBe(true);
  });

  it('finds the package under a top folder', async () => {
    const zipFile = path.join(root, 'evidence.zip');
    await zipPackage(dir, zipFile, { folderName: 'acme-evidence' });
    const { root: pkgRoot } = await unzipPackage(zipFile, path.join(root, 'x'));
    expect(pkgRoot).toBe(path.join(root, 'x', 'acme-evidence'));
    expect((await verifyPackage(pkgRoot)).valid).toBe(true);
  });

  it('passes `unzip -t`', async (ctx) => {
    if (!hasBinary('unzip')) {
      console.log('skipped: no `unzip` binary on this machine, so the archive was not checked by a third-party tool');
      ctx.skip();
    }
    const zipFile = path.join(root, 'evidence.zip');
    await zipPackage(dir, zipFile);
    const test = spawnSync('unzip', ['-t', zipFile], { encoding: 'utf8' });
    expect(test.status).toBe(0);
    expect(test.stdout).toMatch(/No errors detected/);
    const list = spawnSync('unzip', ['-Z1', zipFile], { encoding: 'utf8' });
    expect(list.stdout).toContain('raw/résumé-ü.json');
  });

  it('detects a tampered file inside the zip', async () => {
    const zipFile = path.join(root, 'evidence.zip');
    await writeFile(path.join(dir, 'findings.csv'), 'a,c\n');
    await zipPackage(dir, zipFile);
    const result = await verifyZipPackage(zipFile);
    expect(result.valid).toBe(false);
    expect(result.files.filter((f) => !f.ok).map((f) => f.path)).toEqual(['findings.csv']);
  });

  it('refuses to extract into a folder that is not empty, or to zip into the package', async () => {
    const zipFile = path.join(root, 'evidence.zip');
    await zipPackage(dir, zipFile);
    await expect(unzipPackage(zipFile, dir)).rejects.toThrow(/is not empty/);
    await expect(zipPackage(dir, path.join(dir, 'self.zip'))).rejects.toThrow(/inside the package folder/);
  });

  it('refuses a zip with a path that escapes the folder and writes nothing outside', async () => {
    const zipFile = path.join(root, 'evil.zip');
    await writeFile(zipFile, createZip([{ name: 'ok.txt', data: Buffer.from('x') }, { name: '../escaped.txt', data: Buffer.from('x') }]));
    await expect(unzipPackage(zipFile, path.join(root, 'out'))).rejects.toThrow(/"\.\." segment/);
    await expect(readFile(path.join(root, 'escaped.txt'))).rejects.toThrow(/ENOENT/);
  });
});

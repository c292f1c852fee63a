import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPrivateKeyPem, generateSigningKey } from '../../core/evidence/keys';
import { zipPackage } from '../../core/evidence/package';
import { runCli } from '../helpers/cli';
import { tempDirs } from '../helpers/evidence';

/** Issue 9 item 7: --out is checked before the audit starts, and a .zip is never overwritten. */

const dirs = tempDirs();
afterAll(() => dirs.cleanup());
const NO_KEYCHAIN = { SENTRY_HARDEN_KEYCHAIN_SERVICE: 'not a valid service!' };

function keyFile(dir: string): string {
  const file = path.join(dir, 'key.pem');
  writeFileSync(file, exportPrivateKeyPem(generateSigningKey().privateKey));
  return file;
}

describe('--out', () => {
  it('refuses an existing FILE.zip before auditing, and leaves it as it was', async () => {
    const dir = dirs.make('out-zip-');
    const zip = path.join(dir, 'evidence.zip');
    writeFileSync(zip, 'someone else’s archive');
    const r = await runCli(['audit', '--demo', '--out', zip, '--sign-key', keyFile(dir)], { env: NO_KEYCHAIN });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/evidence\.zip already exists; a package never overwrites a file/);
    expect(r.stderr).not.toMatch(/Auditing/);
    expect(readFileSync(zip, 'utf8')).toBe('someone else’s archive');
  });

  it('zipPackage refuses a file that appeared after the check (no overwrite even in a race)', async () => {
    const dir = dirs.make('out-race-');
    const pkg = path.join(dir, 'pkg');
    mkdirSync(pkg);
    writeFileSync(path.join(pkg, 'a.txt'), 'a');
    const zip = path.join(dir, 'x.zip');
    writeFileSync(zip, 'keep');
    await expect(zipPackage(pkg, zip)).rejects.toThrow(/already exists; a package never overwrites a file/);
    expect(readFileSync(zip, 'utf8')).toBe('keep');
  });

  it('refuses a folder it cannot write to before auditing, with the reason', async () => {
    const dir = dirs.make('out-ro-');
    const locked = path.join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    // Root ignores permission bits; /sys refuses new entries to root too (EPERM).
    const root = process.getuid?.() === 0;
    if (root && !existsSync('/sys/kernel')) {
      process.stdout.write('skipped: running as root without /sys, so no folder here refuses writes\n');
      return;
    }
    const where = root ? '/sys' : locked;
    try {
      for (const out of [path.join(where, 'pkg'), path.join(where, 'deeper', 'pkg'), path.join(where, 'e.zip')]) {
        const r = await runCli(['audit', '--demo', '--out', out, '--sign-key', keyFile(dir)], { env: NO_KEYCHAIN });
        expect(r.code, out).toBe(2);
        expect(r.stderr).toMatch(/Cannot write the package under .*(locked|sys) \(permission denied\); choose a folder you can write to/);
        expect(r.stderr).not.toMatch(/Auditing|EACCES|EPERM|internal/);
      }
    } finally {
      chmodSync(locked, 0o700);
    }
  });

  it('refuses an --out under a file', async () => {
    const dir = dirs.make('out-file-');
    writeFileSync(path.join(dir, 'plain'), 'x');
    const r = await runCli(['audit', '--demo', '--out', path.join(dir, 'plain', 'pkg'), '--sign-key', keyFile(dir)], { env: NO_KEYCHAIN });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/plain is a file, so no package can be written under it/);
  });
});

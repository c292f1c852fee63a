import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SecretsError } from '../../../core/secrets/errors';
import { createKeychain, keychainBackendFor, keychainEntryOptions } from '../../../core/secrets/keychain';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CHILD = path.join(import.meta.dirname, 'fixtures', 'keychain-child.ts');
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const SERVICE = `sentry-harden-test-${process.pid}-${randomBytes(3).toString('hex')}`;

const newToken = () => `sntryu_${randomBytes(32).toString('hex')}`;
const hasCommand = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** Every file under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const bytes = Buffer.from(needle);
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && fs.readFileSync(p).includes(bytes)) hits.push(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return hits;
}

function allFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** `secret-tool lookup`: the Secret Service's own view of the item, or null. */
function lookup(account: string): string | null {
  const r = spawnSync('secret-tool', ['lookup', 'service', SERVICE, 'username', account], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : null;
}

function itemCount(account: string): number {
  const r = spawnSync('secret-tool', ['search', '--all', 'service', SERVICE, 'username', account], { encoding: 'utf8' });
  return (`${r.stdout}\n${r.stderr}`.match(/^\[\/.*\]$/gm) ?? []).length;
}

/** What the child fixture prints. */
interface ChildReport {
  set: { ok: boolean; name?: string; code?: string; message?: string };
  get: { ok: boolean; found?: boolean; code?: string };
  probe: { available: boolean; code?: string };
  keyutils: 'found' | 'absent' | 'unavailable';
}

/** Runs the child fixture; returns its JSON report. */
function runChild(env: NodeJS.ProcessEnv, cwd: string, wrap?: string[]): Promise<{ report: ChildReport; stdout: string; stderr: string }> {
  const node = [process.execPath, '--import', TSX_LOADER, CHILD];
  const [cmd, ...args] = wrap ? [...wrap, ...node] : node;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd as string, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve({ report: JSON.parse(line) as ChildReport, stdout, stderr });
      } catch {
        reject(new Error(`child printed no report; stderr: ${stderr.slice(0, 2000)}`));
      }
    });
  });
}

/** A minimal environment: no session bus, no display (a GUI prompt must not appear). */
function childEnv(home: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    TMPDIR: path.join(home, 'tmp'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_RUNTIME_DIR: path.join(home, 'run'),
    ...extra,
  };
}

function tempHome(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-child-'));
  fs.mkdirSync(path.join(home, 'tmp'));
  fs.mkdirSync(path.join(home, 'run'), { mode: 0o700 });
  return home;
}

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
});

describe('keychain: platform pinning', () => {
  it('pins Linux to the Secret Service and maps each OS to its keychain', () => {
    expect(keychainEntryOptions('linux')).toEqual({ linux: { store: 'secret-service' } });
    expect(keychainBackendFor('linux')).toBe('secret-service');
    expect(keychainBackendFor('darwin')).toBe('macos-keychain');
    expect(keychainBackendFor('win32')).toBe('windows-credential-manager');
    expect(keychainBackendFor('freebsd')).toBeNull();
  });

  it('refuses platforms without a supported keychain instead of guessing', async () => {
    const kc = createKeychain({ service: SERVICE, platform: 'freebsd' });
    const token = newToken();
    const err = await kc.setSecret('profile-x', token).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretsError);
    expect((err as SecretsError).code).toBe('keychain_unavailable');
    expect((err as SecretsError).message).toMatch(/^This operating system has no keychain sentry-harden can use\. Tokens are kept only in the OS keychain, never in a file/);
    expect((err as SecretsError).message).not.toContain(token);
    const probe = await kc.probe();
    expect(probe.available).toBe(false);
  });

  it('refuses bad accounts, services and secrets with invalid_input', async () => {
    expect(() => createKeychain({ service: '' })).toThrow(/service name/);
    const kc = createKeychain({ service: SERVICE, platform: 'freebsd' });
    await expect(kc.setSecret('../etc', 'x')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(kc.getSecret('')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(kc.setSecret('profile-x', '')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(kc.setSecret('profile-x', 'a\nb')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(kc.setSecret('profile-x', 'x'.repeat(9000))).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('keychain: no keychain reachable (real child process)', () => {
  it('fails with keychain_unavailable and writes the token nowhere', { timeout: 30_000 }, async () => {
    if (process.platform !== 'linux') return void console.warn('skipped: the D-Bus failure path is Linux-only');
    const home = tempHome();
    homes.push(home);
    const token = newToken();
    const { report } = await runChild(
      childEnv(home, {
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(home, 'no-such-bus')}`,
        CHILD_TOKEN: token,
        CHILD_SERVICE: SERVICE,
      }),
      home,
    );
    expect(report.set).toMatchObject({ ok: false, name: 'SecretsError', code: 'keychain_unavailable' });
    // Plain words and what to do, never the library's D-Bus text.
    expect(report.set.message).toMatch(/^There is no D-Bus session on this computer, so no keychain can be reached\. Tokens are kept only in the OS keychain, never in a file.* The token was not saved\. Install a Secret Service keychain: gnome-keyring/);
    expect(report.set.message).not.toMatch(/DBus error|socket|no-such-bus|autolaunch/i);
    expect(report.set.message).not.toContain(token);
    expect(report.get).toMatchObject({ ok: false, code: 'keychain_unavailable' });
    expect(report.probe).toEqual({ available: false, code: 'keychain_unavailable' });
    expect(report.keyutils).not.toBe('found');
    // Nothing in HOME holds the token; nothing was written there at all except tsx's cache.
    expect(filesContaining(home, token)).toEqual([]);
    expect(allFiles(home).filter((f) => !f.startsWith(`tmp${path.sep}`))).toEqual([]);
  });

  const lockedTools = ['dbus-run-session', 'dbus-send', 'gnome-keyring-daemon', 'secret-tool'].filter((t) => !hasCommand(t));
  it.skipIf(lockedTools.length > 0)('fails with keychain_unavailable when the keyring is locked', { timeout: 30_000 }, async () => {
    const home = tempHome();
    homes.push(home);
    const env = childEnv(home, { KEYRING_HOME: home, KEYRING_PASSWORD: 'locked-test' });
    // 1. Create a password-protected login keyring with one item in it.
    execFileSync(path.join(ROOT, 'scripts', 'with-keyring.sh'), ['secret-tool', 'store', '--label', 'seed', 'service', SERVICE, 'username', 'seed'], {
      env,
      input: 'seed-value',
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    // 2. Start the keyring again without unlocking it, and try to store a token.
    const startLocked = `
      gnome-keyring-daemon --foreground --components=secrets >/dev/null 2>&1 &
      gkd=$!; trap "kill $gkd 2>/dev/null; wait $gkd 2>/dev/null" EXIT
      for _ in $(seq 100); do
        dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \\
          org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true" && break
        sleep 0.1
      done
      "$@"`;
    const token = newToken();
    const { report } = await runChild(
      childEnv(home, { CHILD_TOKEN: token, CHILD_SERVICE: SERVICE }),
      home,
      ['dbus-run-session', '--', 'bash', '-c', startLocked, '_'],
    );
    expect(report.set).toMatchObject({ ok: false, code: 'keychain_unavailable' });
    expect(report.set.message).toMatch(/^The keychain is locked, or the request to unlock it was dismissed\. Tokens are kept only in the OS keychain, never in a file/);
    expect(report.set.message).not.toContain(token);
    // The read-only probe cannot see the lock (a search for an absent item needs no unlock).
    expect(report.get).toMatchObject({ ok: true, found: false });
    expect(filesContaining(home, token)).toEqual([]);
  });
  if (lockedTools.length > 0) console.warn(`locked-keyring test skipped: missing ${lockedTools.join(', ')}`);
});

// The rest needs a real Secret Service: the suite runs inside scripts/with-keyring.sh.
const keychain = createKeychain({ service: SERVICE });
let skipReason: string | null = null;
if (process.platform !== 'linux') skipReason = 'the Secret Service tests are Linux-only';
else if (!process.env.DBUS_SESSION_BUS_ADDRESS) skipReason = 'DBUS_SESSION_BUS_ADDRESS is unset (run the suite under scripts/with-keyring.sh)';
else if (!hasCommand('secret-tool')) skipReason = 'secret-tool is missing (apt-get install libsecret-tools)';
else {
  const probe = await keychain.probe();
  if (!probe.available) skipReason = probe.error.message;
}
if (skipReason) console.warn(`Secret Service keychain tests skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('keychain: real Secret Service', () => {
  const accounts = ['profile-a', 'profile-b', 'profile-c'];
  const written: string[] = [];
  afterAll(async () => {
    for (const a of accounts) await keychain.deleteSecret(a).catch(() => undefined);
  });

  it('probes without writing', async () => {
    expect(await keychain.probe()).toEqual({ available: true, backend: 'secret-service' });
    expect(lookup('sentry-harden-probe')).toBeNull();
  });

  it('stores a token in the Secret Service and reads it back', async () => {
    const token = newToken();
    written.push(token);
    await keychain.setSecret('profile-a', token);
    expect(await keychain.getSecret('profile-a')).toBe(token);
    // secret-tool talks to the Secret Service directly: the item is really there, with the
    // attributes @napi-rs/keyring writes (service, username).
    expect(lookup('profile-a')).toBe(token);
  });

  it('keeps each profile in its own item', async () => {
    const a = newToken();
    const b = newToken();
    written.push(a, b);
    await keychain.setSecret('profile-a', a);
    await keychain.setSecret('profile-b', b);
    expect(await keychain.getSecret('profile-a')).toBe(a);
    expect(await keychain.getSecret('profile-b')).toBe(b);
    expect(lookup('profile-b')).toBe(b);
    expect(await keychain.deleteSecret('profile-a')).toBe(true);
    expect(await keychain.getSecret('profile-a')).toBeNull();
    expect(await keychain.getSecret('profile-b')).toBe(b);
  });

  it('replaces a token instead of adding a second item', async () => {
    const first = newToken();
    const second = newToken();
    written.push(first, second);
    await keychain.setSecret('profile-c', first);
    await keychain.setSecret('profile-c', second);
    expect(itemCount('profile-c')).toBe(1);
    expect(lookup('profile-c')).toBe(second);
  });

  it('deletes: true once, then false, and the item is gone from the Secret Service', async () => {
    await keychain.setSecret('profile-c', newToken());
    expect(await keychain.deleteSecret('profile-c')).toBe(true);
    expect(await keychain.deleteSecret('profile-c')).toBe(false);
    expect(lookup('profile-c')).toBeNull();
    expect(await keychain.getSecret('profile-c')).toBeNull();
  });

  it('never leaves a token in a file under HOME', () => {
    const home = process.env.HOME ?? '';
    // Scan the whole HOME when it is the wrapper's throwaway one; else only the keyring folder.
    const throwaway = path.basename(home).startsWith('kr-home.') || process.env.KEYRING_HOME === home;
    const dir = throwaway ? home : path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local/share'), 'keyrings');
    if (!throwaway) console.warn(`HOME is not a throwaway keyring HOME: scanning ${dir} only`);
    expect(written.length).toBeGreaterThan(0);
    for (const token of written) expect(filesContaining(dir, token)).toEqual([]);
  });
});

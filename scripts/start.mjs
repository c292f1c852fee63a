#!/usr/bin/env node
// `npm start`: the product on a fresh machine. The desktop app (Electron) when its binary can run
// here; otherwise the same UI in web mode (`sentry-harden ui`), on 127.0.0.1, in the browser.
// With no Sentry configured (no saved profile) both open on the built-in demo organization.
//
// Never `require('electron')` to find the binary: when it is missing, that call starts a download.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildElectronEntry } from './build-electron.mjs';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const cli = path.join(root, 'bin', 'sentry-harden.mjs');
const say = (line) => process.stderr.write(`${line}\n`);

/** The Electron executable, or why there is none that can run (without downloading anything). */
export function electronBinary(env = process.env, platform = process.platform) {
  const pkg = path.join(root, 'node_modules', 'electron');
  if (!existsSync(path.join(pkg, 'package.json'))) return { ok: false, reason: 'the electron package is not installed' };
  const pathFile = path.join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(pkg, 'dist');
  if (relative === null && !env.ELECTRON_OVERRIDE_DIST_PATH) {
    return { ok: false, reason: 'its binary was never downloaded (node_modules/electron/path.txt is missing; the download is blocked or failed)' };
  }
  const bin = path.join(dist, relative || (platform === 'win32' ? 'electron.exe' : 'electron'));
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    return { ok: false, reason: `${path.relative(root, bin)} is missing or not executable` };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 15_000, env: electronEnv(env) });
  if (probe.error || probe.status !== 0) {
    const why = probe.error ? probe.error.message : (probe.stderr || '').trim().split('\n')[0] || `exit status ${probe.status}`;
    return { ok: false, reason: `${path.relative(root, bin)} does not run (${why})` };
  }
  return { ok: true, bin, version: probe.stdout.trim() };
}

/** The environment Electron runs in: never as plain Node (that would skip the app entirely). */
function electronEnv(env, extra = {}) {
  const out = { ...env, ...extra };
  delete out.ELECTRON_RUN_AS_NODE;
  return out;
}

/** True when the app's settings hold a saved profile (a Sentry has been configured in the UI). */
function hasSavedProfile(env = process.env) {
  const home = env.HOME ?? env.USERPROFILE;
  const dir =
    env.SENTRY_HARDEN_CONFIG_DIR ??
    (process.platform === 'win32'
      ? env.APPDATA && path.join(env.APPDATA, 'sentry-harden')
      : process.platform === 'darwin'
        ? home && path.join(home, 'Library', 'Application Support', 'sentry-harden')
        : path.join(env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home ?? '', '.config'), 'sentry-harden'));
  try {
    const data = JSON.parse(readFileSync(path.join(dir, 'settings.json'), 'utf8'));
    return Object.keys(data.profiles ?? {}).length > 0;
  } catch {
    return false;
  }
}

function npmRun(script) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return spawnSync(npm, ['run', '--silent', script], { cwd: root, stdio: 'inherit' }).status === 0;
}

/** The UI is built once (vite, offline); a failed build is reported and web mode says so too. */
function ensureRenderer() {
  if (existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) return;
  say('Building the UI (npm run build:renderer)...');
  if (!npmRun('build:renderer')) say('The UI build failed: see above. The app will say that the UI is missing.');
}

/** Ctrl+C reaches the whole process group; a SIGTERM to us is passed on, so no child is left behind. */
function forwardSignals(child) {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
}

function runWebMode() {
  const demo = !hasSavedProfile();
  if (demo) say('No Sentry configured yet: opening the built-in demo organization (a simulator, not a real Sentry).');
  const r = spawn(process.execPath, [cli, 'ui', ...(demo ? ['--demo'] : []), ...args], { cwd: root, stdio: 'inherit' });
  forwardSignals(r);
  r.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
}

// Run as a script (not when a test imports electronBinary).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  ensureRenderer();
  const electron = electronBinary();
  if (electron.ok) {
    await buildElectronEntry();
    say(`Starting the desktop app (Electron ${electron.version}).`);
    const r = spawn(electron.bin, [path.join(root, 'dist', 'main', 'index.js'), ...args], {
      cwd: root,
      stdio: 'inherit',
      env: electronEnv(process.env, { SENTRY_HARDEN_APP_ROOT: root }),
    });
    forwardSignals(r);
    r.on('exit', (code) => process.exit(code ?? 0));
  } else {
    say(`Electron's binary is not available on this machine: ${electron.reason}; serving the same UI in web mode instead.`);
    runWebMode();
  }
}

#!/usr/bin/env node
// The README's test command. Runs, in order: typecheck, lint (architecture + Electron security),
// then every test under vitest inside a private D-Bus session with a real, unlocked
// gnome-keyring (scripts/with-keyring.sh), so keychain tests use the real Secret Service.
// Prints one closing line "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const args = process.argv.slice(2);

function run(title, cmd, cmdArgs, env = {}) {
  process.stderr.write(`\n== ${title}\n`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

if (!args.includes('--no-static')) {
  if (run('typecheck (tsc -b)', bin('tsc'), ['-b']) !== 0) process.exit(1);
  if (run('lint (eslint)', bin('eslint'), ['.', '--max-warnings=0']) !== 0) process.exit(1);
}

const outDir = mkdtempSync(path.join(tmpdir(), 'sentry-harden-test-'));
const jsonOut = path.join(outDir, 'vitest.json');
const vitestArgs = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${jsonOut}`, ...args.filter((a) => !a.startsWith('--no-'))];
const withKeyring = path.join(root, 'scripts', 'with-keyring.sh');
const canKeyring = existsSync(withKeyring) && spawnSync('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon'], { stdio: 'ignore' }).status === 0;
if (!canKeyring) {
  process.stderr.write('note: dbus-run-session or gnome-keyring-daemon missing: keychain tests will report why they skip\n');
}
const status = canKeyring
  ? run('tests (vitest, private keyring session)', 'bash', [withKeyring, bin('vitest'), ...vitestArgs])
  : run('tests (vitest)', bin('vitest'), vitestArgs);

let summary = 'no test results were written';
if (existsSync(jsonOut)) {
  const r = JSON.parse(readFileSync(jsonOut, 'utf8'));
  summary = `${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped`;
  if (r.numTotalTests === 0) summary += ' (no test ran)';
}
rmSync(outDir, { recursive: true, force: true });
process.stdout.write(`\n${summary}\n`);
process.exit(status === 0 ? 0 : 1);

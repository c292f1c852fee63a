import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireRunLock, runLockFile } from '../../../core/engine/run-lock';
import type { PlanTarget } from '../../../shared/plan';
import { tempDir } from '../fixes/helpers';

const TARGET = { url: 'https://sentry.example.com', org: { id: '1', slug: 'acme', name: 'Acme' } } as PlanTarget;
const OTHER = { url: 'https://sentry.example.com', org: { id: '2', slug: 'globex', name: 'Globex' } } as PlanTarget;
let dirs: { cleanup: () => void }[] = [];
afterEach(() => {
  dirs.forEach((d) => d.cleanup());
  dirs = [];
});

function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d.dir;
}

/** The pid of a process that has exited (a stale holder). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('the run lock', () => {
  it('is exclusive per organization and data directory, names its holder, and is removed on release', () => {
    const d = dir();
    const lock = acquireRunLock(d, TARGET, 'apply');
    expect(JSON.parse(readFileSync(lock.file, 'utf8'))).toMatchObject({ pid: process.pid, hostname: os.hostname(), kind: 'apply', org: 'acme' });
    expect(() => acquireRunLock(d, TARGET, 'undo')).toThrow(new RegExp(`sentry-harden apply \\(pid ${process.pid} on .+\\) is already changing acme at https://sentry.example.com`));
    // Another organization, or another data directory, is not held up.
    acquireRunLock(d, OTHER, 'apply').release();
    acquireRunLock(dir(), TARGET, 'apply').release();
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
    acquireRunLock(d, TARGET, 'reconcile').release();
  });

  it('takes over a lock whose process is gone, and never one held from another machine or unreadable', () => {
    const d = dir();
    const file = runLockFile(d, TARGET);
    const stale = { pid: deadPid(), hostname: os.hostname(), kind: 'apply', startedAt: '2026-01-01T00:00:00.000Z', org: 'acme', url: TARGET.url };
    writeFileSync(file, JSON.stringify(stale));
    const lock = acquireRunLock(d, TARGET, 'apply');
    expect(lock.replacedStale).toEqual(stale);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();

    writeFileSync(file, JSON.stringify({ ...stale, hostname: `not-${os.hostname()}` }));
    expect(() => acquireRunLock(d, TARGET, 'apply')).toThrow(/on not-.+ is already changing acme/);
    writeFileSync(file, 'garbage');
    expect(() => acquireRunLock(d, TARGET, 'apply')).toThrow(/an unknown process \(the lock file is not readable as a lock\)/);
    expect(readFileSync(file, 'utf8')).toBe('garbage');
  });
});

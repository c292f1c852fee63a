import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { CodedError } from '../../shared/errors';
import type { PlanTarget } from '../../shared/plan';

/**
 * One apply, undo or reconcile at a time per organization and data directory. Two runs on one
 * organization would each re-read, decide and write on their own (a change sent twice), and the
 * second would take the first's journal, still open and unfinished, for a crashed run and
 * "reconcile" it while it is being written. The lock is a file in the journal folder created
 * atomically (a hard link of a fully written temporary file, so it is never seen half-written),
 * removed on release and on process exit. A lock whose process is gone (same machine, no such
 * pid) is stale and taken over; one held from another machine is never guessed at.
 */

const HolderSchema = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  kind: z.string(),
  startedAt: z.string(),
  org: z.string(),
  url: z.string(),
});
export type LockHolder = z.infer<typeof HolderSchema>;

/** Another run holds the lock: the person waits for it or clears a stale one. */
export class RunLockError extends CodedError {
  readonly file: string;
  readonly holder: LockHolder | null;

  constructor(message: string, file: string, holder: LockHolder | null) {
    super('invalid_input', message);
    this.name = 'RunLockError';
    this.file = file;
    this.holder = holder;
  }
}

export function isRunLockError(e: unknown): e is RunLockError {
  return e instanceof RunLockError;
}

export interface RunLock {
  readonly file: string;
  /** A stale lock (its process gone) that this one replaced, for the caller to mention. */
  readonly replacedStale: LockHolder | null;
  release(): void;
}

/** The lock file of a target in a journal folder: readable slug and host, plus a hash of both. */
export function runLockFile(journalDir: string, target: PlanTarget): string {
  const host = (() => {
    try {
      return new URL(target.url).host;
    } catch {
      return 'sentry';
    }
  })();
  const digest = createHash('sha256').update(`${target.url}\n${target.org.id}\n${target.org.slug}`).digest('hex').slice(0, 12);
  const safe = (s: string): string => s.replace(/[^a-z0-9_.-]/gi, '_').slice(0, 60);
  return path.join(journalDir, `${safe(target.org.slug)}@${safe(host)}-${digest}.lock`);
}

function readHolder(file: string): LockHolder | null | 'gone' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw e;
  }
  try {
    const parsed = HolderSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // not JSON: not ours to interpret, reported as an unknown holder
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function describeHolder(h: LockHolder | null): string {
  if (!h) return 'an unknown process (the lock file is not readable as a lock)';
  return `sentry-harden ${h.kind} (pid ${h.pid} on ${h.hostname}, started ${h.startedAt})`;
}

/**
 * Takes the lock of `target` in `journalDir`, or throws RunLockError naming who holds it.
 * `kind` says what the holder is doing (apply, undo, reconcile), for the message of a second run.
 */
export function acquireRunLock(journalDir: string, target: PlanTarget, kind: string, now: () => Date = () => new Date()): RunLock {
  mkdirSync(journalDir, { recursive: true, mode: 0o700 });
  const file = runLockFile(journalDir, target);
  const me: LockHolder = { pid: process.pid, hostname: os.hostname(), kind, startedAt: now().toISOString(), org: target.org.slug, url: target.url };
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  let replacedStale: LockHolder | null = null;
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        linkSync(tmp, file);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = readHolder(file);
      if (holder === 'gone') continue; // released between our attempt and the read
      const stale = holder !== null && holder.hostname === me.hostname && !processAlive(holder.pid);
      if (!stale || attempt >= 3) {
        throw new RunLockError(
          `${describeHolder(holder)} is already changing ${target.org.slug} at ${target.url} with this data directory; ` +
            `wait for it to finish. If that process is gone, remove ${file}.`,
          file,
          holder,
        );
      }
      // Move the stale lock aside (only one contender can), then check it was the one judged stale.
      const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
      try {
        renameSync(file, aside);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      const moved = readHolder(aside);
      if (moved !== 'gone' && moved !== null && moved.pid === holder.pid && moved.startedAt === holder.startedAt) {
        unlinkSync(aside);
        replacedStale = holder;
      } else {
        // Another contender had already replaced it: put its fresh lock back and let the loop report it.
        try {
          linkSync(aside, file);
        } finally {
          unlinkSync(aside);
        }
      }
    }
  } finally {
    unlinkSync(tmp);
  }
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    const current = readHolder(file);
    if (current !== 'gone' && current !== null && current.pid === me.pid && current.startedAt === me.startedAt) unlinkSync(file);
  };
  process.on('exit', release);
  return { file, replacedStale, release };
}

/** Runs `fn` holding the target's lock; released however `fn` ends. */
export async function withRunLock<T>(
  journalDir: string,
  target: PlanTarget,
  kind: string,
  fn: (lock: RunLock) => Promise<T>,
): Promise<T> {
  const lock = acquireRunLock(journalDir, target, kind);
  try {
    return await fn(lock);
  } finally {
    lock.release();
  }
}

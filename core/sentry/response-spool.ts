import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ResponseRecord } from './transport';

const SPOOLED = Symbol('spooled file');

interface SpoolEntry {
  readonly file: string;
  /** The body until its file is written; then null, and `body` reads the file. */
  pending: string | null;
  readonly written: Promise<void>;
}

/**
 * Keeps the recorded (redacted) response bodies of an audit on disk instead of in memory
 * (issue 10): each body is written once, named by its SHA-256, and dropped from memory once
 * written; the record reads it back only when something asks for `body` (the package writer
 * copies the file instead, after `spooledFile`). The folder is private (0700) and removed by
 * `dispose()`.
 *
 * Bodies are written in batches, synchronously, in the event loop's check phase (after the
 * I/O callbacks of the turn, so never ahead of the next request): measured at 1,000 projects,
 * the asynchronous writeFile cost about 0.4 ms of CPU a body (file handle, thread-pool hand-off
 * for each of open, write and close), a synchronous write about 0.06 ms.
 */
export class ResponseSpool {
  private readonly entries = new Map<string, SpoolEntry>();
  private disposed = false;
  private pending: { entry: SpoolEntry; body: string; done: (e?: unknown) => void }[] = [];
  private scheduled = false;

  private constructor(readonly dir: string) {}

  static create(parent: string = os.tmpdir()): ResponseSpool {
    return new ResponseSpool(mkdtempSync(path.join(parent, 'sentry-harden-responses-')));
  }

  /** Writes the body (once per hash) and returns the same record with `body` read on demand. */
  keep(record: ResponseRecord): ResponseRecord {
    if (this.disposed) throw new Error('the response spool was disposed');
    let entry = this.entries.get(record.sha256);
    if (!entry) {
      const file = path.join(this.dir, `${record.sha256}.json`);
      let done: (e?: unknown) => void = () => undefined;
      const created: SpoolEntry = {
        file,
        pending: record.body,
        written: new Promise<void>((resolve, reject) => {
          done = (e) => (e === undefined ? resolve() : reject(e instanceof Error ? e : new Error(String(e))));
        }),
      };
      // A failed write surfaces when the package is written (spooledFile awaits it), not as an unhandled rejection.
      created.written.catch(() => undefined);
      this.pending.push({ entry: created, body: record.body, done });
      this.schedule();
      entry = created;
      this.entries.set(record.sha256, entry);
    }
    const { body: _body, ...rest } = record;
    const spooled = { ...rest } as ResponseRecord;
    const e = entry;
    Object.defineProperty(spooled, 'body', { enumerable: true, get: () => e.pending ?? readFileSync(e.file, 'utf8') });
    Object.defineProperty(spooled, SPOOLED, { enumerable: false, value: e });
    return spooled;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.writePending());
  }

  private writePending(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    for (const { entry, body, done } of batch) {
      if (this.disposed) {
        done(new Error('the response spool was disposed'));
        continue;
      }
      try {
        writeFileSync(entry.file, body, { encoding: 'utf8', mode: 0o600 });
        entry.pending = null;
        done();
      } catch (e) {
        done(e);
      }
    }
  }

  /** Waits for every body to be on disk (a failed write rejects). */
  async flush(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.written));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.allSettled([...this.entries.values()].map((e) => e.written));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The file holding a spooled record's body once written, or undefined when the body is in memory. */
export async function spooledFile(record: ResponseRecord): Promise<string | undefined> {
  const entry = (record as { [SPOOLED]?: SpoolEntry })[SPOOLED];
  if (!entry) return undefined;
  await entry.written;
  return entry.file;
}

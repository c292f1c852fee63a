import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
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
 * (issue 10): each body is written once, named by its SHA-256, as it is recorded (asynchronously,
 * so a slow disk never holds up the next request), and dropped from memory once written; the
 * record reads it back only when something asks for `body` (the package writer copies the file
 * instead, after `spooledFile`). The folder is private (0700) and removed by `dispose()`.
 */
export class ResponseSpool {
  private readonly entries = new Map<string, SpoolEntry>();
  private disposed = false;

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
      const created: SpoolEntry = {
        file,
        pending: record.body,
        written: writeFile(file, record.body, { encoding: 'utf8', mode: 0o600 }).then(() => {
          created.pending = null;
        }),
      };
      // A failed write surfaces when the package is written (spooledFile awaits it), not as an unhandled rejection.
      created.written.catch(() => undefined);
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

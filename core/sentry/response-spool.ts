import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ResponseRecord } from './transport';

const SPOOLED = Symbol('spooled body');
const PACK_FILE = 'responses.pack';

interface SpoolEntry {
  /** Byte range of the body in the pack file, once written. */
  offset: number;
  length: number;
  /** The body until it is written; then null, and `body` reads it back from the pack. */
  pending: string | null;
  readonly written: Promise<void>;
}

/**
 * Keeps the recorded (redacted) response bodies of an audit on disk instead of in memory
 * (issue 10): each body (once per SHA-256) is appended to one private pack file and dropped from
 * memory once written; the record reads it back only when something asks for `body` (the package
 * writer reads each body once, by `readSpooled`). The folder is private (0700), the pack 0600, and
 * both are removed by `dispose()`.
 *
 * One pack file instead of a file per body: measured at 1,000 projects, creating a file per body
 * cost about 0.2-0.5 ms of CPU each (open, write, close of a new inode), an append about 0.015 ms.
 * Bodies are appended in batches, synchronously, in the event loop's check phase (after the I/O
 * callbacks of the turn, so never ahead of the next request); the asynchronous API costs a
 * thread-pool hand-off per call.
 */
export class ResponseSpool {
  private readonly entries = new Map<string, SpoolEntry>();
  private disposed = false;
  private pending: { entry: SpoolEntry; body: string; bytes: Buffer | undefined; done: (e?: unknown) => void }[] = [];
  private scheduled = false;
  private readonly fd: number;
  private size = 0;

  private constructor(readonly dir: string) {
    this.fd = openSync(path.join(dir, PACK_FILE), 'w+', 0o600);
  }

  static create(parent: string = os.tmpdir()): ResponseSpool {
    return new ResponseSpool(mkdtempSync(path.join(parent, 'sentry-harden-responses-')));
  }

  /**
   * Appends the body (once per hash) and returns the same record with `body` read on demand.
   * `bytes`, when given, are the body's UTF-8 bytes (what the client hashed), written as they are.
   */
  keep(record: ResponseRecord, bytes?: Buffer): ResponseRecord {
    if (this.disposed) throw new Error('the response spool was disposed');
    let entry = this.entries.get(record.sha256);
    if (!entry) {
      let done: (e?: unknown) => void = () => undefined;
      const created: SpoolEntry = {
        offset: -1,
        length: 0,
        pending: record.body,
        written: new Promise<void>((resolve, reject) => {
          done = (e) => (e === undefined ? resolve() : reject(e instanceof Error ? e : new Error(String(e))));
        }),
      };
      // A failed write surfaces when the package is written (readSpooled awaits it), not as an unhandled rejection.
      created.written.catch(() => undefined);
      this.pending.push({ entry: created, body: record.body, bytes, done });
      this.schedule();
      entry = created;
      this.entries.set(record.sha256, entry);
    }
    // Built field by field (a rest-spread copy got a hidden class of its own per record).
    const spooled = { method: record.method, origin: record.origin, url: record.url, status: record.status, fetchedAt: record.fetchedAt, sha256: record.sha256 } as ResponseRecord;
    if (record.bodyRedacted !== undefined) (spooled as { bodyRedacted?: boolean }).bodyRedacted = record.bodyRedacted;
    (spooled as { headers: ResponseRecord['headers'] }).headers = record.headers;
    Object.defineProperty(spooled, 'body', { enumerable: true, get: spooledBody });
    Object.defineProperty(spooled, SPOOLED, { enumerable: false, value: { spool: this, entry } });
    return spooled;
  }

  /** The bytes of a written entry. */
  read(entry: SpoolEntry): Buffer {
    if (this.disposed) throw new Error('the response spool was disposed');
    const out = Buffer.allocUnsafe(entry.length);
    let got = 0;
    while (got < entry.length) {
      const n = readSync(this.fd, out, got, entry.length - got, entry.offset + got);
      if (n === 0) throw new Error('the response spool is shorter than what was written to it');
      got += n;
    }
    return out;
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
    for (const { entry, body, bytes: held, done } of batch) {
      if (this.disposed) {
        done(new Error('the response spool was disposed'));
        continue;
      }
      try {
        const bytes = held ?? Buffer.from(body, 'utf8');
        let put = 0;
        while (put < bytes.length) put += writeSync(this.fd, bytes, put, bytes.length - put, this.size + put);
        entry.offset = this.size;
        entry.length = bytes.length;
        this.size += bytes.length;
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
    if (this.disposed) return;
    await Promise.allSettled([...this.entries.values()].map((e) => e.written));
    this.disposed = true;
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

type Held = { readonly spool: ResponseSpool; readonly entry: SpoolEntry };

// One getter for every record (reading the record it is called on): a closure per record gave
// each record a hidden class of its own.
function spooledBody(this: { [SPOOLED]: Held }): string {
  const { spool, entry } = this[SPOOLED];
  return entry.pending ?? spool.read(entry).toString('utf8');
}

/**
 * The bytes of a spooled record's body as stored (UTF-8), read from the pack once written, or
 * undefined when the record's body is in memory (not spooled).
 */
export function isSpooled(record: ResponseRecord): boolean {
  return SPOOLED in record;
}

export async function readSpooled(record: ResponseRecord): Promise<Buffer | undefined> {
  const held = (record as { [SPOOLED]?: Held })[SPOOLED];
  if (!held) return undefined;
  await held.entry.written;
  return held.spool.read(held.entry);
}

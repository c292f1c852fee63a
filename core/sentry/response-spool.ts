import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ResponseRecord } from './transport';

const SPOOLED = Symbol('spooled file');

/**
 * Keeps the recorded (redacted) response bodies of an audit on disk instead of in memory
 * (issue 10): each body is written once, named by its SHA-256, the moment it is recorded, and
 * the record reads it back only when something asks for `body` (the package writer copies the
 * file instead). The folder is private (0700) and removed by `dispose()`.
 */
export class ResponseSpool {
  private readonly written = new Set<string>();
  private disposed = false;

  private constructor(readonly dir: string) {}

  static create(parent: string = os.tmpdir()): ResponseSpool {
    return new ResponseSpool(mkdtempSync(path.join(parent, 'sentry-harden-responses-')));
  }

  /** Writes the body (once per hash) and returns the same record with `body` read on demand. */
  keep(record: ResponseRecord): ResponseRecord {
    if (this.disposed) throw new Error('the response spool was disposed');
    const file = path.join(this.dir, `${record.sha256}.json`);
    if (!this.written.has(record.sha256)) {
      writeFileSync(file, record.body, { encoding: 'utf8', mode: 0o600 });
      this.written.add(record.sha256);
    }
    const { body: _body, ...rest } = record;
    const spooled = { ...rest } as ResponseRecord;
    Object.defineProperty(spooled, 'body', { enumerable: true, get: () => readFileSync(file, 'utf8') });
    Object.defineProperty(spooled, SPOOLED, { enumerable: false, value: file });
    return spooled;
  }

  dispose(): void {
    this.disposed = true;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The file holding a spooled record's body, or undefined when the body is in memory. */
export function spooledFile(record: ResponseRecord): string | undefined {
  return (record as { [SPOOLED]?: string })[SPOOLED];
}

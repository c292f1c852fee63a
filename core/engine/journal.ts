import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JournalRecord } from '../../shared/plan';
import { JournalRecordSchema } from '../../shared/plan';
import { CodedError } from '../../shared/errors';

/** Distributes Omit over the union, so each record keeps its own fields. */
type NewRecord = JournalRecord extends infer R ? (R extends JournalRecord ? Omit<R, 'v' | 'runId' | 'seq' | 'at'> : never) : never;

/**
 * The default data directory: $XDG_DATA_HOME (or ~/.local/share) on Linux, ~/Library/Application
 * Support on macOS, %APPDATA% on Windows; journals go to its `journal` folder.
 */
export function defaultJournalDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  let base: string;
  if (process.platform === 'darwin') base = path.join(home, 'Library', 'Application Support');
  else if (process.platform === 'win32') base = env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
  else base = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(base, 'sentry-harden', 'journal');
}

export function newRunId(): string {
  return randomBytes(8).toString('hex');
}

export class JournalError extends CodedError {
  constructor(message: string) {
    super('internal', message);
    this.name = 'JournalError';
  }
}

/**
 * One run's journal: JSON lines, appended and fsynced record by record, so that after a crash
 * every record written before it is on disk. Mode 0600 (directory 0700): it names resources and
 * values of the organization, never the token. Every write of a run goes through this one handle,
 * opened O_APPEND: a record always lands after the last one, never over it, and the file is never
 * rewritten or replaced (a rename would leave a live writer appending to an orphaned file).
 */
export class JournalWriter {
  readonly file: string;
  readonly runId: string;
  private fd: number;
  private seq: number;
  private readonly now: () => Date;
  private readonly onRecord: ((record: JournalRecord) => void) | undefined;

  private constructor(file: string, fd: number, runId: string, seq: number, now: () => Date, onRecord?: (r: JournalRecord) => void) {
    this.file = file;
    this.fd = fd;
    this.runId = runId;
    this.seq = seq;
    this.now = now;
    this.onRecord = onRecord;
  }

  /** A new journal file in `dir` (created 0700 when missing). */
  static create(
    dir: string,
    opts: { runId?: string; kind: string; orgSlug: string; now?: () => Date; onRecord?: (r: JournalRecord) => void },
  ): JournalWriter {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const now = opts.now ?? (() => new Date());
    const runId = opts.runId ?? newRunId();
    const stamp = now().toISOString().replace(/[:.]/g, '-');
    const safeOrg = opts.orgSlug.replace(/[^a-z0-9_-]/gi, '_');
    const file = path.join(dir, `${stamp}-${opts.kind}-${safeOrg}-${runId}.jsonl`);
    const fd = openSync(file, 'ax', 0o600);
    return new JournalWriter(file, fd, runId, 0, now, opts.onRecord);
  }

  /**
   * Appends to an existing journal (reconciliation closes a crashed run in its own file).
   * `truncateTo` first cuts a last line left half-written by the crash, through the same handle.
   */
  static append(
    file: string,
    records: readonly JournalRecord[],
    opts: { now?: () => Date; onRecord?: (r: JournalRecord) => void; truncateTo?: number } = {},
  ): JournalWriter {
    const last = records[records.length - 1];
    if (!last) throw new JournalError(`${file}: empty journal`);
    const fd = openSync(file, 'a', 0o600);
    if (opts.truncateTo !== undefined) {
      ftruncateSync(fd, opts.truncateTo);
      fsyncSync(fd);
    }
    return new JournalWriter(file, fd, last.runId, last.seq + 1, opts.now ?? (() => new Date()), opts.onRecord);
  }

  /** Writes one record and fsyncs before returning: the caller may act on it being durable. */
  write(record: NewRecord): JournalRecord {
    const full = JournalRecordSchema.parse({ v: 1, runId: this.runId, seq: this.seq, at: this.now().toISOString(), ...record });
    this.seq += 1;
    const line = `${JSON.stringify(full)}\n`;
    writeSync(this.fd, line);
    fsyncSync(this.fd);
    this.onRecord?.(full);
    return full;
  }

  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}

export interface ReadJournal {
  readonly file: string;
  readonly records: JournalRecord[];
  /** A last line cut short by a crash (not JSON) is dropped and reported here. */
  readonly truncatedTail: boolean;
}

/** Reads and validates a journal; a record that does not validate is an error naming its line. */
export function readJournal(file: string): ReadJournal {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const records: JournalRecord[] = [];
  let truncatedTail = false;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      // Only the very last line can be half-written by a crash.
      if (i === lines.length - 1 || (i === lines.length - 2 && lines[lines.length - 1] === '')) {
        truncatedTail = true;
        return;
      }
      throw new JournalError(`${file}: line ${i + 1} is not JSON`);
    }
    const parsed = JournalRecordSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new JournalError(`${file}: line ${i + 1} is not a journal record (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'})`);
    }
    records.push(parsed.data);
  });
  const first = records[0];
  if (!first || first.phase !== 'run') throw new JournalError(`${file}: does not start with a run record`);
  return { file, records, truncatedTail };
}

/** Journal files in `dir`, oldest first (names start with the run's timestamp). */
export function listJournals(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names.filter((n) => n.endsWith('.jsonl')).sort().map((n) => path.join(dir, n));
}

/** True when the run never wrote its `end` record (it crashed or was killed). */
export function isUnfinished(journal: ReadJournal): boolean {
  return !journal.records.some((r) => r.phase === 'end');
}

/** The latest outcome of each change of a journal. */
export function outcomesOf(journal: ReadJournal): Map<string, Extract<JournalRecord, { phase: 'outcome' }>> {
  const out = new Map<string, Extract<JournalRecord, { phase: 'outcome' }>>();
  for (const r of journal.records) if (r.phase === 'outcome') out.set(r.changeId, r);
  return out;
}

export function runRecordOf(journal: ReadJournal): Extract<JournalRecord, { phase: 'run' }> {
  const first = journal.records[0];
  if (!first || first.phase !== 'run') throw new JournalError(`${journal.file}: does not start with a run record`);
  return first;
}

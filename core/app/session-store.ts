import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { formatIssues } from '../../shared/ipc/issues';
import { ProfileIdSchema } from '../../shared/profile';
import { looksLikeSentryToken } from '../store/index';
import { appError } from './engine-errors';
import type { RunRecord } from './run-registry';
import { RUN_FILE_KIND, RunFileSchema, SESSION_FILE_KIND, SessionFileSchema, type SessionFile } from './session-schema';

/**
 * The durable record of each profile's wizard session, in a folder per profile under the app's
 * data folder: `session.json` (level, before and latest audit, change log, step) and
 * `runs/<runId>.json` (each audit's report and redacted responses). Every write is atomic (a
 * temporary file, then a rename) and refused when the text holds the profile's token or anything
 * shaped like a Sentry token; every read goes through zod, and a file that does not parse is moved
 * aside and reported, never a crash.
 */

export interface SessionRead {
  readonly session: SessionFile | null;
  /** Why a saved session could not be used (it is then treated as none). */
  readonly problem: string | null;
}

export interface SessionStore {
  readonly dir: string;
  read(profileId: string): SessionRead;
  /** `forbidden`: strings no file may contain (the profile's token). */
  write(session: SessionFile, forbidden: readonly string[]): void;
  saveRun(profileId: string, run: RunRecord, forbidden: readonly string[]): void;
  /** A saved run of any profile (runs ids are unique), or null when none or unreadable. */
  loadRun(runId: string, profileId?: string): RunRecord | null;
  /** Deletes the run files of a profile not in `keep`. */
  pruneRuns(profileId: string, keep: ReadonlySet<string>): void;
  forget(profileId: string): void;
}

const RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function createSessionStore(dir: string): SessionStore {
  function profileDir(profileId: string): string {
    if (!ProfileIdSchema.safeParse(profileId).success) throw appError('invalid_input', 'Invalid profile id');
    return path.join(dir, profileId);
  }
  const sessionFile = (profileId: string) => path.join(profileDir(profileId), 'session.json');
  const runFile = (profileId: string, runId: string) => path.join(profileDir(profileId), 'runs', `${runId}.json`);

  function writeAtomic(file: string, value: unknown, forbidden: readonly string[]): void {
    const text = `${JSON.stringify(value)}\n`;
    // A last look: the responses are redacted already, and the token must never rest on disk.
    if (forbidden.some((f) => f.length > 0 && text.includes(f)) || looksLikeSentryToken(text)) {
      throw appError('internal', `Refusing to save the session to ${file}: it would contain a token`);
    }
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    try {
      writeFileSync(tmp, text, { mode: 0o600 });
      renameSync(tmp, file);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw appError('internal', `Could not save the session to ${file}: ${(e as Error).message}`);
    }
  }

  function parseFile<S extends z.ZodType>(file: string, schema: S, kind: string): { value: z.infer<S> } | { problem: string } {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      return { problem: `it is not readable JSON (${(e as Error).message.slice(0, 200)})` };
    }
    if (raw === null || typeof raw !== 'object' || (raw as { kind?: unknown }).kind !== kind) {
      return { problem: 'it is not a file of sentry-harden' };
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      // Where it differs, not the whole schema: the first field is enough to tell a damaged file.
      const first = parsed.error.issues[0];
      const where = first && first.path.length > 0 ? ` (at ${first.path.join('.')})` : '';
      return { problem: `it is not in the format this version writes${where}` };
    }
    return { value: parsed.data };
  }

  /** Moves an unreadable file aside so nothing is lost and the next write starts clean. */
  function setAside(file: string): string {
    // Two set aside within one millisecond must not overwrite each other: a random tail.
    const aside = `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
    try {
      renameSync(file, aside);
      return aside;
    } catch {
      return file;
    }
  }

  function runDirs(): string[] {
    try {
      return readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
    } catch {
      return [];
    }
  }

  return {
    dir,

    read(profileId) {
      const file = sessionFile(profileId);
      if (!existsSync(file)) return { session: null, problem: null };
      const got = parseFile(file, SessionFileSchema, SESSION_FILE_KIND);
      if ('value' in got) {
        if (got.value.profileId === profileId) return { session: got.value, problem: null };
        const aside = setAside(file);
        return { session: null, problem: `The saved session in ${aside} belongs to another organization profile; a new session starts.` };
      }
      const aside = setAside(file);
      return { session: null, problem: `The saved session could not be read: ${got.problem}. It was moved to ${aside}; a new session starts.` };
    },

    write(session, forbidden) {
      const valid = SessionFileSchema.safeParse(session);
      if (!valid.success) throw appError('internal', `Refusing to save the session: ${formatIssues(valid.error.issues)}`);
      writeAtomic(sessionFile(session.profileId), valid.data, forbidden);
    },

    saveRun(profileId, run, forbidden) {
      if (!RUN_ID.test(run.dto.runId)) throw appError('invalid_input', 'Invalid run id');
      writeAtomic(
        runFile(profileId, run.dto.runId),
        { kind: RUN_FILE_KIND, version: 1, dto: run.dto, controls: run.controls, report: run.audit.report, responses: run.audit.responses },
        forbidden,
      );
    },

    loadRun(runId, profileId) {
      if (!RUN_ID.test(runId)) return null;
      const owners = profileId !== undefined ? [profileId] : runDirs();
      for (const owner of owners) {
        if (!ProfileIdSchema.safeParse(owner).success) continue;
        const file = runFile(owner, runId);
        if (!existsSync(file)) continue;
        const got = parseFile(file, RunFileSchema, RUN_FILE_KIND);
        if (!('value' in got) || got.value.dto.profileId !== owner || got.value.dto.runId !== runId) {
          throw appError('not_found', `A saved audit of this session (${file}) could not be read: ${'problem' in got ? got.problem : 'it belongs to another run'}. Run the checks again.`);
        }
        const { dto, controls, report, responses } = got.value;
        return { dto, controls, audit: { report, responses } };
      }
      return null;
    },

    pruneRuns(profileId, keep) {
      const runs = path.join(profileDir(profileId), 'runs');
      let names: string[];
      try {
        names = readdirSync(runs);
      } catch {
        return;
      }
      for (const name of names) {
        const id = name.replace(/\.json$/, '');
        if (name.endsWith('.json') && !keep.has(id)) rmSync(path.join(runs, name), { force: true });
      }
    },

    forget(profileId) {
      rmSync(profileDir(profileId), { recursive: true, force: true });
    },
  };
}

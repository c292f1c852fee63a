import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../core/app/run-registry';
import type { SessionFile } from '../../../core/app/session-schema';
import { createSessionStore } from '../../../core/app/session-store';
import { auditRunDto, storedAudit } from './session-fixtures';

/** The session store: atomic files per profile, read back through zod, never a token. */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'session-store-'));
  dirs.push(d);
  return d;
}

const TOKEN = 'sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';

function sessionFile(over: Partial<SessionFile> = {}): SessionFile {
  return {
    kind: 'sentry-harden-session',
    version: 1,
    profileId: 'p1',
    level: 'L3',
    controls: null,
    baselineRunId: 'run-base-1',
    latestRunId: 'run-late-2',
    runs: ['run-base-1', 'run-late-2'],
    changes: [
      {
        kind: 'apply',
        id: 'apply-1',
        undoes: null,
        planId: 'plan_1',
        at: '2026-01-02T03:04:05.000Z',
        level: 'L3',
        steps: [],
        results: [],
        undone: ['c001'],
        profileId: 'p1',
        baselineRunId: 'run-base-1',
        controls: null,
        journalFile: '/tmp/journal/apply-1.jsonl',
      },
    ],
    levelChanges: [{ from: 'L1', to: 'L3', at: '2026-01-02T03:00:00.000Z' }],
    step: 'data-security',
    completed: ['connect', 'level', 'authentication', 'access-controls'],
    startedAt: '2026-01-02T02:00:00.000Z',
    updatedAt: '2026-01-02T03:04:05.000Z',
    ...over,
  };
}

function run(runId: string): RunRecord {
  return { dto: auditRunDto(runId, 'p1'), audit: storedAudit(), controls: null };
}

describe('session store', () => {
  it('round-trips a session and its runs exactly, in a folder per profile', () => {
    const dir = tmp();
    const store = createSessionStore(dir);
    expect(store.read('p1')).toEqual({ session: null, problem: null });
    const s = sessionFile();
    store.write(s, [TOKEN]);
    store.saveRun('p1', run('run-base-1'), [TOKEN]);
    const again = createSessionStore(dir);
    expect(again.read('p1')).toEqual({ session: s, problem: null });
    expect(again.loadRun('run-base-1')).toEqual(run('run-base-1'));
    expect(again.loadRun('run-base-1', 'p1')).toEqual(run('run-base-1'));
    expect(again.loadRun('run-base-1', 'p2')).toBeNull();
    expect(again.loadRun('missing-run')).toBeNull();
    expect(fs.existsSync(path.join(dir, 'p1', 'session.json'))).toBe(true);
    // No temporary file is left behind, and the files are private.
    expect(fs.readdirSync(path.join(dir, 'p1')).sort()).toEqual(['runs', 'session.json']);
    expect(fs.statSync(path.join(dir, 'p1', 'session.json')).mode & 0o077).toBe(0);
    again.pruneRuns('p1', new Set());
    expect(again.loadRun('run-base-1')).toBeNull();
    again.forget('p1');
    expect(fs.existsSync(path.join(dir, 'p1'))).toBe(false);
  });

  it('treats a corrupt or foreign file as no session, says so, and moves it aside', () => {
    const dir = tmp();
    const store = createSessionStore(dir);
    const file = path.join(dir, 'p1', 'session.json');
    for (const [text, says] of [
      ['{ not json', /not readable JSON/],
      ['{"kind":"something-else","version":1}', /not a file of sentry-harden/],
      [JSON.stringify({ ...sessionFile(), level: 'L9' }), /not in the format this version writes \(at level\)/],
      [JSON.stringify(sessionFile({ profileId: 'p2' })), /another organization profile/],
    ] as const) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      const got = store.read('p1');
      expect(got.session).toBeNull();
      expect(got.problem).toMatch(says);
      expect(got.problem).toMatch(/a new session starts/);
      expect(fs.existsSync(file)).toBe(false);
    }
    expect(fs.readdirSync(path.join(dir, 'p1')).filter((n) => n.includes('unreadable'))).toHaveLength(4);
    // A corrupt run file is a clear not_found, not a crash.
    fs.mkdirSync(path.join(dir, 'p1', 'runs'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'p1', 'runs', 'run-bad-1.json'), '[]');
    expect(() => store.loadRun('run-bad-1')).toThrow(/could not be read: it is not a file of sentry-harden\. Run the checks again/);
  });

  it('never writes the token: refused in any field, and in a Sentry-token shape', () => {
    const dir = tmp();
    const store = createSessionStore(dir);
    expect(() => store.write(sessionFile({ step: 'level', changes: [{ ...sessionFile().changes[0]!, journalFile: `/tmp/${TOKEN}` }] }), [TOKEN])).toThrow(/token/);
    const leaky = run('run-leak-1');
    const withToken: RunRecord = { ...leaky, audit: { ...leaky.audit, responses: [{ ...leaky.audit.responses[0]!, body: `{"x":"${TOKEN}"}` }] } };
    expect(() => store.saveRun('p1', withToken, [])).toThrow(/token/);
    expect(() => store.saveRun('p1', withToken, ['secret-not-shaped-like-a-token'])).toThrow(/token/);
    const custom = { ...leaky, audit: { ...leaky.audit, responses: [{ ...leaky.audit.responses[0]!, body: 'opaque-custom-secret-123' }] } };
    expect(() => store.saveRun('p1', custom, ['opaque-custom-secret-123'])).toThrow(/token/);
    const all = fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String) : [];
    for (const f of all) {
      const p = path.join(dir, f);
      if (fs.statSync(p).isFile()) expect(fs.readFileSync(p, 'utf8')).not.toContain(TOKEN);
    }
    expect(() => store.read('../escape')).toThrow(/Invalid profile id/);
  });
});

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runApplyCommand } from '../../cli/apply';
import type { CliIo } from '../../cli/io';
import { listJournals, outcomesOf, readJournal, runRecordOf } from '../../core/engine/journal';
import { planDigest } from '../../core/engine/plan';
import { signPlan } from '../../core/evidence/plan-signature';
import { writeSigningKeyFile } from '../helpers/plan-key';
import type { Plan } from '../../shared/plan';
import { DEMO_TOKENS, type RunningSimulator } from '../../simulator/index';
import { planDemo, startDemoSim, tempDir } from '../core/fixes/helpers';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'test', 'cli', 'crash-apply.ts');

let sim: RunningSimulator | undefined;
let dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  dirs.forEach((d) => d.cleanup());
  dirs = [];
});

function runChild(args: string[], crashAt: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
      cwd: ROOT,
      env: { ...process.env, SENTRY_AUTH_TOKEN: DEMO_TOKENS.admin, CRASH_AT: crashAt },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, out }));
  });
}

function io(env: Record<string, string>): CliIo & { text: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  stderr.on('data', (d: Buffer) => (text += d.toString()));
  return { stdout, stderr, stdin: new PassThrough(), env, cwd: ROOT, interactive: false, text: () => text };
}

/** A PUT, a POST (not idempotent: a new key) and a PUT that depends on it. */
async function crashPlan(s: RunningSimulator): Promise<Plan> {
  const { plan } = await planDemo(s, { level: 'L2', only: ['2.1', '3.2'], params: { rotateKeys: 'e63b7cca1af3c681a72b2ce8a55ace51' } });
  const changes = plan.changes.filter((c) => c.field === 'openMembership' || c.fix === 'key-rotate');
  expect(changes.map((c) => c.request.method)).toEqual(['PUT', 'POST', 'PUT']);
  return { ...plan, changes };
}

/**
 * The expected reconciled outcome of the change the crash hit (by phase): before the request
 * nothing was sent; after it Sentry had applied it, whether or not the answer was recorded.
 */
const POINTS: readonly { at: string; hit: number; status: string }[] = [
  { at: 'intent:1', hit: 0, status: 'not_applied' },
  { at: 'sent:1', hit: 0, status: 'applied' },
  { at: 'outcome:1', hit: 1, status: 'not_attempted' },
  { at: 'intent:2', hit: 1, status: 'not_applied' },
  { at: 'sent:2', hit: 1, status: 'applied' },
  { at: 'response:2', hit: 1, status: 'applied' },
  { at: 'verified:2', hit: 1, status: 'applied' },
  { at: 'sent:3', hit: 2, status: 'applied' },
  { at: 'outcome:3', hit: -1, status: '' },
];

describe('apply killed with SIGKILL before, between and after requests', () => {
  for (const point of POINTS) {
    it(`crash at ${point.at}: the next apply reconciles, nothing is applied twice, every change is accounted for`, async () => {
      sim = await startDemoSim();
      const journal = tempDir();
      const work = tempDir();
      dirs.push(journal, work);
      const plan = await crashPlan(sim);
      const creates = () => sim?.state.organizations[0]?.auditLog.filter((e) => e.event === 'projectkey.create').length ?? 0;
      const createsBefore = creates();
      // The digest covers the changes: re-derive it the way `plan` does for the subset.
      // Signed with a test key, as `plan` signs with the evidence key.
      const { key, file: keyFile } = writeSigningKeyFile(work.dir);
      const subset = signPlan({ ...plan, digest: planDigest(plan) }, key);
      const planFile = path.join(work.dir, 'plan.json');
      writeFileSync(planFile, JSON.stringify(subset));
      const args = [planFile, '--yes', '--confirm-org', 'acme-demo', '--journal-dir', journal.dir, '--sign-key', keyFile, '--url', sim.url];

      const crashed = await runChild(args, point.at);
      expect(crashed.signal, crashed.out).toBe('SIGKILL');
      expect(crashed.out).not.toContain(DEMO_TOKENS.admin);
      const [first] = listJournals(journal.dir);
      expect(first).toBeDefined();
      const before = readJournal(first as string);
      expect(before.records.some((r) => r.phase === 'end')).toBe(false);

      // The next start: reconcile, then apply the same plan again.
      const cli = io({ SENTRY_AUTH_TOKEN: DEMO_TOKENS.admin });
      const code = await runApplyCommand(args, cli);
      expect(cli.text()).not.toContain(DEMO_TOKENS.admin);

      const reconciled = readJournal(first as string);
      const run = runRecordOf(reconciled);
      const outcomes = outcomesOf(reconciled);
      // Every change of the crashed run has exactly one outcome, and the run is closed.
      expect([...outcomes.keys()].sort()).toEqual(run.changes.map((c) => c.id));
      for (const id of outcomes.keys()) expect(reconciled.records.filter((r) => r.phase === 'outcome' && r.changeId === id)).toHaveLength(1);
      expect(reconciled.records.at(-1)).toMatchObject({ phase: 'end' });
      if (point.hit >= 0) expect(outcomes.get(run.changes[point.hit]?.id ?? '')?.status, cli.text()).toBe(point.status);

      // Nothing applied twice: one new key, one create event, and the second run ends clean.
      const org = sim.state.organizations[0];
      const ios = org?.projects.find((p) => p.slug === 'ios-app');
      expect(ios?.keys).toHaveLength(2);
      expect(creates()).toBe(createsBefore + 1);
      expect(org?.settings.openMembership).toBe(false);
      expect(ios?.keys.find((k) => k.id === 'e63b7cca1af3c681a72b2ce8a55ace51')?.isActive).toBe(false);
      expect(code, cli.text()).toBe(0);
      const second = listJournals(journal.dir).filter((f) => f !== first);
      expect(second).toHaveLength(1);
      for (const f of [...listJournals(journal.dir), planFile]) expect(readFileSync(f, 'utf8'), f).not.toContain(DEMO_TOKENS.admin);
      const statuses = [...outcomesOf(readJournal(second[0] as string)).values()].map((o) => o.status);
      expect(statuses.every((s) => s === 'applied' || s === 'already_applied')).toBe(true);
    });
  }
});

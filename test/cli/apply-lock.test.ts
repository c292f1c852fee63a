import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runApplyCommand } from '../../cli/apply';
import type { CliIo } from '../../cli/io';
import { listJournals, outcomesOf, readJournal } from '../../core/engine/journal';
import { planDigest } from '../../core/engine/plan';
import { signPlan } from '../../core/evidence/plan-signature';
import { runLockFile } from '../../core/engine/run-lock';
import type { Plan } from '../../shared/plan';
import { createDemoState, DEMO_TOKENS, startSimulator, type RunningSimulator } from '../../simulator/index';
import { planDemo, startDemoSim, tempDir } from '../core/fixes/helpers';
import { writeSigningKeyFile } from '../helpers/plan-key';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'sentry-harden.mjs');
const KEY_TO_ROTATE = 'e63b7cca1af3c681a72b2ce8a55ace51';

let sim: RunningSimulator | undefined;
let dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  dirs.forEach((d) => d.cleanup());
  dirs = [];
});

/** A PUT, a POST (a new key: sent twice, it would show) and a PUT, written as `plan` would. */
async function writePlan(s: RunningSimulator, dir: string): Promise<{ file: string; plan: Plan; trust: string[] }> {
  const { plan } = await planDemo(s, { level: 'L2', only: ['2.1', '3.2'], params: { rotateKeys: KEY_TO_ROTATE } });
  const subset = { ...plan, changes: plan.changes.filter((c) => c.field === 'openMembership' || c.fix === 'key-rotate') };
  // Signed with a test key, as `plan` signs with the evidence key; the target confirmed by --url.
  const { key, file: keyFile } = writeSigningKeyFile(dir);
  const file = path.join(dir, 'plan.json');
  writeFileSync(file, JSON.stringify(signPlan({ ...subset, digest: planDigest(subset) }, key)));
  return { file, plan: subset, trust: ['--sign-key', keyFile, '--url', s.url] };
}

function keyCreates(s: RunningSimulator): number {
  return s.state.organizations[0]?.auditLog.filter((e) => e.event === 'projectkey.create').length ?? 0;
}

function writesSent(s: RunningSimulator): number {
  return s.requests.filter((r) => r.method !== 'GET').length;
}

function runBin(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, SENTRY_AUTH_TOKEN: DEMO_TOKENS.admin }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('one apply at a time per organization and data directory', () => {
  it('two applies of one plan started at once: no change is sent twice and every journal parses', async () => {
    // Latency stretches each run over seconds, so that without the lock both would re-read the
    // same "before" values and both send.
    sim = await startSimulator({ state: createDemoState(), asyncTaskDelayMs: 10, latencyMs: 60 });
    const journal = tempDir();
    const work = tempDir();
    dirs.push(journal, work);
    const { file, trust } = await writePlan(sim, work.dir);
    const before = keyCreates(sim);
    const args = ['apply', file, '--yes', '--confirm-org', 'acme-demo', '--journal-dir', journal.dir, ...trust];
    const [a, b] = await Promise.all([runBin(args), runBin(args)]);
    const codes = [a.code, b.code].sort();
    // Either the second found the lock (exit 2, naming the holder) or it ran after the first and
    // found every change already in place; never both writing.
    if (codes[1] === 2) {
      expect(codes[0]).toBe(0);
      expect(a.code === 2 ? a.out : b.out).toMatch(/sentry-harden apply \(pid \d+ on .+, started .+\) is already changing acme-demo/);
    } else {
      expect(codes, a.out + b.out).toEqual([0, 0]);
    }
    expect(keyCreates(sim)).toBe(before + 1);
    expect(writesSent(sim)).toBe(3);
    const journals = listJournals(journal.dir);
    expect(journals.length).toBeGreaterThanOrEqual(1);
    for (const j of journals) expect(readJournal(j).records.at(-1)).toMatchObject({ phase: 'end' });
    expect(() => readFileSync(runLockFile(journal.dir, (JSON.parse(readFileSync(file, 'utf8')) as Plan).target))).toThrow(/ENOENT/);
  }, 120_000);

  it('forced interleaving: a second apply while the first waits mid-run is refused and touches neither its journal nor Sentry', async () => {
    sim = await startDemoSim();
    const journal = tempDir();
    const work = tempDir();
    dirs.push(journal, work);
    const { file, plan, trust } = await writePlan(sim, work.dir);
    const args = [file, '--confirm-org', 'acme-demo', '--journal-dir', journal.dir, ...trust];

    // The first run asks y/N on a "terminal"; it holds the lock while the question is open.
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let text = '';
    let firstPrompt: () => void = () => undefined;
    const prompted = new Promise<void>((resolve) => (firstPrompt = resolve));
    let answering = false;
    const onText = (d: Buffer): void => {
      text += d.toString();
      if (!/\[y\/N\] $|to apply \S+: $/.test(text)) return;
      firstPrompt();
      if (answering) stdin.write(/to apply \S+: $/.test(text) ? 'acme-demo\n' : 'y\n');
    };
    stdout.on('data', onText);
    stderr.on('data', onText);
    const io: CliIo = { stdout, stderr, stdin, env: { SENTRY_AUTH_TOKEN: DEMO_TOKENS.admin }, cwd: ROOT, interactive: true };
    const first = runApplyCommand(args, io);
    await prompted;

    const [running] = listJournals(journal.dir);
    const journalBytes = readFileSync(running as string);
    const writesBefore = writesSent(sim);
    const secondOut = new PassThrough();
    let second = '';
    secondOut.on('data', (d: Buffer) => (second += d.toString()));
    const refused = await runApplyCommand([...args, '--yes'], { ...io, stdout: secondOut, stderr: secondOut, stdin: new PassThrough(), interactive: false }).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(new RegExp(`sentry-harden apply \\(pid ${process.pid} on .+\\) is already changing acme-demo at ${sim.url.replace(/[.:/]/g, '\\$&')}`));
    expect((refused as Error).message).toContain(runLockFile(journal.dir, plan.target));
    expect(listJournals(journal.dir)).toEqual([running]);
    expect(readFileSync(running as string).equals(journalBytes)).toBe(true);
    expect(writesSent(sim)).toBe(writesBefore);

    // The first run goes on to the end, undisturbed.
    answering = true;
    stdin.write('y\n');
    expect(await first, text).toBe(0);
    const done = readJournal(running as string);
    expect(done.records.at(-1)).toMatchObject({ phase: 'end' });
    expect([...outcomesOf(done).values()].map((o) => o.status)).toEqual(['applied', 'applied', 'applied']);
    expect(done.records.map((r) => r.seq)).toEqual(done.records.map((_r, i) => i));

    // Released: the next run goes ahead and finds nothing left to send.
    const writesAfter = writesSent(sim);
    const again = await runApplyCommand([...args, '--yes'], { ...io, stdout: secondOut, stderr: secondOut, stdin: new PassThrough(), interactive: false });
    expect(again, second).toBe(0);
    expect(writesSent(sim)).toBe(writesAfter);
  }, 120_000);
});

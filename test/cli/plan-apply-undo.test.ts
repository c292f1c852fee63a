import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io';
import { main } from '../../cli/main';
import { listJournals, outcomesOf, readJournal } from '../../core/engine/journal';
import type { Plan } from '../../shared/plan';
import { DEMO_TOKENS, type RunningSimulator } from '../../simulator/index';
import { comparableState, startDemoSim, tempDir } from '../core/fixes/helpers';
import { writeSigningKeyFile } from '../helpers/plan-key';

const TOKEN = DEMO_TOKENS.admin;

let sim: RunningSimulator | undefined;
let dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  dirs.forEach((d) => d.cleanup());
  dirs = [];
});

interface TestIo extends CliIo {
  out: () => string;
  err: () => string;
}

/** An io whose stdin answers each prompt (seen on stderr) with the next answer. */
function testIo(cwd: string, opts: { interactive?: boolean; answers?: string[]; stdinText?: string; env?: Record<string, string> } = {}): TestIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  const answers = [...(opts.answers ?? [])];
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
    if (/(\[y\/N\] |to apply c\d+: )$/.test(d.toString())) stdin.write(`${answers.shift() ?? ''}\n`);
  });
  if (opts.stdinText !== undefined) stdin.end(opts.stdinText);
  return { stdout, stderr, stdin, env: opts.env ?? { SENTRY_AUTH_TOKEN: TOKEN }, cwd, interactive: opts.interactive ?? false, out: () => out, err: () => err };
}

/** The signing key plans are made and applied with, and the target confirmed on the command line. */
function trust(dir: string): string[] {
  if (!sim) throw new Error('no simulator');
  const file = path.join(dir, 'signing-key.pem');
  try {
    statSync(file);
  } catch {
    writeSigningKeyFile(dir);
  }
  return ['--sign-key', file, '--url', sim.url];
}

async function makePlanFile(dir: string, args: string[] = []): Promise<{ file: string; plan: Plan; io: TestIo }> {
  if (!sim) throw new Error('no simulator');
  const io = testIo(dir);
  const code = await main(['plan', '--org', 'acme-demo', '--out', 'plan.json', ...trust(dir), ...args], io);
  expect(code, io.err()).toBe(0);
  const file = path.join(dir, 'plan.json');
  return { file, plan: JSON.parse(readFileSync(file, 'utf8')) as Plan, io };
}

function everyFileUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? everyFileUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('sentry-harden plan / apply / undo', () => {
  it('plans, applies low-risk changes with --yes, high-risk ones only with --confirm-org, undoes; the token is nowhere', async () => {
    sim = await startDemoSim();
    const work = tempDir();
    dirs.push(work);
    const before = comparableState(sim.state);
    const { file, plan, io: planIo } = await makePlanFile(work.dir, ['--only', '2.1,3.2', '--set', `deactivateKeys=0391e12ef810d04d3d47d9d4bc5278c4`, '--set', 'rateLimit.web-frontend=120/60']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(planIo.out()).toMatch(/c001 \[low risk\] 2\.1 2\.1\.open-membership/);
    expect(planIo.out()).toMatch(/request: PUT \/api\/0\/organizations\/acme-demo\/ \{"openMembership":false\}/);
    expect(planIo.out()).toMatch(/needs_parameter/);
    const high = plan.changes.filter((c) => c.risk === 'high');
    expect(high.map((c) => c.fix)).toEqual(['key-deactivate']);
    expect(plan.changes.find((c) => c.resource.id === '1e944c1a434219923eab870d757d470d')?.after.rateLimit).toEqual({ window: 60, count: 120 });

    const journal = path.join(work.dir, 'journal');
    const io1 = testIo(work.dir);
    const code1 = await main(['apply', file, ...trust(work.dir), '--yes', '--journal-dir', journal], io1);
    expect(code1, io1.err()).toBe(1);
    expect(io1.out()).toMatch(/skipped: a high-risk change needs --confirm-org acme-demo/);
    expect(io1.out()).toMatch(new RegExp(`${high[0]?.id} DECLINED`));
    expect(sim.state.organizations[0]?.settings.openMembership).toBe(false);

    const io2 = testIo(work.dir);
    const code2 = await main(['apply', file, ...trust(work.dir), '--yes', '--confirm-org', 'acme-demo', '--journal-dir', journal], io2);
    expect(code2, io2.out()).toBe(0);
    expect(io2.out()).toMatch(new RegExp(`${high[0]?.id} APPLIED`));
    expect(io2.out()).toMatch(/ALREADY_APPLIED/);

    // Undo both runs, newest first.
    for (const j of listJournals(journal).reverse()) {
      if (!readJournal(j).records.some((r) => r.phase === 'run' && r.kind === 'apply')) continue;
      const io3 = testIo(work.dir);
      const code3 = await main(['undo', j, '--url', sim?.url ?? '', '--yes', '--confirm-org', 'acme-demo', '--journal-dir', journal], io3);
      expect(code3, io3.out() + io3.err()).toBe(0);
    }
    expect(comparableState(sim.state)).toEqual(before);

    for (const f of everyFileUnder(work.dir)) expect(readFileSync(f, 'utf8'), f).not.toContain(TOKEN);
    for (const text of [planIo.out(), planIo.err(), io1.out(), io1.err(), io2.out(), io2.err()]) expect(text).not.toContain(TOKEN);
    for (const f of listJournals(journal)) expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  it('stops between changes on Ctrl+C: nothing more is sent, the journal records the rest as not attempted', async () => {
    sim = await startDemoSim();
    const work = tempDir();
    dirs.push(work);
    const { file, plan } = await makePlanFile(work.dir, ['--only', '2.1']);
    expect(plan.changes.length).toBeGreaterThan(1);
    const journal = path.join(work.dir, 'journal');
    const interrupted = new AbortController();
    interrupted.abort();
    const io = { ...testIo(work.dir), interrupt: () => interrupted.signal };
    sim.resetRequests();
    const code = await main(['apply', file, ...trust(work.dir), '--yes', '--journal-dir', journal], io);
    expect(code, io.err()).toBe(2);
    expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    const [j] = listJournals(journal);
    const outcomes = outcomesOf(readJournal(j as string));
    expect([...outcomes.values()].map((o) => o.status)).toEqual(plan.changes.map(() => 'not_attempted'));
    expect(readJournal(j as string).records.at(-1)?.phase).toBe('end');
  });

  it('asks y/N per change on a terminal, and the slug for Require 2FA', async () => {
    sim = await startDemoSim();
    const work = tempDir();
    dirs.push(work);
    const { file, plan } = await makePlanFile(work.dir, ['--only', '1.2,2.1']);
    expect(plan.changes.map((c) => c.field)).toEqual(['require2FA', 'openMembership', 'defaultRole']);
    const io = testIo(work.dir, { interactive: true, answers: ['acme-demo', 'y', 'n'] });
    const code = await main(['apply', file, ...trust(work.dir), '--confirm-org', 'acme-demo', '--journal-dir', path.join(work.dir, 'j')], io);
    expect(code, io.out() + io.err()).toBe(1);
    expect(io.err()).toMatch(/Type the organization slug \(acme-demo\) to apply c001: /);
    const [j] = listJournals(path.join(work.dir, 'j'));
    expect([...outcomesOf(readJournal(j as string)).values()].map((o) => o.status)).toEqual(['applied', 'applied', 'declined']);
    const s = sim.state.organizations[0]?.settings;
    expect([s?.require2FA, s?.openMembership, s?.defaultRole]).toEqual([true, false, 'admin']);

    // A wrong slug is a refusal.
    const again = await makePlanFile(work.dir, ['--only', '2.1']);
    const io2 = testIo(work.dir, { interactive: true, answers: ['N'] });
    expect(await main(['apply', again.file, ...trust(work.dir), '--journal-dir', path.join(work.dir, 'j')], io2)).toBe(1);
  });

  it('refuses to run without a terminal or --yes, with --token-stdin and no --yes, a wrong --confirm-org, a tampered plan', async () => {
    sim = await startDemoSim();
    const work = tempDir();
    dirs.push(work);
    const { file, plan } = await makePlanFile(work.dir, ['--only', '2.1']);
    const jd = ['--journal-dir', path.join(work.dir, 'j')];
    const noTty = testIo(work.dir);
    expect(await main(['apply', file, ...trust(work.dir), ...jd], noTty)).toBe(2);
    expect(noTty.err()).toMatch(/no terminal to confirm changes/);
    const stdinToken = testIo(work.dir, { interactive: true, stdinText: TOKEN, env: {} });
    expect(await main(['apply', file, ...trust(work.dir), '--token-stdin', ...jd], stdinToken)).toBe(2);
    expect(stdinToken.err()).toMatch(/--token-stdin.*add --yes/);
    const wrongOrg = testIo(work.dir);
    expect(await main(['apply', file, ...trust(work.dir), '--yes', '--confirm-org', 'other', ...jd], wrongOrg)).toBe(2);
    expect(wrongOrg.err()).toMatch(/does not match the organization/);
    const tampered = path.join(work.dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify({ ...plan, changes: plan.changes.map((c) => ({ ...c, after: { openMembership: true } })) }));
    const t = testIo(work.dir);
    expect(await main(['apply', tampered, ...trust(work.dir), '--yes', ...jd], t)).toBe(2);
    expect(t.err()).toMatch(/refusing .*modified after it was made/);
    expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    // --token-stdin with --yes works.
    const ok = testIo(work.dir, { stdinText: `${TOKEN}\n`, env: {} });
    expect(await main(['apply', file, ...trust(work.dir), '--token-stdin', '--yes', ...jd], ok)).toBe(0);
    expect(ok.out() + ok.err()).not.toContain(TOKEN);
  });
});

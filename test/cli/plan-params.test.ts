import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io';
import { main } from '../../cli/main';
import { setHint } from '../../cli/plan';
import type { Plan, PlanNote } from '../../shared/plan';
import { DEMO_TOKENS, generateOrg, GENERATED_TOKENS, startSimulator, type RunningSimulator } from '../../simulator/index';
import { startDemoSim, tempDir } from '../core/fixes/helpers';
import { writeSigningKeyFile } from '../helpers/plan-key';

let sim: RunningSimulator | undefined;
let dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  dirs.forEach((d) => d.cleanup());
  dirs = [];
});

function testIo(cwd: string, token: string): CliIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { stdout, stderr, stdin: new PassThrough(), env: { SENTRY_AUTH_TOKEN: token }, cwd, interactive: false, out: () => out, err: () => err };
}

async function plan(dir: string, org: string, args: string[], token: string = DEMO_TOKENS.admin): Promise<{ plan: Plan; out: string }> {
  if (!sim) throw new Error('no simulator');
  const key = path.join(dir, 'signing-key.pem');
  const io = testIo(dir, token);
  const code = await main(['plan', '--org', org, '--url', sim.url, '--out', 'plan.json', '--sign-key', key, ...args], io);
  expect(code, io.err()).toBe(0);
  return { plan: JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as Plan, out: io.out() };
}

function needing(p: Plan, kind: string): (PlanNote & { param: NonNullable<PlanNote['param']> })[] {
  return p.notes.filter((n): n is PlanNote & { param: NonNullable<PlanNote['param']> } => n.kind === 'needs_parameter' && n.param?.kind === kind);
}

describe('structured plan parameters', () => {
  it('carry the choice as data; the CLI renders --set from it; the chosen value round-trips into a change', async () => {
    sim = await startDemoSim();
    const work = tempDir();
    dirs.push(work);
    writeSigningKeyFile(work.dir);
    const first = await plan(work.dir, 'acme-demo', ['--level', 'L2', '--only', '2.1,2.3,3.2']);
    const team = needing(first.plan, 'team').find((n) => n.param.key.startsWith('memberAddTeam.'));
    const keys = needing(first.plan, 'client_keys').find((n) => n.param.key === 'deactivateKeys');
    const role = needing(first.plan, 'role')[0];
    for (const n of [team, keys, role]) {
      expect(n?.param.choices?.length, JSON.stringify(n)).toBeGreaterThan(0);
      expect(first.out).toContain(setHint(n?.param as NonNullable<PlanNote['param']>));
      // The words carry no command-line syntax to read back.
      expect(n?.message).not.toMatch(/--set/);
    }
    expect(team?.param).toMatchObject({ kind: 'team', multiple: true, choices: expect.arrayContaining(['platform']) });
    expect(role?.param.key).toMatch(/^role\.\d+$/);
    // An optional choice (a rate limit other than the default) gets its hint too, with the default.
    const rate = first.plan.notes.find((n) => n.param?.kind === 'rate_limit')?.param;
    expect(rate).toBeDefined();
    expect(setHint(rate as NonNullable<PlanNote['param']>)).toMatch(/^--set rateLimit\.[a-z-]+=COUNT\/WINDOW \(default \d+\/\d+\)$/);
    expect(first.out).toContain(setHint(rate as NonNullable<PlanNote['param']>));

    const teamChoice = team?.param.choices?.[0] ?? '';
    const keyChoice = keys?.param.choices?.[0] ?? '';
    const memberId = team?.param.key.split('.')[1];
    const second = await plan(work.dir, 'acme-demo', ['--level', 'L2', '--only', '2.1,2.3,3.2', '--set', `${team?.param.key}=${teamChoice}`, '--set', `deactivateKeys=${keyChoice}`]);
    expect(second.plan.changes.find((c) => c.intent.op === 'member-team-add')?.intent.args).toEqual({ member: memberId, team: teamChoice });
    expect(second.plan.changes.find((c) => c.fix === 'key-deactivate')?.intent.args.key).toBe(keyChoice);
    expect(second.plan.notes.some((n) => n.param?.key === team?.param.key)).toBe(false);
  });
});

describe('a large organization', () => {
  it('plans 230 members (many without 2FA) without crashing: notes summarise, the full list is data', async () => {
    const gen = generateOrg({ projects: 20, keysPerProject: 1, members: 230, teams: 8, integrations: 0, seed: 11 });
    sim = await startSimulator({ state: gen.state });
    const work = tempDir();
    dirs.push(work);
    writeSigningKeyFile(work.dir);
    const users = new Map(gen.state.users.map((u) => [u.id, u]));
    const without2fa = gen.org.members.filter((m) => m.userId !== null && users.get(m.userId)?.isActive !== false && !users.get(m.userId)?.has2fa);
    expect(without2fa.length).toBeGreaterThan(50);
    const { plan: made } = await plan(work.dir, gen.org.slug, ['--level', 'L3'], GENERATED_TOKENS.admin);
    const twoFa = made.changes.find((c) => c.fix === 'require-2fa');
    const note = made.notes.find((n) => n.fix === 'require-2fa');
    expect(twoFa?.affected?.length).toBe(without2fa.length);
    expect(note?.items?.length).toBe(without2fa.length);
    expect(note?.message).toMatch(new RegExp(`^Members who would be detached \\(no 2FA\\): ${without2fa.length} members, e\\.g\\. .*; all in the plan's data\\.$`));
    for (const n of made.notes) expect(n.message.length).toBeLessThanOrEqual(4000);
    for (const c of made.changes) expect(c.notes.every((n) => n.length <= 2000)).toBe(true);
  });
});

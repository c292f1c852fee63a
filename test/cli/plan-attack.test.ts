import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io';
import { main } from '../../cli/main';
import { planDigest } from '../../core/engine/plan';
import { signPlan } from '../../core/evidence/plan-signature';
import { createAppStore } from '../../core/store/index';
import type { Plan } from '../../shared/plan';
import { DEMO_TOKENS, type RunningSimulator } from '../../simulator/index';
import { startDemoSim, tempDir } from '../core/fixes/helpers';
import { writeSigningKeyFile } from '../helpers/plan-key';

const TOKEN = DEMO_TOKENS.admin;

/** A loopback server that answers like Sentry would and records every request and its headers. */
async function startCatcher(): Promise<{ url: string; seen: { method: string; url: string; headers: IncomingHttpHeaders }[]; close: () => Promise<void> }> {
  const seen: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => server.close(() => r())) };
}

let sim: RunningSimulator | undefined;
let catcher: Awaited<ReturnType<typeof startCatcher>> | undefined;
let dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  await sim?.close();
  await catcher?.close();
  sim = undefined;
  catcher = undefined;
  dirs.forEach((d) => d.cleanup());
  dirs = [];
});

function testIo(cwd: string, opts: { interactive?: boolean; answer?: string; env?: Record<string, string> } = {}): CliIo & { text: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  stderr.on('data', (d: Buffer) => {
    text += d.toString();
    if (/to send your token there: $/.test(d.toString())) stdin.write(`${opts.answer ?? ''}\n`);
  });
  return { stdout, stderr, stdin, env: { SENTRY_AUTH_TOKEN: TOKEN, ...opts.env }, cwd, interactive: opts.interactive ?? false, text: () => text };
}

/** A real plan of the demo organization, signed with a key file in `dir`. */
async function realPlan(dir: string, only = '2.1,3.2', extra: string[] = []): Promise<{ plan: Plan; keyFile: string; key: ReturnType<typeof writeSigningKeyFile>['key'] }> {
  if (!sim) throw new Error('no simulator');
  const { key, file: keyFile } = writeSigningKeyFile(dir);
  const io = testIo(dir);
  const code = await main(['plan', '--org', 'acme-demo', '--url', sim.url, '--out', 'plan.json', '--only', only, '--sign-key', keyFile, ...extra], io);
  expect(code, io.text()).toBe(0);
  return { plan: JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as Plan, keyFile, key };
}

/** What an editor of the file does: change what it likes, then recompute the digest. */
function edited(plan: Plan, edit: (p: Plan) => Plan): Plan {
  const p = edit(structuredClone(plan));
  return { ...p, digest: planDigest(p) };
}

function write(dir: string, name: string, plan: Plan): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(plan));
  return file;
}

function tokenArrived(): boolean {
  return (catcher?.seen ?? []).some((r) => JSON.stringify(r.headers).includes(TOKEN));
}

describe('an edited plan cannot send the token elsewhere or write outside its catalog', () => {
  it('a new host, a new path and low risk with --yes: refused, the catcher never sees the token', async () => {
    sim = await startDemoSim();
    catcher = await startCatcher();
    const work = tempDir();
    dirs.push(work);
    const { plan, keyFile } = await realPlan(work.dir, '2.1,3.2', ['--set', 'deactivateKeys=0391e12ef810d04d3d47d9d4bc5278c4']);
    const high = plan.changes.find((c) => c.risk === 'high');
    expect(high).toBeDefined();
    const evil = edited(plan, (p) => ({
      ...p,
      target: { ...p.target, url: catcher?.url ?? '', regionUrl: catcher?.url ?? '', controlUrl: catcher?.url ?? '' },
      writeHosts: [catcher?.url ?? ''],
      changes: p.changes.map((c) => ({ ...c, risk: 'low' as const, request: { ...c.request, path: '/api/0/organizations/victim-org/' } })),
    }));
    const file = write(work.dir, 'evil.json', evil);
    const jd = ['--journal-dir', path.join(work.dir, 'j')];
    sim.resetRequests();

    // 1. As is: the signature no longer holds, refused before any token is read.
    const a = testIo(work.dir);
    expect(await main(['apply', file, '--yes', '--confirm-org', 'acme-demo', '--sign-key', keyFile, ...jd], a)).toBe(2);
    expect(a.text()).toMatch(/refusing .*: change c\d+: .*victim-org.* is not an endpoint of organization acme-demo|refusing .*the plan is/);

    // 2. Only the host changed (paths and risk left alone): the signature fails, the target is shown.
    const moved = write(work.dir, 'moved.json', edited(plan, (p) => ({ ...p, target: { ...p.target, url: catcher?.url ?? '' }, writeHosts: [catcher?.url ?? ''] })));
    const b = testIo(work.dir);
    expect(await main(['apply', moved, '--yes', '--sign-key', keyFile, ...jd], b)).toBe(2);
    expect(b.text()).toMatch(/the plan is changed after it was signed/);
    expect(b.text()).toContain(`at ${catcher.url}`);

    // 3. Even with --allow-unsigned-plan and --yes, no terminal and no --url: the target is not confirmed.
    const c = testIo(work.dir);
    expect(await main(['apply', moved, '--yes', '--allow-unsigned-plan', '--sign-key', keyFile, ...jd], c)).toBe(2);
    expect(c.text()).toMatch(/confirm where your token goes: pass --url/);

    // 4. The person's own --url does not match the file's host.
    const d = testIo(work.dir);
    expect(await main(['apply', moved, '--yes', '--allow-unsigned-plan', '--url', sim.url, '--sign-key', keyFile, ...jd], d)).toBe(2);
    expect(d.text()).toMatch(/does not match the plan's target/);

    // 5. On a terminal, the person sees the host and does not type it.
    const e = testIo(work.dir, { interactive: true, answer: 'sentry.io' });
    expect(await main(['apply', moved, '--allow-unsigned-plan', '--sign-key', keyFile, ...jd], e)).toBe(2);
    expect(e.text()).toMatch(/Type the host name \(127\.0\.0\.1\) to send your token there/);

    expect(catcher.seen).toEqual([]);
    expect(tokenArrived()).toBe(false);
    expect(sim.requests).toEqual([]);
  });

  it('with the right host but an edited risk or request: refused (the catalog decides), nothing written', async () => {
    sim = await startDemoSim();
    const work = tempDir();
    dirs.push(work);
    const { plan, keyFile } = await realPlan(work.dir, '2.1,3.2', ['--set', 'deactivateKeys=0391e12ef810d04d3d47d9d4bc5278c4']);
    const trusted = ['--allow-unsigned-plan', '--url', sim.url, '--sign-key', keyFile, '--yes', '--journal-dir', path.join(work.dir, 'j')];
    const cases: [string, (p: Plan) => Plan, RegExp][] = [
      ['low risk', (p) => ({ ...p, changes: p.changes.map((c) => ({ ...c, risk: 'low' as const })) }), /its risk is not what fix key-deactivate builds/],
      ['another body', (p) => ({ ...p, changes: p.changes.map((c, i) => (i === 0 ? { ...c, request: { ...c.request, body: { openMembership: true } } } : c)) }), /its request is not what fix/],
      ['another method', (p) => ({ ...p, changes: p.changes.map((c, i) => (i === 0 ? { ...c, request: { ...c.request, method: 'DELETE' as const } } : c)) }), /its request is not what fix/],
      ['a field the fix never writes', (p) => ({ ...p, changes: p.changes.map((c, i) => (i === 0 ? { ...c, before: { require2FA: true }, after: { require2FA: false } } : c)) }), /does not make a "org-fields" change/],
      ['an unknown fix', (p) => ({ ...p, changes: p.changes.map((c, i) => (i === 0 ? { ...c, fix: 'anything' } : c)) }), /no fix "anything"/],
      ['another resource in the intent', (p) => ({ ...p, changes: p.changes.map((c) => (c.intent.args.project ? { ...c, intent: { ...c.intent, args: { ...c.intent.args, project: '..' } } } : c)) }), /refusing/],
    ];
    sim.resetRequests();
    for (const [name, edit, message] of cases) {
      const file = write(work.dir, `${name.replace(/\W/g, '-')}.json`, edited(plan, edit));
      const io = testIo(work.dir);
      expect(await main(['apply', file, ...trusted], io), name).toBe(2);
      expect(io.text(), name).toMatch(message);
    }
    expect(sim.requests).toEqual([]);
  });

  it('refuses an unsigned or foreign-signed plan without --allow-unsigned-plan, and applies it with the flag after showing the target', async () => {
    sim = await startDemoSim();
    const work = tempDir();
    dirs.push(work);
    const { plan, keyFile } = await realPlan(work.dir, '2.1');
    const { signature: _s, ...unsignedPlan } = plan;
    const unsigned = write(work.dir, 'unsigned.json', unsignedPlan);
    const other = writeSigningKeyFile(work.dir, 'other.pem');
    const foreign = write(work.dir, 'foreign.json', signPlan(unsignedPlan, other.key));
    const base = ['--yes', '--url', sim.url, '--sign-key', keyFile, '--journal-dir', path.join(work.dir, 'j')];
    sim.resetRequests();

    const u = testIo(work.dir);
    expect(await main(['apply', unsigned, ...base], u)).toBe(2);
    expect(u.text()).toMatch(/refusing .*the plan is not signed\.\nThe plan targets organization "Acme Demo" \(acme-demo/);
    expect(u.text()).toMatch(/pass --allow-unsigned-plan/);
    const f = testIo(work.dir);
    expect(await main(['apply', foreign, ...base], f)).toBe(2);
    expect(f.text()).toContain(`signed by another key (${other.key.fingerprint}), not by this machine's key`);
    expect(sim.requests).toEqual([]);

    const ok = testIo(work.dir);
    expect(await main(['apply', foreign, ...base, '--allow-unsigned-plan'], ok), ok.text()).toBe(0);
    expect(ok.text()).toMatch(/WARNING: the plan is signed by another key/);
    expect(ok.text()).toMatch(/The plan targets organization .*\n {2}writes go only to/);
    expect(sim.state.organizations[0]?.settings.openMembership).toBe(false);

    // The plan's own key verifies it.
    const again = testIo(work.dir);
    expect(await main(['apply', path.join(work.dir, 'plan.json'), ...base], again), again.text()).toBe(0);
    expect(again.text()).toMatch(/Plan signed by this machine's key SHA256:/);
  });

  it('the target is confirmed by a saved profile of that host, or by typing its host name; never by a profile of another host', async () => {
    sim = await startDemoSim();
    const work = tempDir();
    dirs.push(work);
    const { keyFile } = await realPlan(work.dir, '2.1');
    const file = path.join(work.dir, 'plan.json');
    const jd = ['--journal-dir', path.join(work.dir, 'j')];
    const config = path.join(work.dir, 'config');
    const store = createAppStore({ cwd: config });
    store.saveProfile({ id: 'elsewhere', label: 'Elsewhere', baseUrl: 'https://sentry.io', orgSlug: 'acme-demo', level: 'L1', createdAt: '2026-01-01T00:00:00.000Z' });
    const other = testIo(work.dir, { env: { SENTRY_HARDEN_CONFIG_DIR: config } });
    expect(await main(['apply', file, '--yes', '--sign-key', keyFile, ...jd], other)).toBe(2);
    expect(other.text()).toMatch(/confirm where your token goes/);
    sim.resetRequests();

    const typed = testIo(work.dir, { interactive: true, answer: '127.0.0.1' });
    expect(await main(['apply', file, '--yes', '--sign-key', keyFile, ...jd], typed), typed.text()).toBe(0);
    expect(sim.requests.some((r) => r.method === 'PUT')).toBe(true);

    store.saveProfile({ id: 'acme', label: 'Acme here', baseUrl: sim.url, orgSlug: 'acme-demo', level: 'L1', createdAt: '2026-01-01T00:00:00.000Z' });
    const known = testIo(work.dir, { env: { SENTRY_HARDEN_CONFIG_DIR: config } });
    expect(await main(['apply', file, '--yes', '--sign-key', keyFile, ...jd], known), known.text()).toBe(0);
    expect(known.text()).toMatch(/Target known: saved profile "Acme here" \(acme\)/);
  });
});

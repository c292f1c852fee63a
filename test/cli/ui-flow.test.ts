import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUi, type RunningUi } from '../../cli/ui';
import { verifyEvidencePackage } from '../../core/evidence/verify';
import { DEMO_ORG_SLUG, DEMO_TOKENS } from '../../simulator/index';
import { SIGNING_KEY_ACCOUNT, SIGNING_KEY_SERVICE } from '../../core/evidence/signing-key';
import { apiCaller, fakeRenderer, memoryKeychain, noKeychain, openEvents } from '../core/app/web-client';
import { readDecoded } from '../helpers/decoded-file';

/**
 * Web mode end to end over HTTP, as the browser drives it: the demo organization on the built-in
 * simulator, no OS keychain (the demo token lives in memory), a full session from the scope check
 * to a signed package that verifies, and no token in anything the page receives.
 */

const TOKENS = Object.values(DEMO_TOKENS);
const dirs: string[] = [];
let ui: RunningUi;
let call: ReturnType<typeof apiCaller>['call'];
let bodies: string[];
let events: ReturnType<typeof openEvents>;
const opened: string[] = [];
// The OS keychains stand-ins: tokens unavailable (the demo token stays in memory), the signing
// key's own entry space available, so the test sees where the key went.
const tokenKeychain = noKeychain();
const signingKeychain = memoryKeychain(SIGNING_KEY_SERVICE);

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-flow-'));
  const rendererDir = fakeRenderer();
  dirs.push(data, rendererDir);
  ui = await startUi(
    {
      demo: true,
      port: 0,
      dataDir: data,
      outDir: path.join(data, 'out'),
      rendererDir,
      keychain: tokenKeychain,
      signingKeychain,
      openUrl: (u) => opened.push(u),
      // No PDF printer: report:save with format pdf stays refused (ui-report.test.ts prints with Chromium).
      chromium: null,
    },
    { env: {} },
  );
  ({ call, bodies } = apiCaller(ui.server.port, ui.server.secret));
  events = openEvents(ui.server.port, ui.server.secret);
  expect(await events.ready).toBe(200);
});

afterAll(async () => {
  events.close();
  await ui.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Events arrive on their own connection, a moment after the answer that caused them. */
async function waitFor(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

const demoOrg = () => ui.simulator?.state.organizations.find((o) => o.slug === DEMO_ORG_SLUG);

describe('sentry-harden ui --demo over HTTP', () => {
  let runId = '';
  let recheckRunId = '';
  let applyId = '';
  const chosen: Record<string, string> = {};

  it('opens on the demo profile, clearly labelled, whose token never leaves the process', async () => {
    const demo = await call('demo:status', {});
    expect(demo).toMatchObject({ ok: true, value: { active: true, profileId: 'demo', orgSlug: DEMO_ORG_SLUG } });
    expect(demo.value.label).toMatch(/demo/i);
    expect(demo.value.label).toMatch(/simulated|not a real/i);
    expect(await call('settings:get', {})).toMatchObject({ ok: true, value: { settings: { lastProfileId: 'demo' } } });
    const profiles = await call('profile:list', {});
    expect(profiles.value.profiles).toEqual([expect.objectContaining({ id: 'demo', orgSlug: DEMO_ORG_SLUG, baseUrl: ui.simulator?.url })]);
    const status = await call('auth:status', { profileId: 'demo', verify: true });
    expect(status).toMatchObject({ ok: true, value: { hasToken: true, info: { kind: 'user', user: { email: expect.stringContaining('@') } } } });
    const scopes = await call('auth:scopeCheck', { profileId: 'demo' });
    expect(scopes).toMatchObject({ ok: true, value: { checked: true, audit: { satisfied: true, missing: [] }, fix: { satisfied: true, missing: [] } } });
    expect(scopes.value.authPageUrl).toBe(`${ui.simulator?.url}/settings/account/api/auth-tokens/`);
    const app = await call('app:info', {});
    expect(app).toMatchObject({ ok: true, value: { mode: 'web', keychain: { available: false } } });
  });

  it('refuses to keep a real token without a keychain, and checks one without keeping it', async () => {
    const saved = await call('profile:save', { profile: { label: 'Acme (real)', baseUrl: ui.simulator?.url, orgSlug: DEMO_ORG_SLUG, level: 'L1' } });
    expect(saved.ok).toBe(true);
    const id = saved.value.profile.id;
    const refused = await call('auth:setToken', { profileId: id, token: DEMO_TOKENS.readOnly });
    expect(refused).toMatchObject({ ok: false, error: { code: 'keychain_unavailable' } });
    expect(refused.error?.message).toMatch(/plaintext/);
    expect(await call('auth:status', { profileId: id })).toMatchObject({ ok: false, error: { code: 'keychain_unavailable' } });
    const checked = await call('auth:verify', { baseUrl: ui.simulator?.url, token: DEMO_TOKENS.readOnly });
    expect(checked).toMatchObject({ ok: true, value: { info: { kind: 'user' }, orgs: [expect.objectContaining({ slug: DEMO_ORG_SLUG })] } });
    // Read-only scopes: an audit needs org:write too (the audit log), fixes need the admin scopes.
    expect(checked.value.scopeCheck.audit.missing).toEqual(['org:write']);
    expect(checked.value.scopeCheck.fix.missing).toEqual(expect.arrayContaining(['org:admin', 'member:admin', 'team:admin', 'project:admin']));
    expect(await call('profile:delete', { profileId: id })).toMatchObject({ ok: false, error: { code: 'keychain_unavailable' } });
  });

  it('audits with progress events, and shows the evidence behind a finding', async () => {
    const catalog = await call('catalog:get', {});
    expect(catalog.value.sections.map((s: { id: string }) => s.id)).toEqual(['1', '2', '3', '4', 'INT']);
    const run = await call('audit:run', { profileId: 'demo', runId: 'demo-run-before' });
    expect(run.ok).toBe(true);
    runId = run.value.runId;
    expect(runId).toBe('demo-run-before');
    expect(run.value.baselineRunId).toBe(runId);
    expect(run.value.counts.fail).toBeGreaterThan(0);
    expect(run.value.controls.length).toBeGreaterThan(5);
    const progressOf = () => events.events.filter((e) => e.event === 'audit:progress' && e.data.runId === runId);
    await waitFor(() => progressOf().some((e) => e.data.completed === e.data.total));
    const progress = progressOf();
    expect(progress[0]?.data).toMatchObject({ completed: 0, control: null });
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)?.data.completed).toBe(progress.at(-1)?.data.total);
    expect(await call('audit:get', { runId })).toMatchObject({ ok: true, value: { runId, counts: run.value.counts } });

    // The run carries summaries; the rows come a page per check from audit:findings.
    expect(run.value.findings).toBeUndefined();
    expect(run.value.checks.reduce((n: number, c: { counts: { fail: number } }) => n + c.counts.fail, 0)).toBe(run.value.counts.fail);
    const rows = await call('audit:findings', { runId, statuses: ['fail'], limit: 5 });
    expect(rows.ok).toBe(true);
    expect(rows.value.groups.length).toBeGreaterThan(0);
    for (const g of rows.value.groups) {
      expect(g.rows.length).toBe(Math.min(5, g.total));
      expect(g.total).toBe(g.counts.fail);
      expect(g.rows.every((f: { status: string }) => f.status === 'fail')).toBe(true);
    }
    const finding = rows.value.groups.flatMap((g: { rows: unknown[] }) => g.rows).find((f: { evidence: unknown[] }) => f.evidence.length > 0);
    const evidence = await call('audit:evidence', { runId, sha256: finding.evidence[0].sha256 });
    expect(evidence).toMatchObject({ ok: true, value: { read: { sha256: finding.evidence[0].sha256, endpoint: finding.evidence[0].endpoint } } });
    expect(evidence.value.read.responses[0]).toEqual(expect.objectContaining({ status: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }));
    expect(await call('audit:evidence', { runId, sha256: '0'.repeat(64) })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('plans fixes with their preview, and asks for the choices it cannot make', async () => {
    const first = await call('fix:plan', { profileId: 'demo', runId });
    expect(first.ok).toBe(true);
    const teamNote = first.value.notes.find((n: { param: { key: string } | null }) => n.param?.key.startsWith('memberAddTeam.'));
    expect(teamNote.param.choices).toEqual(expect.arrayContaining(['platform']));
    const plan = await call('fix:plan', { profileId: 'demo', runId, params: { [teamNote.param.key]: 'platform' } });
    expect(plan.ok).toBe(true);
    const steps = plan.value.steps as { id: string; fix: string; field: string; risk: string; confirmSlug: boolean; request: { method: string; path: string; body?: unknown }; before: unknown; after: unknown }[];
    const team = steps.find((s) => s.fix === 'team-access');
    const rate = steps.find((s) => s.fix === 'key-rate-limit');
    const fields = steps.find((s) => s.fix === 'data-scrubbing' && s.field === 'sensitiveFields');
    const twoFa = steps.find((s) => s.fix === 'require-2fa');
    expect(team?.request).toMatchObject({ method: 'POST', path: expect.stringContaining('/teams/platform/') });
    expect(rate).toMatchObject({ risk: 'low', confirmSlug: false, before: { rateLimit: null }, request: { method: 'PUT' } });
    expect(fields?.after).toMatchObject({ sensitiveFields: expect.arrayContaining(['password']) });
    expect(twoFa).toMatchObject({ risk: 'high', confirmSlug: true });
    chosen.plan = plan.value.planId;
    chosen.team = team?.id ?? '';
    chosen.rate = rate?.id ?? '';
    chosen.rateKey = (rate as unknown as { resource: { id: string } }).resource.id;
    chosen.fields = fields?.id ?? '';
    chosen.twoFa = twoFa?.id ?? '';
  });

  it('refuses a high-risk step without the typed organization slug, and sends nothing', async () => {
    const base = { profileId: 'demo', planId: chosen.plan, stepIds: [chosen.rate, chosen.twoFa] };
    expect(await call('fix:apply', base)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const noSlug = await call('fix:apply', { ...base, confirm: true });
    expect(noSlug).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining(`type the organization slug (${DEMO_ORG_SLUG})`) } });
    expect(await call('fix:apply', { ...base, confirm: true, confirmOrg: 'acme' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(demoOrg()?.settings.require2FA).toBe(false);
    const key = demoOrg()?.projects.flatMap((p) => p.keys).find((k) => k.id === chosen.rateKey);
    expect(key?.rateLimit).toBeNull();
  });

  it('applies three fixes with progress, then re-checks', async () => {
    // Steps run in the plan's order (ids ascend with it), whatever order they were chosen in.
    const stepIds = [chosen.team, chosen.rate, chosen.fields].sort();
    const applied = await call('fix:apply', { profileId: 'demo', planId: chosen.plan, stepIds, confirm: true });
    expect(applied.ok).toBe(true);
    applyId = applied.value.applyId;
    expect(applied.value.results.map((r: { stepId: string; status: string; outcome: string }) => [r.stepId, r.status, r.outcome])).toEqual(
      stepIds.map((id) => [id, 'applied', 'applied']),
    );
    expect(applied.value.counts.applied).toBe(3);
    expect(applied.value.recheckError).toBeNull();
    expect(applied.value.recheck.baselineRunId).toBe(runId);
    const before = (await call('audit:get', { runId })).value;
    expect(applied.value.recheck.counts.fail).toBeLessThan(before.counts.fail);
    const fixProgress = () => events.events.filter((e) => e.event === 'fix:progress' && e.data.planId === chosen.plan);
    await waitFor(() => fixProgress().length >= 6);
    const progress = fixProgress();
    expect(progress.map((e) => `${e.data.stepId}:${e.data.status}`)).toEqual(stepIds.flatMap((id) => [`${id}:running`, `${id}:applied`]));
    expect(demoOrg()?.settings.sensitiveFields).toContain('password');
  });

  it('undoes one of them (journaled), and will not undo it twice', async () => {
    const preview = await call('fix:undoPlan', { profileId: 'demo', applyId });
    expect(preview.value.steps.map((s: { undoes: string }) => s.undoes).sort()).toEqual([chosen.team, chosen.rate, chosen.fields].sort());
    const undone = await call('fix:undo', { profileId: 'demo', applyId, stepIds: [chosen.rate], confirm: true });
    expect(undone).toMatchObject({ ok: true, value: { applyId, results: [{ stepId: chosen.rate, status: 'applied', outcome: 'applied' }] } });
    expect(undone.value.undoId).not.toBe(applyId);
    recheckRunId = undone.value.recheck.runId;
    const again = await call('fix:undoPlan', { profileId: 'demo', applyId });
    expect(again.value.steps.map((s: { undoes: string }) => s.undoes)).not.toContain(chosen.rate);
    expect(again.value.skipped).toEqual([expect.objectContaining({ stepId: chosen.rate, reason: 'Already undone in this session.' })]);
    expect(await call('fix:undo', { profileId: 'demo', applyId, stepIds: [chosen.rate], confirm: true })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('saves the signed before/after package, which verifies, and contains no token', async () => {
    const saved = await call('report:save', { runId: recheckRunId, format: 'evidence' });
    expect(saved).toMatchObject({ ok: true, value: { saved: true, fingerprint: expect.stringMatching(/^SHA256:/) } });
    const dir = saved.value.path as string;
    expect(path.dirname(dir)).toBe(ui.outDir);
    expect(fs.existsSync(saved.value.zipPath)).toBe(true);
    const verified = await verifyEvidencePackage(dir);
    expect(verified.problems).toEqual([]);
    expect(verified.valid).toBe(true);
    expect((await verifyEvidencePackage(saved.value.zipPath)).valid).toBe(true);
    // Signed with the key kept under the signing service, where the CLI looks for it too.
    expect([...signingKeychain.entries.keys()]).toEqual([SIGNING_KEY_ACCOUNT]);
    expect(fs.readFileSync(path.join(dir, 'signing-key.fingerprint.txt'), 'utf8')).toContain(saved.value.fingerprint);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(report.before).not.toBeNull();
    expect(report.changes.map((c: { outcome: string }) => c.outcome)).toEqual(['applied', 'applied', 'applied', 'applied']);
    for (const file of listFiles(dir)) {
      const text = readDecoded(file);
      for (const t of TOKENS) expect(text.includes(t), file).toBe(false);
    }
    expect((await call('register:get', { profileId: 'demo' })).value.registers.review).toMatchObject({ lastPackage: dir });
    const html = await call('report:save', { runId: recheckRunId, format: 'html' });
    expect(html).toMatchObject({ ok: true, value: { saved: true } });
    expect(fs.readFileSync(html.value.path, 'utf8')).toContain('<html');
    expect(await call('report:save', { runId: recheckRunId, format: 'pdf' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('resets the demo organization', async () => {
    expect(await call('demo:reset', {})).toMatchObject({ ok: true, value: { reset: true } });
    expect(demoOrg()?.settings.sensitiveFields).not.toContain('password');
    expect(await call('audit:get', { runId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const fresh = await call('audit:run', { profileId: 'demo' });
    expect(fresh.ok).toBe(true);
  });

  it('never sent a token to the page: not in any response body, nor in any event', () => {
    expect(bodies.length).toBeGreaterThan(25);
    const everything = [...bodies, events.raw()].join('\n');
    for (const t of TOKENS) expect(everything.includes(t)).toBe(false);
    expect(everything).not.toContain('sntryu_demo');
    expect(opened).toEqual([]);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppPackageWriter } from '../../../core/app/package-writer';
import type { Keychain } from '../../../core/secrets/index';
import { createEngine, coarseStatus, needsSlug, noteDto, type EngineDeps } from '../../../core/app/engine';
import type { ProfileSession } from '../../../core/app/handlers';
import type { HandlerContext } from '../../../core/app/router';
import { emptyRegisters } from '../../../core/store/index';
import { FIXES } from '../../../core/fixes/index';
import type { EventName } from '../../../shared/ipc/channel-names';
import type { Registers } from '../../../shared/settings';
import { OutcomeStatusSchema } from '../../../shared/plan';
import { createDemoState, DEMO_ORG_SLUG, DEMO_TOKENS, startSimulator, type RunningSimulator } from '../../../simulator/index';

/** The engine gateway against the simulator, no mocks: every call is real HTTP to a stateful Sentry. */

let sim: RunningSimulator;
const dirs: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({ state: createDemoState() });
});
afterAll(async () => {
  await sim.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
afterEach(() => {
  Object.assign(sim.state, createDemoState());
});

/** The signing key's keychain, in memory (the OS keychain has its own tests). */
function inMemoryKeychain(): Keychain {
  const items = new Map<string, string>();
  return {
    service: 'sentry-harden-engine-test',
    backend: 'secret-service',
    setSecret: async (account, secret) => {
      items.set(account, secret);
    },
    getSecret: async (account) => items.get(account) ?? null,
    deleteSecret: async (account) => items.delete(account),
    probe: async () => ({ available: true, backend: 'secret-service' }),
  };
}

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-'));
  dirs.push(d);
  return d;
}

function session(token: string = DEMO_TOKENS.admin, baseUrl = sim.url): ProfileSession {
  return {
    profile: { id: 'p1', label: 'Demo', baseUrl, orgSlug: DEMO_ORG_SLUG, level: 'L1', createdAt: '2025-01-01T00:00:00.000Z' },
    getToken: () => token,
  };
}

function context() {
  const events: { event: EventName; payload: unknown }[] = [];
  const ctx: HandlerContext = {
    sender: { webContentsId: 1, frameUrl: 'app://sentry-harden/', isMainFrame: true },
    emit: (event, payload) => events.push({ event, payload }),
  };
  return { ctx, events };
}

/** Every row of a run, through `audit:findings` (the run's answer carries summaries only). */
async function rowsOf(e: ReturnType<typeof createEngine>, runId: string) {
  const page = await e.findings({ runId, offset: 0, limit: 100 });
  return page.groups.flatMap((g) => g.rows);
}

function engine(over: Partial<EngineDeps> & { registers?: EngineDeps['registers'] } = {}) {
  const out = tmp();
  return createEngine({
    journalDir: path.join(out, 'journal'),
    registers: () => emptyRegisters(),
    auditSettings: () => ({}),
    reportDestination: { choose: async ({ suggestedName }) => path.join(out, suggestedName) },
    writePackage: createAppPackageWriter({ keychain: inMemoryKeychain(), throwawayKeyWithoutKeychain: false }),
    timeoutMs: 5000,
    ...over,
  });
}

describe('engine gateway: tokens and organizations', () => {
  it('tells what a token is from GET /api/0/, and refuses one Sentry does not know', async () => {
    const e = engine();
    expect(await e.verifyToken({ baseUrl: sim.url }, DEMO_TOKENS.admin)).toMatchObject({ kind: 'user', scopes: expect.arrayContaining(['org:admin']), user: { has2fa: true } });
    expect(await e.verifyToken({ baseUrl: sim.url }, DEMO_TOKENS.orgAuth)).toMatchObject({ kind: 'org_auth_token', user: null });
    await expect(e.verifyToken({ baseUrl: sim.url }, 'sntryu_not_a_token_of_this_sentry_00000000000000000000000000000000')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(e.verifyToken({ baseUrl: 'http://example.com' }, DEMO_TOKENS.admin)).rejects.toMatchObject({ code: 'insecure_url' });
    expect(await e.listOrganizations({ baseUrl: sim.url }, () => DEMO_TOKENS.admin)).toEqual([expect.objectContaining({ slug: DEMO_ORG_SLUG })]);
  });
});

describe('engine gateway: audits', () => {
  it('runs an audit with progress, keeps it by id, and serves the evidence behind a finding', async () => {
    const e = engine({ evidenceBodyLimit: 40 });
    const { ctx, events } = context();
    const run = await e.runAudit(session(), { level: 'L1' }, ctx);
    expect(run.baselineRunId).toBe(run.runId);
    expect(run.counts.fail).toBeGreaterThan(0);
    expect(run.requests).toBeGreaterThan(5);
    const progress = events.filter((x) => x.event === 'audit:progress').map((x) => x.payload as { completed: number; total: number });
    expect(progress[0]).toMatchObject({ completed: 0 });
    expect(progress.at(-1)?.completed).toBe(progress.at(-1)?.total);
    expect(await e.getRun(run.runId)).toEqual(run);

    const org = (await rowsOf(e, run.runId)).find((f) => f.check === '2.1.open-membership');
    const ev = await e.evidence({ runId: run.runId, sha256: org?.evidence[0]?.sha256 ?? '' });
    expect(ev.read.endpoint).toBe(`/api/0/organizations/${DEMO_ORG_SLUG}/`);
    expect(ev.firstPage).toMatchObject({ status: 200, truncated: true, contentType: expect.stringContaining('json') });
    expect(ev.firstPage?.body.length).toBe(40);
    expect(ev.firstPage?.bytes).toBeGreaterThan(40);
    await expect(e.evidence({ runId: 'nope', sha256: '0'.repeat(64) })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('runs only the controls asked for, and refuses unknown ones and unknown baselines', async () => {
    const e = engine();
    const { ctx } = context();
    const run = await e.runAudit(session(), { level: 'L1', controls: ['2.1', '3.2'] }, ctx);
    expect(new Set((await rowsOf(e, run.runId)).map((f) => f.control))).toEqual(new Set(['2.1', '3.2']));
    expect(new Set(run.checks.map((c) => c.control))).toEqual(new Set(['2.1', '3.2']));
    await expect(e.runAudit(session(), { level: 'L1', controls: ['9.9'] }, ctx)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(e.runAudit(session(), { level: 'L1', baselineRunId: 'missing-run' }, ctx)).rejects.toMatchObject({ code: 'not_found' });
    await expect(e.runAudit(session(), { level: 'L1', runId: run.runId }, ctx)).rejects.toMatchObject({ code: 'invalid_input' });
    const recheck = await e.runAudit(session(), { level: 'L1', controls: ['2.1'], baselineRunId: run.runId }, ctx);
    expect(recheck.baselineRunId).toBe(run.runId);
  });

  it('passes the profile integration register into the audit (INT.5)', async () => {
    const { ctx } = context();
    let registers: Registers = emptyRegisters();
    const e = engine({ registers: () => registers });
    const without = await e.runAudit(session(), { level: 'L3', controls: ['INT.5'] }, ctx);
    const subject = (await rowsOf(e, without.runId)).find((f) => f.status === 'fail');
    expect(subject).toBeDefined();
    registers = {
      ...emptyRegisters(),
      integrationRegister: [
        { integration: subject?.resource.id ?? '', permissions: ['org:admin'], rationale: 'Deploys releases from CI.', owner: 'platform team', lastReviewed: '2025-01-01' },
      ],
    };
    const withRegister = await e.runAudit(session(), { level: 'L3', controls: ['INT.5'] }, ctx);
    const after = (await rowsOf(e, withRegister.runId)).find((f) => f.resource.id === subject?.resource.id && f.check === subject?.check);
    expect(after?.status).not.toBe('fail');
  });

  it('cancels a running audit', async () => {
    const slow = await startSimulator({ state: createDemoState(), latencyMs: 40 });
    try {
      const e = engine();
      const { ctx } = context();
      const running = e.runAudit(session(DEMO_TOKENS.admin, slow.url), { level: 'L3', runId: 'cancel-me-1' }, ctx);
      await new Promise((r) => setTimeout(r, 150));
      expect(await e.cancelAudit('cancel-me-1')).toBe(true);
      await expect(running).rejects.toMatchObject({ code: 'cancelled' });
      expect(await e.cancelAudit('cancel-me-1')).toBe(false);
      await expect(e.getRun('cancel-me-1')).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      await slow.close();
    }
  });
});

describe('engine gateway: plan, apply, undo', () => {
  it('previews every step with the exact request, and refuses consent that does not cover high-risk steps', async () => {
    const e = engine();
    const { ctx } = context();
    const s = session();
    const run = await e.runAudit(s, { level: 'L1' }, ctx);
    const plan = await e.planFixes(s, { profileId: 'p1', runId: run.runId });
    const twoFa = plan.steps.find((x) => x.fix === 'require-2fa');
    expect(twoFa).toMatchObject({ risk: 'high', confirmSlug: true, request: { method: 'PUT', path: `/api/0/organizations/${DEMO_ORG_SLUG}/`, body: { require2FA: true } }, requiredScopes: ['org:admin'] });
    expect(twoFa?.changes).toEqual([{ field: 'require2FA', before: false, after: true }]);
    const rate = plan.steps.find((x) => x.fix === 'key-rate-limit');
    expect(rate?.requiredScopes).toEqual(['project:admin']);
    expect(rate?.reversible).toBe(true);
    await expect(e.applyFixes(s, { profileId: 'p1', planId: plan.planId, stepIds: [twoFa?.id ?? ''], confirm: true }, ctx)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(e.applyFixes(s, { profileId: 'p1', planId: plan.planId, stepIds: [rate?.id ?? ''], confirm: true, confirmOrg: 'other-org' }, ctx)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(e.applyFixes(s, { profileId: 'p1', planId: plan.planId, stepIds: ['c999'], confirm: true }, ctx)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(e.applyFixes(s, { profileId: 'p1', planId: 'plan_missing', stepIds: ['c001'], confirm: true }, ctx)).rejects.toMatchObject({ code: 'not_found' });
    // A profile moved to another Sentry since the plan: its token must not go to the plan's host.
    const moved = session(DEMO_TOKENS.admin, 'http://127.0.0.1:9');
    await expect(e.applyFixes(moved, { profileId: 'p1', planId: plan.planId, stepIds: [rate?.id ?? ''], confirm: true }, ctx)).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('plan again'),
    });
    expect(sim.state.organizations[0]?.settings.require2FA).toBe(false);
    // A refused choice does not sink the plan: it is planned without it, the reason keyed to its field.
    const refused = await e.planFixes(s, { profileId: 'p1', runId: run.runId, params: { 'rateLimit.web-frontend': 'lots', nonsense: '1' } });
    expect(refused.paramErrors).toEqual([
      { key: 'nonsense', message: expect.stringContaining('no fix takes this choice') },
      { key: 'rateLimit.web-frontend', message: expect.stringContaining('"lots" is not') },
    ]);
    expect(refused.paramErrors?.every((r) => !r.message.includes(r.key))).toBe(true);
    expect(refused.steps.some((st) => st.fix === 'key-rate-limit')).toBe(true);
  });

  it('applies a step with consent (the slug typed), journals it, re-checks, and undoes it', async () => {
    const journalDir = tmp();
    const e = engine({ journalDir });
    const { ctx, events } = context();
    const s = session();
    const run = await e.runAudit(s, { level: 'L1', controls: ['2.1', '2.3'] }, ctx);
    const plan = await e.planFixes(s, { profileId: 'p1', runId: run.runId });
    const step = plan.steps.find((x) => x.field === 'openMembership');
    expect(step).toBeDefined();
    const applied = await e.applyFixes(s, { profileId: 'p1', planId: plan.planId, stepIds: [step?.id ?? ''], confirm: true, confirmOrg: DEMO_ORG_SLUG }, ctx);
    expect(applied.results).toEqual([expect.objectContaining({ stepId: step?.id, status: 'applied', outcome: 'applied', error: null })]);
    expect(applied.recheck?.baselineRunId).toBe(run.runId);
    const rechecked = await rowsOf(e, applied.recheck?.runId ?? '');
    expect(new Set(rechecked.map((f) => f.control))).toEqual(new Set(['2.1', '2.3']));
    expect(rechecked.find((f) => f.check === '2.1.open-membership')?.status).toBe('pass');
    // What changed between the session's first run and the re-check: open membership now passes.
    const changes = await e.changes({ runId: applied.recheck?.runId ?? '', offset: 0, limit: 100 });
    expect(changes.baselineRunId).toBe(run.runId);
    expect(changes.rows).toContainEqual(expect.objectContaining({ before: 'fail', after: 'pass', finding: expect.objectContaining({ check: '2.1.open-membership' }) }));
    expect(sim.state.organizations[0]?.settings.openMembership).toBe(false);
    expect(events.filter((x) => x.event === 'fix:progress').map((x) => (x.payload as { status: string }).status)).toEqual(['running', 'applied']);

    const undo = await e.undoPlan(s, { profileId: 'p1', applyId: applied.applyId });
    expect(undo.steps).toEqual([expect.objectContaining({ undoes: step?.id, after: { openMembership: true } })]);
    const undone = await e.undoFixes(s, { profileId: 'p1', applyId: applied.applyId, confirm: true }, ctx);
    expect(undone.results).toEqual([expect.objectContaining({ stepId: step?.id, outcome: 'applied' })]);
    expect(sim.state.organizations[0]?.settings.openMembership).toBe(true);
    await expect(e.undoFixes(s, { profileId: 'p1', applyId: applied.applyId, confirm: true }, ctx)).rejects.toMatchObject({ code: 'invalid_input' });
    const other: ProfileSession = { ...s, profile: { ...s.profile, id: 'other' } };
    await expect(e.undoPlan(other, { profileId: 'other', applyId: applied.applyId })).rejects.toMatchObject({ code: 'not_found' });
    // One journal for the apply, one for the undo; neither holds the token.
    const journals = fs.readdirSync(journalDir).filter((n) => n.endsWith('.jsonl'));
    expect(journals).toHaveLength(2);
    for (const j of journals) expect(fs.readFileSync(path.join(journalDir, j), 'utf8')).not.toContain(DEMO_TOKENS.admin);
  });

  it('refuses a second change run of the same profile while one is running', async () => {
    const slow = await startSimulator({ state: createDemoState(), latencyMs: 30 });
    try {
      const e = engine();
      const { ctx } = context();
      const s = session(DEMO_TOKENS.admin, slow.url);
      const run = await e.runAudit(s, { level: 'L1', controls: ['3.2'] }, ctx);
      const plan = await e.planFixes(s, { profileId: 'p1', runId: run.runId });
      const ids = plan.steps.filter((x) => x.fix === 'key-rate-limit').map((x) => x.id);
      const first = e.applyFixes(s, { profileId: 'p1', planId: plan.planId, stepIds: ids.slice(0, 2), confirm: true }, ctx);
      await new Promise((r) => setTimeout(r, 20));
      await expect(e.applyFixes(s, { profileId: 'p1', planId: plan.planId, stepIds: ids.slice(2), confirm: true }, ctx)).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringContaining('Another apply'),
      });
      expect((await first).counts.applied).toBe(2);
    } finally {
      await slow.close();
    }
  });

  it('fix:cancel stops an apply after the change in flight; the rest are not attempted and the re-check still runs', async () => {
    const e = engine();
    const s = session();
    const { ctx: auditCtx } = context();
    const run = await e.runAudit(s, { level: 'L1', controls: ['3.2'] }, auditCtx);
    const plan = await e.planFixes(s, { profileId: 'p1', runId: run.runId });
    const ids = plan.steps.filter((x) => x.fix === 'key-rate-limit').map((x) => x.id).slice(0, 3);
    expect(ids).toHaveLength(3);
    const cancels: Promise<boolean>[] = [];
    const ctx: HandlerContext = {
      sender: { webContentsId: 1, frameUrl: 'app://sentry-harden/', isMainFrame: true },
      // The person presses Cancel as soon as the first change starts.
      emit: (event, payload) => {
        if (event === 'fix:progress' && cancels.length === 0) cancels.push(e.cancelApply((payload as { planId: string }).planId));
      },
    };
    const writesBefore = sim.requests.filter((r) => r.method !== 'GET').length;
    const applied = await e.applyFixes(s, { profileId: 'p1', planId: plan.planId, stepIds: ids, confirm: true }, ctx);
    expect(await cancels[0]).toBe(true);
    expect(applied.results.map((r) => [r.stepId, r.outcome])).toEqual([
      [ids[0], 'applied'],
      [ids[1], 'not_attempted'],
      [ids[2], 'not_attempted'],
    ]);
    expect(applied.results[1]?.message).toMatch(/cancelled/);
    expect(applied.fatal).toMatch(/Cancelled/);
    expect(applied.recheck).not.toBeNull();
    expect(sim.requests.filter((r) => r.method !== 'GET').length - writesBefore).toBe(1);
    // Nothing runs any more: a late cancel finds nothing.
    expect(await e.cancelApply(plan.planId)).toBe(false);
  });

  it('saves the audit report as JSON, and the signed package through the package writer', async () => {
    const e = engine();
    const { ctx } = context();
    const run = await e.runAudit(session(), { level: 'L1', controls: ['2.1'] }, ctx);
    const saved = await e.saveReport({ runId: run.runId, format: 'json' }, ctx);
    expect(saved.saved).toBe(true);
    const report = JSON.parse(fs.readFileSync(saved.path ?? '', 'utf8'));
    expect(report.target.org.slug).toBe(DEMO_ORG_SLUG);
    expect(JSON.stringify(report)).not.toContain(DEMO_TOKENS.admin);
    const pkg = await e.saveReport({ runId: run.runId, format: 'evidence' }, ctx);
    expect(pkg).toMatchObject({ saved: true, fingerprint: expect.stringMatching(/^SHA256:/) });
    await expect(e.saveReport({ runId: run.runId, format: 'pdf' }, ctx)).rejects.toMatchObject({ code: 'invalid_input' });
    e.forgetProfile('p1');
    await expect(e.getRun(run.runId)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('engine helpers', () => {
  it('maps every outcome to a coarse status, and high risk to the typed slug', () => {
    const coarse = Object.fromEntries(OutcomeStatusSchema.options.map((o) => [o, coarseStatus(o)]));
    expect(coarse).toEqual({
      applied: 'applied',
      already_applied: 'applied',
      drifted: 'skipped',
      not_effective: 'failed',
      failed: 'failed',
      declined: 'skipped',
      blocked: 'skipped',
      not_attempted: 'skipped',
      not_applied: 'skipped',
      uncertain: 'failed',
    });
    expect(needsSlug({ risk: 'high', confirmSlug: false })).toBe(true);
    expect(needsSlug({ risk: 'low', confirmSlug: true })).toBe(true);
    expect(needsSlug({ risk: 'low', confirmSlug: false })).toBe(false);
  });

  it('hands the wizard the choice a note carries as data, and never reads one out of its words', () => {
    const note = { fix: 'team-access', control: '2.2', kind: 'needs_parameter' as const, message: 'Choose the team that owns api.' };
    const withParam = { ...note, param: { key: 'addTeam.api', kind: 'team' as const, label: 'Team that owns api', choices: ['platform', 'data'], multiple: true } };
    expect(noteDto(withParam, FIXES).param).toEqual({
      key: 'addTeam.api',
      kind: 'team',
      label: 'Team that owns api',
      description: expect.stringContaining('Teams'),
      choices: ['platform', 'data'],
      multiple: true,
      min: null,
      max: null,
      pattern: null,
      options: [
        { value: 'platform', label: 'platform', detail: null },
        { value: 'data', label: 'data', detail: null },
      ],
      suggested: null,
      maxWindow: null,
    });
    // The fix's own words for a choice, when it gives them.
    const labelled = { ...withParam, param: { ...withParam.param, options: [{ value: 'data', label: 'Data', detail: 'data' }] } };
    expect(noteDto(labelled, FIXES).param?.options).toEqual([
      { value: 'platform', label: 'platform', detail: null },
      { value: 'data', label: 'Data', detail: 'data' },
    ]);
    // Command-line syntax in the words is only words.
    expect(noteDto({ ...note, message: 'Choose: --set addTeam.api=TEAM (teams: platform, data).' }, FIXES).param).toBeNull();
    // An info note may offer a choice that changes what is proposed (a rate limit other than the default).
    expect(noteDto({ ...withParam, kind: 'info' }, FIXES).param?.key).toBe('addTeam.api');
  });
});

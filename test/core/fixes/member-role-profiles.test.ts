import { afterEach, expect, it } from 'vitest';
import { makePlan } from '../../../core/engine/plan';
import { readJournal } from '../../../core/engine/journal';
import { planUndo } from '../../../core/engine/undo';
import { DEMO_ORG_SLUG, DEMO_TOKENS } from '../../../simulator/index';
import type { RunningSimulator, ServerProfileName, SimState } from '../../../simulator/index';
import { FAST_SCHEDULER } from '../../helpers/demo-audit';
import { describeEachProfile, startProfileSim } from '../../helpers/profiles';
import { comparableState, runChanges, tempDir } from './helpers';

// The member-role fix on every server profile. Finn (3006) is a manager and team admin on
// platform and mobile: lowering him to member must keep both team-admin roles.
let sim: RunningSimulator | undefined;
let dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  dirs.forEach((d) => d.cleanup());
  dirs = [];
});

function plan(s: RunningSimulator, params: Record<string, string>) {
  return makePlan({
    baseUrl: s.url,
    orgSlug: DEMO_ORG_SLUG,
    getToken: () => DEMO_TOKENS.admin,
    tokenPrefix: 'sntryu_',
    level: 'L1',
    only: ['2.3'],
    params,
    timeoutMs: 2_000,
    scheduler: FAST_SCHEDULER,
  });
}

function finn(state: SimState) {
  const org = state.organizations[0];
  const m = org?.members.find((x) => x.id === '3006');
  if (!org || !m) throw new Error('no Finn');
  return { role: m.orgRole, teams: m.teams.map((t) => [org.teams.find((x) => x.id === t.teamId)?.slug, t.role]).sort() };
}

describeEachProfile('member-role fix', (profile: ServerProfileName) => {
  it('changes the role, keeps the team-admin roles, verifies, and undoes', async () => {
    sim = await startProfileSim(profile);
    const journal = tempDir();
    dirs.push(journal);
    const before = comparableState(sim.state);
    const teamsBefore = finn(sim.state).teams;
    const { plan: p } = await plan(sim, { 'role.3006': 'member' });
    const changes = p.changes.filter((c) => c.fix === 'member-role');
    expect(changes).toHaveLength(1);
    const body = changes[0]?.request.body as Record<string, unknown>;
    // Legacy servers read `role` and team slugs (before PR #35391); current ones orgRole and teamRoles.
    if (profile === 'self-hosted-legacy') expect(Object.keys(body).sort()).toEqual(['role', 'teams']);
    else expect(Object.keys(body).sort()).toEqual(['orgRole', 'teamRoles']);

    const { result } = await runChanges({ ...p, changes }, { journalDir: journal.dir });
    expect(result.results.map((r) => [r.status, r.message])).toEqual([['applied', 'Applied and verified.']]);
    expect(finn(sim.state)).toEqual({ role: 'member', teams: teamsBefore });

    const undo = planUndo(readJournal(result.journalFile));
    const undone = await runChanges({ target: undo.target, writeHosts: undo.writeHosts, changes: undo.changes }, { journalDir: journal.dir, kind: 'undo' });
    expect(undone.result.results.map((r) => r.status)).toEqual(['applied']);
    expect(comparableState(sim.state)).toEqual(before);
  });
});

it('refuses when the org lacks team-roles and the member holds team roles Sentry would store as None', async () => {
  sim = await startProfileSim('saas', { tweak: (s) => s.organizations[0] && (s.organizations[0].features = s.organizations[0].features.filter((f) => f !== 'team-roles')) });
  await expect(plan(sim, { 'role.3006': 'member' })).rejects.toThrow(/team-roles feature.*admin on platform/s);
  expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
});

it('reports what Sentry changed when the re-read differs from the plan (team roles named)', async () => {
  sim = await startProfileSim('saas');
  const journal = tempDir();
  dirs.push(journal);
  const { plan: p } = await plan(sim, { 'role.3006': 'member' });
  const changes = p.changes.filter((c) => c.fix === 'member-role');
  // After the write, Sentry answers the re-read with the team roles gone, as an org without
  // team-roles would have stored them.
  const running = sim;
  const afterSend = () => void running.faults.add({ method: 'GET', path: /\/members\/3006\/$/, kind: 'wrong_shape', field: 'teamRoles', value: [] });
  const { result } = await runChanges({ ...p, changes }, { journalDir: journal.dir, hooks: { afterSend } });
  const [r] = result.results;
  expect(r?.status).toBe('not_effective');
  expect(r?.message).toMatch(/teamRoles is \[\] \(planned \[/);
});

it('refuses when a current server leaves out teamRoles: the team roles are unknown, not none', async () => {
  sim = await startProfileSim('self-hosted');
  sim.faults.add({ method: 'GET', path: /\/members\/3006\/$/, kind: 'wrong_shape', field: 'teamRoles', value: undefined });
  await expect(plan(sim, { 'role.3006': 'member' })).rejects.toThrow(/did not report .*team roles/);
  expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
});

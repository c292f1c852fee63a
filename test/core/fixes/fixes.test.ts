import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../../shared/finding';
import type { Plan } from '../../../shared/plan';
import { readJournal } from '../../../core/engine/journal';
import { planUndo } from '../../../core/engine/undo';
import type { RunningSimulator, SimState } from '../../../simulator/index';
import { auditDemo } from '../../helpers/demo-audit';
import { comparableState, planDemo, runChanges, startDemoSim, tempDir } from './helpers';

/**
 * Every fix against the simulator: plan from a fresh audit, apply, re-audit (the checks it fixes
 * pass), undo from the journal, and the simulator's organization and users are deep-equal to
 * before (audit-log entries and the id counter are left out: undo adds events, it does not erase
 * them).
 */

interface Case {
  readonly name: string;
  readonly fixes: readonly string[];
  readonly checks: readonly string[];
  readonly params?: Record<string, string>;
  readonly tweak?: (state: SimState) => void;
}

const WEB_KEYS = { default: '7eabb47d0dc9ce7cad5efdbc1fc5fc89', marketing: '0391e12ef810d04d3d47d9d4bc5278c4', staging: '1e944c1a434219923eab870d757d470d' };

const CASES: readonly Case[] = [
  {
    name: 'require 2FA (every member already has 2FA, so nobody is detached)',
    fixes: ['require-2fa'],
    checks: ['1.2.require-2fa'],
    tweak: (s) => s.users.forEach((u) => (u.has2fa = !u.isProxy)),
  },
  { name: 'organization membership settings', fixes: ['org-settings'], checks: ['2.1.open-membership', '2.1.default-role', '2.3.member-invite', '2.3.member-project-creation'] },
  {
    name: 'team reassignment: project to team, a move (POST then DELETE), a team removed, a member added',
    fixes: ['team-access'],
    checks: ['2.2.project-has-team', '2.2.teams-per-project', '2.1.members-without-team'],
    params: { 'addTeam.legacy-cron': 'platform', 'removeTeam.web-frontend': 'data', 'addTeam.ios-app': 'platform', 'removeTeam.ios-app': 'mobile', 'memberAddTeam.3011': 'data' },
  },
  { name: 'member role change keeps team roles', fixes: ['member-role'], checks: ['2.3.owner-count'], params: { 'role.3004': 'manager', 'role.3005': 'manager' } },
  { name: 'data scrubbing at organization level', fixes: ['data-scrubbing'], checks: ['3.1.org-data-scrubber', '3.1.org-default-scrubbers', '3.1.org-scrub-ip', '3.1.project-scrubbing', '3.1.project-scrub-ip', '3.1.sensitive-fields'] },
  {
    name: 'data scrubbing per project',
    fixes: ['data-scrubbing'],
    checks: ['3.1.project-scrubbing', '3.1.project-scrub-ip', '3.1.sensitive-fields'],
    params: { 'scrubbing.scope': 'projects' },
  },
  { name: 'key rate limits', fixes: ['key-rate-limit'], checks: ['3.2.rate-limit'] },
  { name: 'deactivate extra keys', fixes: ['key-deactivate'], checks: ['3.2.single-active-key'], params: { deactivateKeys: `${WEB_KEYS.marketing},${WEB_KEYS.staging}` } },
  {
    name: 'rotate old keys (new key, then the old one deactivated)',
    fixes: ['key-rotate'],
    checks: ['3.2.key-age'],
    params: {
      rotateKeys: [WEB_KEYS.default, WEB_KEYS.marketing, 'e63b7cca1af3c681a72b2ce8a55ace51', '0d2d08e84a07edc1748542dcf9a95fe5', 'd6bd922ee002492f4923064464b44b43', '1cb7e82250eae2a84a5d592bc78f7ac4'].join(','),
    },
  },
  {
    name: 'allowed domains',
    fixes: ['allowed-domains'],
    checks: ['3.2.allowed-domains'],
    params: Object.fromEntries(['web-frontend', 'ios-app', 'android-app', 'legacy-cron', 'data-pipeline'].map((p) => [`allowedDomains.${p}`, `https://${p}.acme-demo.example,*.acme-demo.example`])),
  },
  { name: 'inbound filters', fixes: ['inbound-filters'], checks: ['3.3.inbound-filters'] },
];

let sim: RunningSimulator | undefined;
let dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  dirs.forEach((d) => d.cleanup());
  dirs = [];
});

function only(plan: Plan, fixes: readonly string[]): Plan['changes'] {
  return plan.changes.filter((c) => fixes.includes(c.fix));
}

function byCheck(findings: readonly Finding[], check: string): Finding[] {
  return findings.filter((f) => f.check === check);
}

describe('every fix: apply, re-audit, undo', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      sim = await startDemoSim(c.tweak);
      const journal = tempDir();
      dirs.push(journal);
      const before = comparableState(sim.state);
      const { plan, findings } = await planDemo(sim, { level: 'L2', params: c.params ?? {} });
      for (const check of c.checks) expect(byCheck(findings, check).some((f) => f.status === 'fail'), `${check} fails before`).toBe(true);
      const changes = only(plan, c.fixes);
      expect(changes.length).toBeGreaterThan(0);

      const { result } = await runChanges({ ...plan, changes }, { journalDir: journal.dir });
      expect(result.results.map((r) => [r.change.id, r.status, r.message])).toEqual(changes.map((ch) => [ch.id, 'applied', expect.any(String)]));
      await new Promise((r) => setTimeout(r, 30));

      const after = await auditDemo(sim, { level: 'L2' });
      for (const check of c.checks) {
        const fs = byCheck(after.report.findings, check);
        expect(fs.length, check).toBeGreaterThan(0);
        expect(fs.map((f) => [f.check, f.resource.id, f.status]), check).toEqual(fs.map((f) => [check, f.resource.id, 'pass']));
      }

      const undo = planUndo(readJournal(result.journalFile));
      expect(undo.skipped).toEqual([]);
      expect(undo.changes.length).toBe(changes.length);
      const undone = await runChanges({ target: undo.target, writeHosts: undo.writeHosts, changes: undo.changes }, { journalDir: journal.dir, kind: 'undo' });
      expect(undone.result.results.map((r) => [r.status, r.message])).toEqual(undo.changes.map(() => ['applied', expect.any(String)]));
      expect(comparableState(sim.state)).toEqual(before);
    });
  }
});

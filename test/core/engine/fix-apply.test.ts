import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyExitCode, checkTarget, connectForTarget } from '../../../core/engine/apply';
import { outcomesOf, readJournal } from '../../../core/engine/journal';
import { parsePlan } from '../../../core/engine/plan';
import { planUndo } from '../../../core/engine/undo';
import { FixParamError } from '../../../core/fixes/types';
import { JournalRecordSchema } from '../../../shared/plan';
import type { RunningSimulator } from '../../../simulator/index';
import { DEMO_TOKENS } from '../../../simulator/index';
import { auditDemo, FAST_SCHEDULER } from '../../helpers/demo-audit';
import { comparableState, planDemo, runChanges, sleep, startDemoSim, tempDir } from '../fixes/helpers';

let sim: RunningSimulator | undefined;
let dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  dirs.forEach((d) => d.cleanup());
  dirs = [];
});
function journalDir(): string {
  const d = tempDir();
  dirs.push(d);
  return d.dir;
}
const org = () => {
  const o = sim?.state.organizations[0];
  if (!o) throw new Error('no org');
  return o;
};

describe('drift, ignored writes, dependencies, fatal errors', () => {
  it('skips a change whose resource changed since the plan (drift) and one already in the planned state, sending nothing', async () => {
    sim = await startDemoSim();
    const { plan } = await planDemo(sim, { only: ['2.1'] });
    const changes = plan.changes.filter((c) => c.fix === 'org-settings');
    expect(changes.map((c) => c.field)).toEqual(['openMembership', 'defaultRole']);
    org().settings.defaultRole = 'manager'; // someone else changed it: drift
    org().settings.openMembership = false; // someone else already did it
    sim.resetRequests();
    const { result } = await runChanges({ ...plan, changes }, { journalDir: journalDir() });
    expect(result.results.map((r) => r.status)).toEqual(['already_applied', 'drifted']);
    expect(result.results[1]?.observed).toEqual({ defaultRole: 'manager' });
    expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(applyExitCode(result)).toBe(1);
    const records = readJournal(result.journalFile).records;
    expect(records.filter((r) => r.phase === 'intent')).toEqual([]);
  });

  it('reports a rate limit Sentry accepted but ignored (plan without the feature) as not effective, not as done', async () => {
    sim = await startDemoSim((s) => {
      const p = s.organizations[0]?.projects.find((x) => x.slug === 'ios-app');
      if (p) p.features = p.features.filter((f) => f !== 'rate-limits');
    });
    const { plan } = await planDemo(sim, { only: ['3.2'] });
    const changes = plan.changes.filter((c) => c.fix === 'key-rate-limit' && c.resource.name.includes('ios-app'));
    expect(changes).toHaveLength(1);
    expect(changes[0]?.notes.join(' ')).toMatch(/rate-limits feature/);
    const { result } = await runChanges({ ...plan, changes }, { journalDir: journalDir() });
    expect(result.results[0]?.status).toBe('not_effective');
    expect(result.results[0]?.message).toMatch(/still shows the old value/);
    expect(result.counts.applied).toBe(0);
    expect(applyExitCode(result)).toBe(1);
    const outcome = readJournal(result.journalFile).records.find((r) => r.phase === 'outcome');
    expect(outcome).toMatchObject({ status: 'not_effective' });
  });

  it('keeps browserSdkVersion on key PUTs (echoed, never reset)', async () => {
    sim = await startDemoSim((s) => {
      const k = s.organizations[0]?.projects.find((x) => x.slug === 'ios-app')?.keys[0];
      if (k) k.browserSdkVersion = '7.x';
    });
    const { plan } = await planDemo(sim, { only: ['3.2'] });
    const change = plan.changes.find((c) => c.fix === 'key-rate-limit' && c.resource.name.includes('ios-app'));
    expect(change?.request.body).toEqual({ rateLimit: { window: 60, count: 600 }, browserSdkVersion: '7.x' });
    await runChanges({ ...plan, changes: change ? [change] : [] }, { journalDir: journalDir() });
    const key = org().projects.find((x) => x.slug === 'ios-app')?.keys[0];
    expect(key?.browserSdkVersion).toBe('7.x');
    expect(key?.rateLimit).toEqual({ window: 60, count: 600 });
  });

  it('does not send the second step of a rotation when the first was declined', async () => {
    sim = await startDemoSim();
    const { plan } = await planDemo(sim, { level: 'L2', only: ['3.2'], params: { rotateKeys: 'e63b7cca1af3c681a72b2ce8a55ace51' } });
    const changes = plan.changes.filter((c) => c.fix === 'key-rotate');
    expect(changes.map((c) => [c.request.method, c.risk, c.dependsOn])).toEqual([
      ['POST', 'low', []],
      ['PUT', 'high', [changes[0]?.id]],
    ]);
    const { result } = await runChanges({ ...plan, changes }, { journalDir: journalDir(), confirm: async () => false });
    expect(result.results.map((r) => r.status)).toEqual(['declined', 'blocked']);
    expect(org().projects.find((p) => p.slug === 'ios-app')?.keys).toHaveLength(1);
  });

  it('stops cleanly on a fatal error (401): the rest is not attempted and every change has an outcome', async () => {
    sim = await startDemoSim();
    const { plan } = await planDemo(sim, { only: ['2.1', '2.3'], params: { keepInvites: '3014' } });
    const changes = plan.changes.filter((c) => c.fix === 'org-settings');
    expect(changes).toHaveLength(4);
    let n = 0;
    const { result } = await runChanges({ ...plan, changes }, {
      journalDir: journalDir(),
      confirm: async () => {
        n += 1;
        // The token is revoked while the run is under way.
        if (n === 2) sim?.state.tokens.forEach((t) => (t.expired = true));
        return true;
      },
    });
    expect(result.results.map((r) => r.status)).toEqual(['applied', 'failed', 'not_attempted', 'not_attempted']);
    expect(result.fatal).toMatch(/401/);
    expect(applyExitCode(result)).toBe(2);
    const j = readJournal(result.journalFile);
    const outcomes = j.records.filter((r) => r.phase === 'outcome').map((r) => (r.phase === 'outcome' ? r.changeId : ''));
    expect(outcomes).toEqual(changes.map((c) => c.id));
    expect(j.records.at(-1)?.phase).toBe('end');
  });
  it('cancelling stops between changes: the change in flight completes, the rest are not attempted, the journal is complete', async () => {
    sim = await startDemoSim();
    const { plan } = await planDemo(sim, { only: ['2.1', '2.3'], params: { keepInvites: '3014' } });
    const changes = plan.changes.filter((c) => c.fix === 'org-settings').slice(0, 3);
    expect(changes).toHaveLength(3);
    sim.resetRequests();
    const controller = new AbortController();
    let requestsAtAbort = -1;
    const { result } = await runChanges({ ...plan, changes }, {
      journalDir: journalDir(),
      signal: controller.signal,
      hooks: {
        // The person presses Cancel while the first change is in flight.
        afterSend: () => {
          if (controller.signal.aborted) return;
          controller.abort();
          requestsAtAbort = sim?.requests.length ?? -1;
        },
      },
    });
    expect(result.results.map((r) => r.status)).toEqual(['applied', 'not_attempted', 'not_attempted']);
    expect(result.results[1]?.message).toMatch(/cancelled/);
    expect(result.fatal).toMatch(/Cancelled/);
    // After the abort: only the re-read that verifies the change in flight, nothing for the others.
    const after = sim.requests.slice(requestsAtAbort);
    expect(after.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(after).toHaveLength(1);
    expect(sim.requests.filter((r) => r.method !== 'GET')).toHaveLength(1);
    const j = readJournal(result.journalFile);
    expect(j.records.filter((r) => r.phase === 'intent').map((r) => (r.phase === 'intent' ? r.changeId : ''))).toEqual([changes[0]?.id]);
    expect(j.records.filter((r) => r.phase === 'outcome').map((r) => (r.phase === 'outcome' ? [r.changeId, r.status] : []))).toEqual(
      changes.map((c, i) => [c.id, i === 0 ? 'applied' : 'not_attempted']),
    );
    expect(j.records.at(-1)).toMatchObject({ phase: 'end', fatal: result.fatal });
  });

  it('a run cancelled before it starts sends nothing and records every change', async () => {
    sim = await startDemoSim();
    const { plan } = await planDemo(sim, { only: ['2.1'] });
    const changes = plan.changes.filter((c) => c.fix === 'org-settings');
    sim.resetRequests();
    const { result } = await runChanges({ ...plan, changes }, { journalDir: journalDir(), signal: AbortSignal.abort() });
    expect(result.results.map((r) => r.status)).toEqual(changes.map(() => 'not_attempted'));
    expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(readJournal(result.journalFile).records.at(-1)?.phase).toBe('end');
  });
});

describe('fix pre-flights and refusals', () => {
  it('Require 2FA lists every member it would detach, and they are detached after applying', async () => {
    sim = await startDemoSim();
    const { plan } = await planDemo(sim, { only: ['1.2'] });
    const change = plan.changes.find((c) => c.fix === 'require-2fa');
    expect(change).toMatchObject({ risk: 'high', confirmSlug: true, request: { method: 'PUT', body: { require2FA: true } } });
    const without2fa = sim.state.users.filter((u) => !u.has2fa && !u.isProxy && u.id !== '1013').map((u) => u.email).sort();
    // The full list is data; the note names a handful and says where the rest is.
    const listed = (change?.affected ?? []).map((r) => r.name).sort();
    expect(listed).toEqual(without2fa);
    expect(change?.notes.some((n) => n.includes('ben@acme-demo.example (owner, member 3002)'))).toBe(true);
    const { result } = await runChanges({ ...plan, changes: change ? [change] : [] }, { journalDir: journalDir() });
    expect(result.results[0]?.status).toBe('applied');
    await sleep(50);
    const detached = org().members.filter((m) => m.userId === null && m.inviteStatus === 'approved' && !['3013', '3014'].includes(m.id)).map((m) => m.email).sort();
    expect(detached).toEqual(without2fa);
    const after = await auditDemo(sim);
    expect(after.report.findings.find((f) => f.check === '1.2.require-2fa')?.status).toBe('pass');
  });

  it('Require 2FA is refused with SSO configured, and for a token whose user has no 2FA', async () => {
    sim = await startDemoSim((s) => {
      const o = s.organizations[0];
      if (o) o.authProvider = { id: '1', providerName: 'okta', requireLink: true, scimEnabled: false };
    });
    const sso = await planDemo(sim, { only: ['1.2'] });
    // With SSO the check is manual, so no change at all.
    expect(sso.plan.changes).toEqual([]);
    await sim.close();
    sim = await startDemoSim();
    const no2fa = await planDemo(sim, { only: ['1.2'], token: DEMO_TOKENS.adminNo2fa });
    expect(no2fa.plan.changes).toEqual([]);
    expect(no2fa.plan.notes).toEqual([expect.objectContaining({ kind: 'refused', message: expect.stringMatching(/has no 2FA/) })]);
  });

  it('a member role change sends the member\'s current team roles; own role and roles above your own are refused', async () => {
    sim = await startDemoSim((s) => {
      s.tokens.push({ token: 'sntryu_demo_finn_manager_000000000000', kind: 'user', scopes: ['org:admin', 'member:admin', 'team:admin', 'project:admin'], userId: '1006' });
    });
    const { plan } = await planDemo(sim, { only: ['2.3'], params: { 'role.3009': 'admin' } });
    const change = plan.changes.find((c) => c.fix === 'member-role');
    expect(change?.request.body).toEqual({ orgRole: 'admin', teamRoles: [{ teamSlug: 'frontend', role: 'contributor' }, { teamSlug: 'mobile', role: 'contributor' }] });
    await expect(planDemo(sim, { only: ['2.3'], params: { 'role.3001': 'manager' } })).rejects.toThrow(/your own membership/);
    const finn = 'sntryu_demo_finn_manager_000000000000';
    await expect(planDemo(sim, { only: ['2.3'], params: { 'role.3009': 'owner' }, token: finn })).rejects.toThrow(/above your own role/);
    await expect(planDemo(sim, { only: ['2.3'], params: { 'role.3002': 'member' }, token: finn })).rejects.toThrow(/owner, above your own role/);
  });

  it('refuses bad parameters: empty allowed domains, "*", bad CIDRs, unknown keys, a move leaving no team', async () => {
    sim = await startDemoSim();
    await expect(planDemo(sim, { params: { 'allowedDomains.ios-app': ' , ' } })).rejects.toThrow(FixParamError);
    await expect(planDemo(sim, { params: { 'allowedDomains.ios-app': '*' } })).rejects.toThrow(/accepts every origin/);
    await expect(planDemo(sim, { level: 'L2', params: { 'blockIps.ios-app': '10.0.0.0/33' } })).rejects.toThrow(/not an IP address or CIDR/);
    await expect(planDemo(sim, { params: { nonsense: '1' } })).rejects.toThrow(/unknown parameter "nonsense"/);
    await expect(planDemo(sim, { level: 'L2', params: { 'removeTeam.ios-app': 'mobile' } })).rejects.toThrow(/no team/);
  });

  it('merges sensitive fields with the baseline and keeps safe fields', async () => {
    sim = await startDemoSim((s) => {
      const o = s.organizations[0];
      if (o) {
        o.settings.sensitiveFields = ['iban', 'Password'];
        o.settings.safeFields = ['session'];
      }
    });
    const { plan } = await planDemo(sim, { only: ['3.1'] });
    const change = plan.changes.find((c) => c.field === 'sensitiveFields');
    const after = change?.after.sensitiveFields as string[];
    expect(after.slice(0, 2)).toEqual(['iban', 'Password']);
    expect(after.filter((f) => f.toLowerCase() === 'password')).toHaveLength(1);
    expect(change?.request.body).toEqual({ sensitiveFields: after });
    expect(plan.notes.some((n) => /safe fields/.test(n.message))).toBe(true);
  });

  it('adds validated IP ranges to the newline-separated blocklist and undoes it', async () => {
    sim = await startDemoSim();
    const dir = journalDir();
    const before = comparableState(sim.state);
    const { plan } = await planDemo(sim, { level: 'L2', only: ['3.3'], params: { 'blockIps.api-backend': '192.0.2.0/24, 2001:DB8::/32, 198.51.100.7' } });
    const change = plan.changes.find((c) => c.fix === 'ip-blocklist');
    expect(change?.request.body).toEqual({ options: { 'filters:blacklisted_ips': '198.51.100.7\n203.0.113.0/24\n192.0.2.0/24\n2001:db8::/32' } });
    const { result } = await runChanges({ ...plan, changes: change ? [change] : [] }, { journalDir: dir });
    expect(result.results[0]?.status).toBe('applied');
    const audit = await auditDemo(sim, { level: 'L2' });
    const f = audit.report.findings.find((x) => x.check === '3.3.ip-blocklist');
    expect((f?.details?.blockedRanges as Record<string, string[]>)['api-backend']).toContain('192.0.2.0/24');
    const undo = planUndo(readJournal(result.journalFile));
    await runChanges({ target: undo.target, writeHosts: undo.writeHosts, changes: undo.changes }, { journalDir: dir, kind: 'undo' });
    expect(comparableState(sim.state)).toEqual(before);
  });

  it('removes expired invitations; undo says why it cannot bring them back', async () => {
    sim = await startDemoSim();
    const dir = journalDir();
    const { plan } = await planDemo(sim, { only: ['2.3'] });
    const changes = plan.changes.filter((c) => c.fix === 'expired-invites');
    expect(changes.map((c) => [c.resource.id, c.request.method, c.reversible])).toEqual([['3014', 'DELETE', false]]);
    const { result } = await runChanges({ ...plan, changes }, { journalDir: dir });
    expect(result.results[0]?.status).toBe('applied');
    expect(org().members.some((m) => m.id === '3014')).toBe(false);
    const audit = await auditDemo(sim);
    expect(audit.report.findings.filter((f) => f.check === '2.3.stale-invites').map((f) => f.status)).toEqual(['pass']);
    const undo = planUndo(readJournal(result.journalFile));
    expect(undo.changes).toEqual([]);
    expect(undo.skipped).toEqual([expect.objectContaining({ changeId: changes[0]?.id, reason: expect.stringMatching(/expired/) })]);
  });
});

describe('plans and journals', () => {
  it('refuses a tampered or invalid plan, naming the problem', async () => {
    sim = await startDemoSim();
    const { plan } = await planDemo(sim, { only: ['2.1'] });
    const text = JSON.stringify(plan);
    expect(parsePlan(text).digest).toBe(plan.digest);
    const edited = JSON.parse(text);
    edited.changes[0].request.body = { openMembership: true };
    expect(() => parsePlan(JSON.stringify(edited))).toThrow(/modified after it was made/);
    const withToken = { ...JSON.parse(text), token: DEMO_TOKENS.admin };
    expect(() => parsePlan(JSON.stringify(withToken))).toThrow(/Unrecognized key.*token/);
    const badPath = JSON.parse(text);
    badPath.changes[0].request.path = '/api/0/organizations/other-org/';
    expect(() => parsePlan(JSON.stringify(badPath))).toThrow(/modified|not an endpoint/);
    const badMethod = JSON.parse(text);
    badMethod.changes[0].request.method = 'PATCH';
    expect(() => parsePlan(JSON.stringify(badMethod))).toThrow(/changes\.0\.request\.method/);
    expect(() => parsePlan('{')).toThrow(/not valid JSON/);
  });

  it('refuses to apply a plan to another organization or host', async () => {
    sim = await startDemoSim();
    const { plan } = await planDemo(sim, { only: ['2.1'] });
    const connection = await connectForTarget(plan.target, { getToken: () => DEMO_TOKENS.admin, scheduler: FAST_SCHEDULER });
    try {
      expect(() => checkTarget(connection, { ...plan.target, org: { ...plan.target.org, id: '1' } }, plan.writeHosts, plan.changes)).toThrow(/now id/);
      expect(() => checkTarget(connection, plan.target, ['https://elsewhere.example'], plan.changes)).toThrow(/not a host of the plan/);
    } finally {
      connection.client.close();
    }
  });

  it('journals are 0600 JSON lines of valid records, with no key secret and no token', async () => {
    sim = await startDemoSim();
    const dir = journalDir();
    const { plan } = await planDemo(sim, { level: 'L2', only: ['3.2'], params: { rotateKeys: 'e63b7cca1af3c681a72b2ce8a55ace51' } });
    const changes = plan.changes.filter((c) => c.fix === 'key-rotate');
    const { result } = await runChanges({ ...plan, changes }, { journalDir: dir });
    expect(result.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(result.results[0]?.response?.fields['dsn.public']).toMatch(/^http:\/\/[0-9a-f]{32}@127\.0\.0\.1/);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const file = path.join(dir, files[0] as string);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    for (const line of text.trim().split('\n')) expect(JournalRecordSchema.safeParse(JSON.parse(line)).success).toBe(true);
    const secrets = org().projects.flatMap((p) => p.keys.map((k) => k.secret));
    for (const s of secrets) expect(text).not.toContain(s);
    for (const t of Object.values(DEMO_TOKENS)) expect(text).not.toContain(t);
    expect(JSON.stringify(plan)).not.toContain(DEMO_TOKENS.admin);
    expect(readJournal(file).records.map((r) => r.phase)).toEqual(['run', 'intent', 'response', 'verified', 'outcome', 'intent', 'response', 'verified', 'outcome', 'end']);
  });
});

describe('reconciliation of an interrupted run (in process)', () => {
  it('marks a change uncertain when neither value holds, repairs a half-written last line, and never resends', async () => {
    sim = await startDemoSim();
    const dir = journalDir();
    const { plan } = await planDemo(sim, { only: ['2.1'] });
    const changes = plan.changes.filter((c) => c.fix === 'org-settings');
    expect(changes.map((c) => c.field)).toEqual(['openMembership', 'defaultRole']);
    // Stop right after the second intent is durable, as a crash would.
    const crash = new Error('simulated crash');
    await expect(
      runChanges({ ...plan, changes }, {
        journalDir: dir,
        hooks: {
          onRecord: (r) => {
            if (r.phase === 'intent' && r.changeId === changes[1]?.id) throw crash;
          },
        },
      }),
    ).rejects.toBe(crash);
    const [file] = readdirSync(dir).map((f) => path.join(dir, f));
    // A crash in the middle of a write leaves half a line.
    writeFileSync(file as string, `${readFileSync(file as string, 'utf8')}{"v":1,"runId":"x`);
    org().settings.defaultRole = 'manager'; // neither the value before nor the planned one
    sim.resetRequests();
    const { reconciled, result } = await runChanges({ ...plan, changes }, { journalDir: dir });
    expect(reconciled).toEqual([
      expect.objectContaining({ reconciled: true, changes: [expect.objectContaining({ changeId: changes[1]?.id, status: 'uncertain' })] }),
    ]);
    expect(result.results.map((r) => r.status)).toEqual(['already_applied', 'drifted']);
    expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    const j = readJournal(file as string);
    expect(j.truncatedTail).toBe(false);
    expect([...outcomesOf(j).values()].map((o) => o.status)).toEqual(['applied', 'uncertain']);
  });
});

describe('recorded responses', () => {
  it('journals the real status of each write (201 for a created key, 204 for a filter)', async () => {
    sim = await startDemoSim();
    const { plan } = await planDemo(sim, { level: 'L2', only: ['3.2', '3.3'], params: { rotateKeys: 'e63b7cca1af3c681a72b2ce8a55ace51' } });
    const changes = [plan.changes.find((c) => c.fix === 'key-rotate'), plan.changes.find((c) => c.fix === 'inbound-filters')].flatMap((c) => (c ? [c] : []));
    const { result } = await runChanges({ ...plan, changes }, { journalDir: journalDir() });
    const statuses = readJournal(result.journalFile).records.flatMap((r) => (r.phase === 'response' ? [r.status] : []));
    expect(statuses).toEqual([201, 204]);
  });
});

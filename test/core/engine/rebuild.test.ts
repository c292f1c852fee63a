import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../../core/engine/journal';
import { parsePlan, planDigest } from '../../../core/engine/plan';
import { planUndo } from '../../../core/engine/undo';
import { rebuildChanges } from '../../../core/engine/rebuild';
import type { Plan } from '../../../shared/plan';
import type { RunningSimulator } from '../../../simulator/index';
import { planDemo, runChanges, startDemoSim, tempDir } from '../fixes/helpers';

let sim: RunningSimulator | undefined;
let dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  dirs.forEach((d) => d.cleanup());
  dirs = [];
});

function text(plan: Plan, edit: (p: Plan) => void): string {
  const p = structuredClone(plan);
  edit(p);
  return JSON.stringify({ ...p, digest: planDigest(p) });
}

describe('plans are intents: apply rebuilds every request from the catalog', () => {
  it('refuses an edited plan path in any spelling of "..", before any check or send', async () => {
    sim = await startDemoSim();
    const { plan } = await planDemo(sim, { only: ['2.1'] });
    for (const dots of ['..', '%2e%2e', '%2E%2e', '%252e%252e']) {
      const path = `/api/0/organizations/acme-demo/${dots}/victim-org/`;
      for (const field of ['request', 'probe'] as const) {
        const edited = text(plan, (p) => {
          const c = p.changes[0];
          if (c) c[field] = { ...c[field], path } as never;
        });
        expect(() => parsePlan(edited), `${field} ${dots}`).toThrow(/not an endpoint of organization acme-demo|dot segments/);
      }
    }
  });

  it('rebuilds exactly what the planner made, and refuses path arguments that are not slugs', async () => {
    sim = await startDemoSim();
    const { plan } = await planDemo(sim, { level: 'L2', params: { rotateKeys: 'e63b7cca1af3c681a72b2ce8a55ace51', 'blockIps.web-frontend': '203.0.113.0/24' } });
    expect(plan.changes.length).toBeGreaterThan(5);
    expect(rebuildChanges(plan.changes, 'acme-demo')).toEqual(plan.changes.map((c) => ({ ...c })));
    const withProject = plan.changes.find((c) => c.intent.args.project !== undefined);
    for (const bad of ['..', '%2e%2e', 'a/b', 'web%2f..']) {
      const edited = text(plan, (p) => {
        const c = p.changes.find((x) => x.id === withProject?.id);
        if (c) c.intent.args.project = bad;
      });
      expect(() => parsePlan(edited), bad).toThrow(/invalid|slug/);
    }
    // Another organization in the rebuild: the paths follow the target, never the file.
    expect(rebuildChanges([plan.changes[0] as Plan['changes'][number]], 'acme-demo')[0]?.request.path).toMatch(/^\/api\/0\/(organizations|projects)\/acme-demo\//);
  });

  it('bounds what an edited plan can do even unsigned: an invitation delete must start from an expired invitation', async () => {
    sim = await startDemoSim();
    const { plan } = await planDemo(sim, { only: ['2.3'] });
    const invite = plan.changes.find((c) => c.intent.op === 'invite-delete');
    expect(invite).toBeDefined();
    const realMember = text(plan, (p) => {
      const c = p.changes.find((x) => x.id === invite?.id);
      if (c) c.before = { exists: true, user: { id: '1001' }, expired: false };
    });
    expect(() => parsePlan(realMember)).toThrow(/fix expired-invites does not make a "invite-delete" change/);
    const linkFlipped = text(plan, (p) => {
      const c = p.changes.find((x) => x.id === invite?.id);
      if (c) c.intent = { op: 'member-team-add', args: { member: '3002', team: 'platform' } };
    });
    expect(() => parsePlan(linkFlipped)).toThrow(/does not make a "member-team-add" change/);
  });

  it('an undo is rebuilt too: a journal whose inverse was edited is refused, an intact one names the step it undoes', async () => {
    sim = await startDemoSim();
    const dir = tempDir();
    dirs.push(dir);
    const { plan } = await planDemo(sim, { only: ['2.1'] });
    const { result } = await runChanges({ ...plan, changes: plan.changes.slice(0, 1) }, { journalDir: dir.dir });
    expect(result.results[0]?.status).toBe('applied');
    const intact = planUndo(readJournal(result.journalFile));
    expect(intact.changes.map((c) => c.undoes)).toEqual([plan.changes[0]?.id]);
    const text = readFileSync(result.journalFile, 'utf8');
    for (const [from, to] of [
      ['"path":"/api/0/organizations/acme-demo/"', '"path":"/api/0/organizations/acme-demo/%2e%2e/victim-org/"'],
      ['"risk":"low"', '"risk":"high"'],
      ['"body":{"openMembership":true}', '"body":{"openMembership":true,"require2FA":false}'],
    ] as const) {
      const edited = `${dir.dir}/edited.jsonl`;
      writeFileSync(edited, text.split(from).join(to));
      expect(() => planUndo(readJournal(edited)), from).toThrow();
    }
  });
});

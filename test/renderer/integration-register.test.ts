import { describe, expect, it } from 'vitest';
import { allPagesOf, findingsKey } from '../../renderer/store/findings.slice';
import { draftFor, integrationEntryErrors, inventoriedIntegrations } from '../../renderer/steps/integrations/integration-register';
import type { Registers } from '../../shared/settings';
import type { FakeHandlers } from './fake-bridge';
import { NOW, auditRun, baselineFindings, err, ok } from './fake-bridge';
import { audited, waitFor } from './helpers';

type Finding = ReturnType<typeof baselineFindings>[number];

const evidence = baselineFindings()[0]!.evidence;

/** INT.1 as the engine reports it: one finding per integration or app, with what it holds in `details`. */
function inventoryFindings(): Finding[] {
  return [
    { control: 'INT.1', check: 'INT.1.inventory', level: 'L1', status: 'pass', resource: { type: 'integration', id: '501', name: 'acme-gh (GitHub)' }, message: 'Inventoried', evidence, details: { oauthScopes: ['repo', 'read:org'] } },
    { control: 'INT.1', check: 'INT.1.inventory', level: 'L1', status: 'pass', resource: { type: 'sentry_app', id: 'deploy-bot', name: 'Deploy Bot' }, message: 'Inventoried', evidence, details: { scopes: ['project:releases', 'org:read'] } },
    { control: 'INT.1', check: 'INT.1.inventory', level: 'L1', status: 'manual', resource: { type: 'sentry_app', id: 'vendor-app', name: 'vendor-app' }, message: 'Installed', evidence, details: { installation: 'u1' } },
    { control: 'INT.1', check: 'INT.1.inventory', level: 'L1', status: 'error', resource: { type: 'organization', id: 'acme', name: 'Acme' }, message: 'one read failed', evidence },
  ];
}

const stored: Registers = {
  exceptions: [{ id: 'ex-1', control: '3.2', reason: 'Internal only', approvedBy: 'CISO', createdAt: NOW.toISOString() }],
  integrationRegister: [
    { integration: 'deploy-bot', permissions: ['project:releases'], rationale: 'Old reason', owner: 'Old owner', lastReviewed: '2024-01-01' },
    { integration: 'legacy-hook', permissions: ['org:read'], rationale: 'Kept', owner: 'Ops', lastReviewed: '2025-06-01' },
  ],
  attestations: [{ id: 'at-1', control: '4.1', statement: 'Checked by hand.', attestedBy: 'Ada', attestedAt: NOW.toISOString() }],
  review: { nextReviewDate: '2026-06-01T00:00:00.000Z', lastSessionAt: NOW.toISOString(), lastPackage: '/tmp/p.zip' },
};

function withInventory(extra: FakeHandlers = {}): FakeHandlers {
  let registers = structuredClone(stored);
  return {
    'audit:run': ({ runId, baselineRunId }) => ok(auditRun(runId ?? 'run-x', [...baselineFindings().filter((f) => f.control !== 'INT.1'), ...inventoryFindings()], baselineRunId ?? runId)),
    'register:get': () => ok({ registers }),
    'register:save': ({ registers: next }) => {
      registers = next as Registers;
      return ok({ registers });
    },
    ...extra,
  };
}

describe('integration permission register', () => {
  it('lists the integrations and apps of INT.1 with the permissions they hold, not the organization row', async () => {
    const h = await audited(withInventory());
    // The rows arrive through audit:findings, every page of INT.1 (the run carries counts only).
    const queries = allPagesOf(h.s().checks.latest, 'INT.1');
    expect(queries).toHaveLength(1);
    await h.s().findings.load(queries[0]!);
    const page = h.s().findings.pages[findingsKey(queries[0]!)];
    // Rows come what-needs-attention first, so the inventory is compared by key.
    const items = inventoriedIntegrations(page?.status === 'done' ? page.value.groups.flatMap((g) => g.rows) : []).sort((a, b) => a.key.localeCompare(b.key));
    expect(items).toEqual([
      { key: '501', name: 'acme-gh (GitHub)', type: 'integration', permissions: ['repo', 'read:org'] },
      { key: 'deploy-bot', name: 'Deploy Bot', type: 'sentry_app', permissions: ['project:releases', 'org:read'] },
      { key: 'vendor-app', name: 'vendor-app', type: 'sentry_app', permissions: null },
    ]);
    // A new entry starts from what it holds, reviewed today; a recorded one from the register.
    expect(draftFor(items[0]!, stored.integrationRegister, '2026-03-01')).toEqual({ integration: '501', permissions: 'repo, read:org', rationale: '', owner: '', lastReviewed: '2026-03-01' });
    expect(draftFor(items[1]!, stored.integrationRegister, '2026-03-01')).toMatchObject({ permissions: 'project:releases', owner: 'Old owner', lastReviewed: '2024-01-01' });
  });

  it('saving an entry merges it: the other entries, exceptions, attestations and review are kept', async () => {
    const h = await audited(withInventory());
    expect(
      await h.s().registers.recordIntegration({ integration: 'deploy-bot', permissions: ' project:releases, org:read, org:read ', rationale: ' Creates releases from CI. ', owner: ' Platform team ', lastReviewed: '2026-02-27' }),
    ).toBe(true);
    const saved = h.bridge.callsOf('register:save').at(-1)?.registers;
    expect(saved?.exceptions).toEqual(stored.exceptions);
    expect(saved?.attestations).toEqual(stored.attestations);
    expect(saved?.review).toEqual(stored.review);
    expect(saved?.integrationRegister).toEqual([
      stored.integrationRegister[1],
      { integration: 'deploy-bot', permissions: ['project:releases', 'org:read'], rationale: 'Creates releases from CI.', owner: 'Platform team', lastReviewed: '2026-02-27' },
    ]);
    const r = h.s().registers.registers;
    expect(r.status === 'done' && r.value.integrationRegister).toHaveLength(2);

    // Re-check: a new audit run of the session, so INT.4/INT.5 read the register.
    const runs = h.bridge.callsOf('audit:run').length;
    await h.s().checks.start();
    await waitFor(() => h.s().checks.run.status === 'done');
    expect(h.bridge.callsOf('audit:run')).toHaveLength(runs + 1);
    expect(h.bridge.callsOf('audit:run').at(-1)?.baselineRunId).toBe(h.s().checks.baseline?.runId);
  });

  it('owner and rationale are required: nothing is sent without them', async () => {
    const h = await audited(withInventory());
    const draft = { integration: '501', permissions: 'repo', rationale: '  ', owner: '', lastReviewed: '2026-03-01' };
    expect(integrationEntryErrors(draft)).toEqual({ rationale: expect.any(String), owner: expect.any(String) });
    expect(integrationEntryErrors({ ...draft, rationale: 'Links commits', owner: 'Dev', lastReviewed: 'yesterday' })).toEqual({ lastReviewed: expect.any(String) });
    expect(integrationEntryErrors({ ...draft, rationale: 'Links commits', owner: 'Dev' })).toEqual({});
    expect(await h.s().registers.recordIntegration(draft)).toBe(false);
    expect(h.bridge.callsOf('register:save')).toEqual([]);
  });

  it('a save main refuses keeps the loaded register and shows the code', async () => {
    const h = await audited(withInventory({ 'register:save': () => err('invalid_input', 'integrationRegister.0.owner: too long') }));
    expect(await h.s().registers.recordIntegration({ integration: '501', permissions: 'repo', rationale: 'Links commits', owner: 'Dev', lastReviewed: '2026-03-01' })).toBe(false);
    const save = h.s().registers.save;
    expect(save.status === 'failed' && save.error.code).toBe('invalid_input');
    const r = h.s().registers.registers;
    expect(r.status === 'done' && r.value.integrationRegister).toEqual(stored.integrationRegister);
  });
});

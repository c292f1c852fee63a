import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FixPlanView, STEPS_PER_PAGE } from '../../renderer/steps/section/fix-plan';
import { PLAN_STEPS_PAGE } from '../../shared/ipc/contract';
import { notesPage, pageWanted, selectionRequest, stepsPage } from '../../renderer/steps/section/plan-paging';
import { ParamForm } from '../../renderer/steps/section/params/param-form';
import { ok, outcomeCounts, planSteps } from './fake-bridge';
import { audited } from './helpers';

/** A large organization's plan: thousands of changes, shown a page at a time, selectable at once. */
describe('a plan with many changes', () => {
  const many = Array.from({ length: 60 }, (_, i) => ({ ...planSteps()[1]!, id: `k${i}`, resource: { type: 'key' as const, id: `k${i}`, name: `key ${i}` } }));

  it('renders one page of changes with a pager, and "Select all" selects every change of the plan', async () => {
    const h = await audited({
      'fix:plan': ({ runId }) => ok({ planId: 'plan-many', runId, orgSlug: 'acme', level: 'L1', createdAt: '2026-03-01T10:00:00.000Z', steps: many, notes: [] }),
    });
    const slice = () => h.s().accessControls;
    await slice().loadPlan();
    const plan = slice().plan;
    if (plan.status !== 'done') throw new Error(`plan ${plan.status}`);
    const html = renderToStaticMarkup(<FixPlanView plan={plan.value} slice={slice()} canApply onApply={() => undefined} />);
    expect(html.match(/type="checkbox"/g)).toHaveLength(STEPS_PER_PAGE);
    expect(html).toContain('Showing 1–25 of 60');
    expect(html).toContain('Select all 60');
    expect(html).not.toContain('key 30');

    slice().selectAll(true);
    expect(slice().selected).toHaveLength(60);
    slice().selectAll(false);
    expect(slice().selected).toEqual([]);
    h.dispose();
  });
});

/** The same plan paged from main: the window holds the index of every step and the pages it asked for. */
describe('a plan main pages', () => {
  const count = 600;
  const all = Array.from({ length: count }, (_, i) => ({ ...planSteps()[1]!, id: `k${i}`, dependsOn: i === 1 ? ['k0'] : [], confirmSlug: i === 599, resource: { type: 'key' as const, id: `k${i}`, name: `key ${i}` } }));
  const first = {
    planId: 'plan-paged',
    orgSlug: 'acme',
    level: 'L1' as const,
    createdAt: '2026-03-01T10:00:00.000Z',
    steps: all.slice(0, PLAN_STEPS_PAGE),
    notes: [],
    stepCount: count,
    stepIndex: all.map((s) => ({ id: s.id, dependsOn: s.dependsOn, confirmSlug: s.confirmSlug })),
    noteCounts: { roles: 0, needs: 0, optional: 0, other: 0 },
  };

  it('selects every step by the index without asking for any page, pages on demand, and applies "all but" the steps left out', async () => {
    const h = await audited({
      'fix:plan': ({ runId }) => ok({ ...first, runId }),
      'fix:planPage': ({ planId, part, offset, limit }) => ok({ planId, part, offset, total: count, steps: all.slice(offset, offset + limit), notes: [] }),
      'fix:apply': ({ planId, allSteps }) => {
        const except = new Set(allSteps?.except ?? []);
        const results = all.filter((s) => !except.has(s.id)).map((s) => ({ stepId: s.id, status: 'applied' as const, outcome: 'applied' as const, message: 'ok', observed: null, error: null }));
        return ok({ planId, applyId: 'apply-all', results, counts: outcomeCounts(results.length), fatal: null, recheck: null, recheckError: null });
      },
    });
    const slice = () => h.s().accessControls;
    await slice().loadPlan();
    const plan = slice().plan;
    if (plan.status !== 'done') throw new Error(`plan ${plan.status}`);
    const html = renderToStaticMarkup(<FixPlanView plan={plan.value} slice={slice()} canApply onApply={() => undefined} />);
    expect(html).toContain('Select all 600');
    expect(html).toContain('Showing 1–25 of 600');

    slice().selectAll(true);
    expect(slice().selected).toHaveLength(count);
    expect(h.bridge.callsOf('fix:planPage')).toEqual([]);
    // Leaving out a step leaves out what depends on it.
    slice().toggleStep('k0', false);
    expect(slice().selected).toHaveLength(count - 2);

    await slice().loadPlanPage('steps', 25);
    expect(h.bridge.callsOf('fix:planPage')).toEqual([{ profileId: h.s().connect.profile?.id, planId: 'plan-paged', part: 'steps', offset: 25, limit: PLAN_STEPS_PAGE }]);
    expect(stepsPage(slice().planPages, plan.value, 25).items.map((s) => s.id)).toEqual(all.slice(25, 50).map((s) => s.id));

    await slice().applySelected('acme');
    const [request] = h.bridge.callsOf('fix:apply');
    expect(request?.stepIds).toBeUndefined();
    expect(request?.allSteps).toEqual({ count, except: ['k0', 'k1'] });
    // The results table names every change sent: the steps not seen yet were asked for after the apply.
    const batch = slice().applied.at(-1);
    expect(batch?.steps).toHaveLength(count - 2);
    expect(batch?.steps.map((s) => s.id)).toEqual(all.slice(2).map((s) => s.id));
    h.dispose();
  });

  it('sends a short selection by id', () => {
    expect(selectionRequest(first as unknown as Parameters<typeof selectionRequest>[0], ['k3', 'k4'])).toEqual({ stepIds: ['k3', 'k4'] });
  });
});

/** The choices of a paged plan: the form shows the page main sent, and asks for the next. */
describe('the choices of a plan main pages', () => {
  const teams = [{ value: 'platform', label: 'Platform', detail: null }];
  const needs = Array.from({ length: 45 }, (_, i) => ({
    fix: 'team-access',
    control: '2.1',
    check: null,
    resource: { type: 'member' as const, id: `m${i}`, name: `member ${i}` },
    kind: 'needs_parameter' as const,
    message: `Choose a team for member ${i}.`,
    param: { key: `addTeam.m${i}`, kind: 'team' as const, label: `Team for member ${i}`, description: 'Team', choices: [], multiple: true, min: null, max: null, pattern: null, options: [], optionSet: 0, suggested: null, maxWindow: null },
    items: [],
  }));
  const first = {
    planId: 'plan-choices',
    orgSlug: 'acme',
    level: 'L1' as const,
    createdAt: '2026-03-01T10:00:00.000Z',
    steps: [],
    notes: needs.slice(0, 20),
    optionSets: [teams],
    stepCount: 0,
    stepIndex: [],
    noteCounts: { roles: 0, needs: 45, optional: 0, other: 0 },
  };

  it('renders the first 20 choices with "Showing 1–20 of 45", loads the next page from main with the shared options put back', async () => {
    const h = await audited({
      'fix:plan': ({ runId }) => ok({ ...first, runId }),
      'fix:planPage': ({ planId, part, offset, limit }) => ok({ planId, part, offset, total: 45, steps: [], notes: part === 'needs' ? needs.slice(offset, offset + limit) : [] }),
    });
    const slice = () => h.s().accessControls;
    await slice().loadPlan();
    const plan = slice().plan;
    if (plan.status !== 'done') throw new Error(`plan ${plan.status}`);
    const html = renderToStaticMarkup(<ParamForm plan={plan.value} slice={slice()} />);
    expect(html).toContain('Showing 1–20 of 45');
    expect(html).toContain('Team for member 19');
    expect(html).not.toContain('Team for member 20');

    await slice().loadPlanPage('needs', 20);
    expect(h.bridge.callsOf('fix:planPage')).toEqual([{ profileId: h.s().connect.profile?.id, planId: 'plan-choices', part: 'needs', offset: 20, limit: 20 }]);
    const page = notesPage(slice().planPages, plan.value, 'needs', 20);
    expect(page.items.map((n) => n.param?.key)).toEqual(needs.slice(20, 40).map((n) => n.param.key));
    // The choices come back with the plan's shared list of teams.
    expect(page.items[0]?.param?.options).toEqual(teams);
    expect(slice().fields['addTeam.m25']?.param.choices).toEqual(['platform']);
    h.dispose();
  });
});

describe('which plan pages the step asks main for', () => {
  it('a page not held of a paged plan; never the first, never a whole plan, and a failed one only on "Try again"', () => {
    const paged = { planId: 'p', runId: 'r', orgSlug: 'acme', level: 'L1' as const, createdAt: '2026-03-01T10:00:00.000Z', steps: [], notes: [], stepCount: 60, stepIndex: [], noteCounts: { roles: 0, needs: 0, optional: 0, other: 0 } };
    const whole = { ...paged, stepCount: undefined, stepIndex: undefined, noteCounts: undefined };
    expect(pageWanted({}, paged, 'steps', 25)).toBe(true);
    expect(pageWanted({}, paged, 'steps', 0)).toBe(false);
    expect(pageWanted({}, whole, 'steps', 25)).toBe(false);
    expect(pageWanted({ 'p:steps:25': { status: 'failed', error: { code: 'internal', message: 'x', retryable: true } } }, paged, 'steps', 25)).toBe(false);
    expect(pageWanted({ 'p:steps:25': { status: 'running', progress: null } }, paged, 'steps', 25)).toBe(false);
    // Another plan's pages are not this plan's.
    expect(pageWanted({ 'q:steps:25': { status: 'running', progress: null } }, paged, 'steps', 25)).toBe(true);
  });
});

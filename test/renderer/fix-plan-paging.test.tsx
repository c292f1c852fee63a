import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FixPlanView, STEPS_PER_PAGE } from '../../renderer/steps/section/fix-plan';
import { ok, planSteps } from './fake-bridge';
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

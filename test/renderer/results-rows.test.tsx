import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SectionStep } from '../../renderer/steps/section/section.step';
import { sectionStepDef } from '../../renderer/store/steps';
import { WizardStoreContext } from '../../renderer/store/use-wizard';
import { changesKey, stepQuery } from '../../renderer/store/findings.slice';
import type { Harness } from './helpers';
import { audited } from './helpers';
import { auditRun, baselineFindings } from './fake-bridge';

/** The section step as the person sees it, rendered from the store (text only, tags dropped), after it asked main for its rows. */
async function sectionText(h: Harness, id: Parameters<typeof sectionStepDef>[0]): Promise<string> {
  // Static rendering runs no effects: ask for what the step asks for (a fresh answer each time, as after a register change).
  const latest = h.s().checks.latest!;
  const section = sectionStepDef(id).section;
  await h.s().findings.refresh();
  await h.s().findings.load(stepQuery(latest.runId, section));
  await h.s().findings.loadChanges(latest.runId, 0, 100, section);
  // Server rendering reads the store's initial state; this one reads its state now.
  const api = { ...h.api, getInitialState: h.api.getState };
  const html = renderToStaticMarkup(
    <WizardStoreContext.Provider value={api}>
      <SectionStep step={sectionStepDef(id)} />
    </WizardStoreContext.Provider>,
  );
  return html.replace(/<[^>]+>/g, ' ').replace(/&gt;/g, '>').replace(/&#x27;/g, "'").replace(/\s+/g, ' ');
}

describe('rows and counts of a section step', () => {
  it('attesting 4.1 shows on its manual row and adds an "Attested" count to the step', async () => {
    const h = await audited();
    expect(await sectionText(h, 'monitoring')).not.toContain('Attested');
    await h.s().registers.attest({ control: '4.1', attestedBy: 'Ada Lovelace', statement: 'Checked by hand.' });
    const text = await sectionText(h, 'monitoring');
    expect(text).toContain('Manual — attested by Ada Lovelace on 2026-03-01');
    // Once for the step, once for the control.
    expect(text.match(/Attested 1/g)).toHaveLength(2);
    h.dispose();
  });

  it('an exception shows on the failing row it accepts, with who approved it and until when, and is counted', async () => {
    const h = await audited();
    await h.s().registers.addException({ control: '3.2', check: '3.2.rate-limit', reason: 'Internal only', approvedBy: 'CISO', expiresOn: '2026-04-15' });
    const text = await sectionText(h, 'data-security');
    expect(text).toContain('Fail — accepted risk (exception by CISO until 2026-04-15)');
    expect(text).toMatch(/Accepted risk 1/);
    // Another section's failures are untouched.
    expect(await sectionText(h, 'access-controls')).not.toContain('accepted risk');
    h.dispose();
  });

  it('after a fix, a failure the re-check no longer lists because its check passes reads Fail → Pass', async () => {
    const first = baselineFindings();
    const key = first.find((f) => f.check === '3.2.rate-limit');
    const h = await audited();
    // The re-check that came with the fix: the key's failure is gone; the check passes once, for the organization.
    const orgPass = { ...key!, resource: { type: 'organization' as const, id: 'acme', name: 'Acme' }, status: 'pass' as const, message: 'All 1 active client key are rate-limited.' };
    // 1.2's organization-wide failure turns to pass on the same row.
    const recheck = [...first.filter((f) => f !== key).map((f) => (f.check === '1.2.require-2fa' ? { ...f, status: 'pass' as const } : f)), orgPass];
    h.s().checks.adopt(auditRun('run-recheck', recheck, h.s().checks.baseline!.runId));
    const runId = h.s().checks.latest!.runId;
    await h.s().findings.loadChanges(runId, 0, 100);
    const changes = h.s().findings.changes[changesKey(runId, 0, 100)];
    const change = changes?.status === 'done' ? changes.value.rows.find((c) => c.finding.resource.id === 'abc') : undefined;
    expect(change).toMatchObject({ before: 'fail', after: 'pass', basis: 'check-passes' });
    const text = await sectionText(h, 'data-security');
    expect(text).toMatch(/Fixed since the first check \(1\)/);
    expect(text).toMatch(/✗ Fail → now ✓ Pass/);
    expect(text).toContain('Now: All 1 active client key are rate-limited.');
    const auth = await sectionText(h, 'authentication');
    // 1.2 now passes everywhere: its check folds away, and the fix is listed with its before and after.
    expect(auth).toMatch(/Fixed since the first check \(1\)/);
    expect(auth).toMatch(/organization Acme ✗ Fail → now ✓ Pass/);
    h.dispose();
  });
});

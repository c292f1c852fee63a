import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SectionStep } from '../../renderer/steps/section/section.step';
import { sectionStepDef } from '../../renderer/store/steps';
import { WizardStoreContext } from '../../renderer/store/use-wizard';
import { changedFindings } from '../../renderer/store/selectors';
import type { Harness } from './helpers';
import { audited } from './helpers';
import { auditRun, baselineFindings } from './fake-bridge';

/** The section step as the person sees it, rendered from the store (text only, tags dropped). */
function sectionText(h: Harness, id: Parameters<typeof sectionStepDef>[0]): string {
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
    expect(sectionText(h, 'monitoring')).not.toContain('Attested');
    await h.s().registers.attest({ control: '4.1', attestedBy: 'Ada Lovelace', statement: 'Checked by hand.' });
    const text = sectionText(h, 'monitoring');
    expect(text).toContain('Manual — attested by Ada Lovelace on 2026-03-01');
    // Once for the step, once for the control.
    expect(text.match(/Attested 1/g)).toHaveLength(2);
    h.dispose();
  });

  it('an exception shows on the failing row it accepts, with who approved it and until when, and is counted', async () => {
    const h = await audited();
    await h.s().registers.addException({ control: '3.2', check: '3.2.rate-limit', reason: 'Internal only', approvedBy: 'CISO', expiresOn: '2026-04-15' });
    const text = sectionText(h, 'data-security');
    expect(text).toContain('Fail — accepted risk (exception by CISO until 2026-04-15)');
    expect(text).toMatch(/Accepted risk 1/);
    // Another section's failures are untouched.
    expect(sectionText(h, 'access-controls')).not.toContain('accepted risk');
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
    const change = changedFindings(h.s()).find((c) => c.finding.resource.id === 'abc');
    expect(change).toMatchObject({ before: 'fail', after: 'pass', basis: 'check-passes' });
    const text = sectionText(h, 'data-security');
    expect(text).toMatch(/Fixed since the first check \(1\)/);
    expect(text).toMatch(/✗ Fail → now ✓ Pass/);
    expect(text).toContain('Now: All 1 active client key are rate-limited.');
    const auth = sectionText(h, 'authentication');
    expect(auth).toMatch(/1\.2\.require-2fa organization Acme ✗ Fail → now ✓ Pass/);
    expect(auth).not.toContain('Fixed since the first check');
    h.dispose();
  });
});

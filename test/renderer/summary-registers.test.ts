import { describe, expect, it } from 'vitest';
import { ErrorCodeSchema } from '../../shared/errors';
import { adviceFor } from '../../renderer/errors';
import { ATTENTION, findingsKey } from '../../renderer/store/findings.slice';
import { attestedControls, countsOfSection, exceptionsExpiringBeforeReview, nextReviewDate } from '../../renderer/store/selectors';
import { SECTION_STEPS } from '../../renderer/store/steps';
import { err } from './fake-bridge';
import { audited, connected } from './helpers';

describe('registers slice', () => {
  it('attests a manual control and withdraws it, saving the whole registers each time', async () => {
    const h = await connected();
    expect(h.s().registers.registers.status).toBe('done');
    expect(await h.s().registers.attest({ control: '4.1', statement: ' Reviewed the audit log. ', attestedBy: ' Ada ' })).toBe(true);
    const saved = h.bridge.callsOf('register:save').at(-1);
    expect(saved?.registers.attestations).toEqual([
      { id: 'id-0001', control: '4.1', statement: 'Reviewed the audit log.', attestedBy: 'Ada', attestedAt: '2026-03-01T10:00:00.000Z' },
    ]);
    expect(attestedControls(h.s())).toEqual(new Set(['4.1']));
    expect(await h.s().registers.withdrawAttestation('id-0001')).toBe(true);
    expect(attestedControls(h.s())).toEqual(new Set());
  });

  it('records an exception with its owner and expiry; one lapsing before the next review is flagged', async () => {
    const h = await audited();
    expect(nextReviewDate(h.s())?.toISOString()).toBe('2026-05-30T10:00:00.000Z');
    await h.s().registers.addException({ control: '3.2', check: '3.2.rate-limit', reason: 'Internal only', owner: ' Ops ', approvedBy: 'CISO', expiresOn: '2026-04-15' });
    await h.s().registers.addException({ control: '2.1', reason: 'Until the reorg', approvedBy: 'CISO', expiresOn: '2026-12-31' });
    const [entry] = h.bridge.callsOf('register:save').at(-1)?.registers.exceptions ?? [];
    expect(entry).toMatchObject({ control: '3.2', check: '3.2.rate-limit', owner: 'Ops', approvedBy: 'CISO', expiresAt: '2026-04-15T23:59:59.000Z' });
    expect(exceptionsExpiringBeforeReview(h.s()).map((e) => e.control)).toEqual(['3.2']);
    expect(nextReviewDate(h.s())?.toISOString()).toBe('2026-05-30T10:00:00.000Z');
  });

  it('a refused save keeps the previous registers and shows the code', async () => {
    const h = await connected({ 'register:save': () => err('invalid_input', 'exceptions.0.reason: too long') });
    expect(await h.s().registers.addException({ control: '3.2', reason: 'x', approvedBy: 'y' })).toBe(false);
    const save = h.s().registers.save;
    expect(save.status === 'failed' && save.error.code).toBe('invalid_input');
    const r = h.s().registers.registers;
    expect(r.status === 'done' && r.value.exceptions).toEqual([]);
  });
});

describe('summary slice', () => {
  it('saves the signed package of the latest run', async () => {
    const h = await audited();
    await h.s().summary.saveReport();
    expect(h.bridge.callsOf('report:save')).toEqual([{ runId: h.s().checks.latest?.runId, format: 'evidence' }]);
    const report = h.s().summary.report;
    expect(report.status === 'done' && report.value.zipPath).toBe('/tmp/out/package.zip');
  });

  it('a failed save shows its code', async () => {
    const h = await audited({ 'report:save': () => err('internal', 'could not write the package') });
    await h.s().summary.saveReport();
    const report = h.s().summary.report;
    expect(report.status === 'failed' && report.error.code).toBe('internal');
  });

  it('what remains: fail, error and manual findings of the latest run, by section, a page per check', async () => {
    const h = await audited();
    const run = h.s().checks.latest!;
    const statuses: string[] = [];
    for (const step of SECTION_STEPS) {
      const query = { runId: run.runId, section: step.section, statuses: ATTENTION, offset: 0, limit: 10 };
      await h.s().findings.load(query);
      const page = h.s().findings.pages[findingsKey(query)];
      if (page?.status !== 'done') throw new Error(`section ${step.section} not loaded`);
      statuses.push(...page.value.groups.flatMap((g) => g.rows.map((f) => f.status)));
      const counts = countsOfSection(run, step.section);
      expect(page.value.groups.reduce((n, g) => n + g.total, 0), step.section).toBe(counts.fail + counts.error + counts.manual);
    }
    expect(statuses.sort()).toEqual(['error', 'fail', 'fail', 'fail', 'fail', 'manual']);
  });
});

describe('error advice', () => {
  it('says what happened and what to do next for every error code', () => {
    for (const code of ErrorCodeSchema.options) {
      const advice = adviceFor(code);
      expect(advice.title.length, code).toBeGreaterThan(5);
      expect(advice.next.length, code).toBeGreaterThan(10);
    }
    expect(new Set(ErrorCodeSchema.options.map((c) => adviceFor(c).next)).size).toBe(ErrorCodeSchema.options.length);
  });
});

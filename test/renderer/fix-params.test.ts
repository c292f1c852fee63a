import { describe, expect, it } from 'vitest';
import type { PlanNote } from '../../renderer/store/dto';
import { cidrError, domainError, paramError, rateLimitErrors } from '../../renderer/steps/section/params/validate';
import type { ParamDto } from '../../renderer/steps/section/params/validate';
import { audited, waitFor } from './helpers';
import { err, ok, planSteps } from './fake-bridge';

/** The wizard's fix choices: inline checks, what is sent, and a refusal that never hides the plan. */

function param(over: Partial<ParamDto>): ParamDto {
  return { key: 'k', kind: 'team', label: 'L', description: 'D', choices: [], multiple: false, min: null, max: null, pattern: null, options: [], suggested: null, maxWindow: null, ...over };
}

const TEAMS = param({ key: 'addTeam.web', kind: 'team', choices: ['platform', 'data'], multiple: true, options: [{ value: 'platform', label: 'Platform', detail: 'platform' }, { value: 'data', label: 'Data', detail: 'data' }] });
const ROLE = param({ key: 'role.3002', kind: 'role', choices: ['member', 'admin'], options: [{ value: 'member', label: 'Member', detail: null }, { value: 'admin', label: 'Admin', detail: null }] });
const RATE = param({ key: 'rateLimit.web', kind: 'rate_limit', min: 1, max: 999_999_999, maxWindow: 86_400, suggested: '300/60' });
const DOMAINS = param({ key: 'allowedDomains.web', kind: 'domains', multiple: true, min: 1 });
const CIDRS = param({ key: 'blockIps.web', kind: 'cidr_ranges', multiple: true, min: 1 });

describe('inline checks of a choice', () => {
  it('picks only known values, one unless several are allowed', () => {
    expect(paramError(TEAMS, 'platform,data')).toBeNull();
    expect(paramError(TEAMS, 'platform,nope')).toBe('Choose from the list.');
    expect(paramError(ROLE, 'member,admin')).toBe('Choose one.');
    expect(paramError(ROLE, '')).toBeNull();
  });

  it('takes a rate limit within Sentry\'s limits: a count of at least 1, a window of 1 s to one day', () => {
    expect(paramError(RATE, '500/60')).toBeNull();
    expect(rateLimitErrors(RATE, { count: '0', window: '60' }).count).toBe('At least 1 event.');
    expect(rateLimitErrors(RATE, { count: 'x', window: '60' }).count).toBe('Give a whole number of events.');
    expect(rateLimitErrors(RATE, { count: '10', window: '86401' }).window).toMatch(/at most 86,400 seconds/);
    expect(rateLimitErrors(RATE, { count: '10', window: '0' }).window).toBe('At least 1 second.');
  });

  it('checks every site and every range of a list', () => {
    expect(domainError('https://app.example.com', null)).toBeNull();
    expect(domainError('*.example.com:8443', null)).toBeNull();
    expect(domainError('*', null)).toMatch(/every site/);
    expect(paramError(DOMAINS, 'https://a.example.com, not a site')).toMatch(/Not a site/);
    for (const ok of ['203.0.113.0/24', '10.0.0.1', '2001:db8::/32', '::1', '::ffff:192.0.2.1']) expect(cidrError(ok), ok).toBeNull();
    for (const bad of ['203.0.113.0/33', '256.1.1.1', '01.2.3.4', '2001:db8::/129', '1:2:3:4:5:6:7:8:9', 'example.com', '10.0.0.1/24/1']) expect(cidrError(bad), bad).not.toBeNull();
    expect(paramError(CIDRS, '10.0.0.0/8,nope')).toMatch(/Not an IP address/);
  });
});

function note(p: ParamDto): PlanNote {
  return { fix: 'f', control: '2.2', check: null, resource: null, kind: 'needs_parameter', message: 'Choose.', param: p, items: [] };
}

describe('the section keeps its plan and its fields', () => {
  it('sends only values that pass their field\'s checks, and keeps a chosen field after its note is gone', async () => {
    const h = await audited({
      'fix:plan': ({ runId, params }) =>
        ok({ planId: 'plan-1', runId, orgSlug: 'acme', level: 'L1', createdAt: '2026-03-01T10:00:00.000Z', steps: planSteps(), notes: params?.['addTeam.web'] ? [note(RATE)] : [note(TEAMS), note(RATE)] }),
    });
    const slice = () => h.s().accessControls;
    await slice().loadPlan();
    slice().setParam('addTeam.web', 'platform');
    slice().setParam('rateLimit.web', '10/999999');
    slice().setParam('unknown.key', 'x');
    await slice().loadPlan();
    expect(h.bridge.callsOf('fix:plan').at(-1)?.params).toEqual({ 'addTeam.web': 'platform' });
    expect(Object.keys(slice().fields).sort()).toEqual(['addTeam.web', 'rateLimit.web']);
  });

  it('a plan that fails keeps the last plan on show; a plan refusing a value says which field', async () => {
    let n = 0;
    const h = await audited({
      'fix:plan': ({ runId }) => {
        n += 1;
        if (n === 2) return err('invalid_input', 'role.3002: that is your own membership');
        return ok({ planId: `plan-${n}`, runId, orgSlug: 'acme', level: 'L1', createdAt: '2026-03-01T10:00:00.000Z', steps: planSteps(), notes: [note(ROLE)], paramErrors: n === 3 ? [{ key: 'role.3002', message: 'that is your own membership' }] : [] });
      },
    });
    const slice = () => h.s().accessControls;
    await slice().loadPlan();
    slice().setParam('role.3002', 'member');
    await slice().loadPlan();
    expect(slice().plan.status).toBe('failed');
    expect(slice().lastPlan?.planId).toBe('plan-1');
    await slice().loadPlan();
    await waitFor(() => slice().plan.status === 'done');
    expect(slice().lastPlan?.paramErrors).toEqual([{ key: 'role.3002', message: 'that is your own membership' }]);
    expect(slice().fields['role.3002']?.param.kind).toBe('role');
  });
});

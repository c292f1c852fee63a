import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noteDto } from '../../../core/app/engine-dto';
import { makePlan, type PlanOutcome } from '../../../core/engine/plan';
import { FIXES } from '../../../core/fixes/index';
import { FixParamError } from '../../../core/fixes/types';
import { DEMO_ORG_SLUG, type RunningSimulator } from '../../../simulator/index';
import { FAST_SCHEDULER } from '../../helpers/demo-audit';
import { ADMIN, startDemoSim } from './helpers';

/**
 * The choices a demo plan offers, as the wizard's forms get them: every one as data with words
 * for its values, none the fix then refuses, no command-line syntax or internal id in the words,
 * and a refused value keyed to its field while the rest of the plan stands.
 */

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startDemoSim();
}, 30_000);
afterAll(async () => {
  await sim.close();
});

function plan(params: Record<string, string>, paramErrors: 'throw' | 'collect' = 'collect'): Promise<PlanOutcome> {
  return makePlan({
    baseUrl: sim.url,
    orgSlug: DEMO_ORG_SLUG,
    getToken: () => ADMIN,
    tokenPrefix: 'sntryu_',
    level: 'L3',
    params,
    timeoutMs: 2_000,
    scheduler: FAST_SCHEDULER,
    paramErrors,
  });
}

const CLI_SYNTAX = /--set|--only|--confirm-org|--params/;
/** Check ids (`2.3.owner-count`) and change ids (`c005`). */
const INTERNAL_ID = /\b\d\.\d\.[a-z][a-z0-9-]+\b|\bc\d{3,5}\b/;

describe('the choices of the demo plan', () => {
  it('are data with words for every value, and the words hold no command-line syntax or internal id', async () => {
    const { plan: p, paramErrors } = await plan({});
    expect(paramErrors).toEqual([]);
    const needs = p.notes.filter((n) => n.kind === 'needs_parameter');
    expect(needs.length).toBeGreaterThan(5);
    for (const n of needs) expect(n.param, n.message).toBeDefined();
    const kinds = new Set(p.notes.flatMap((n) => (n.param ? [n.param.kind] : [])));
    for (const k of ['team', 'role', 'client_keys', 'domains', 'rate_limit', 'cidr_ranges', 'scope', 'member'] as const) expect(kinds, k).toContain(k);
    for (const n of p.notes) {
      expect(n.message, n.message).not.toMatch(CLI_SYNTAX);
      expect(n.message, n.message).not.toMatch(INTERNAL_ID);
      const dto = noteDto(n, FIXES).param;
      if (!dto) continue;
      expect(dto.options.map((o) => o.value)).toEqual(dto.choices);
    }
    for (const c of p.changes) expect(c.description, c.description).not.toMatch(CLI_SYNTAX);
    // Client keys are named, with their project, not shown as 32 hex digits.
    const keys = p.notes.find((n) => n.param?.kind === 'client_keys')?.param;
    const dto = keys ? noteDto({ fix: 'key-deactivate', control: '3.2', kind: 'needs_parameter', message: '', param: keys }, FIXES).param : null;
    expect(dto?.options.length).toBeGreaterThan(0);
    for (const o of dto?.options ?? []) {
      expect(o.label).not.toMatch(/^[0-9a-f]{32}$/);
      expect(o.detail).toMatch(/project /);
    }
    // A rate limit comes with the default it replaces and Sentry's longest window.
    const rate = p.notes.find((n) => n.param?.kind === 'rate_limit')?.param;
    expect(rate).toMatchObject({ min: 1, maxWindow: 86_400, suggested: expect.stringMatching(/^\d+\/\d+$/) });
  }, 60_000);

  it('offers no owner a role the fix would refuse: not your own membership, nothing above your role', async () => {
    const { plan: p } = await plan({});
    const roles = p.notes.filter((n) => n.param?.kind === 'role');
    expect(roles.map((n) => n.resource?.id)).not.toContain('3001'); // Ada, the token's own member
    expect(p.notes.some((n) => n.kind === 'info' && n.resource?.id === '3001' && /your own role/.test(n.message))).toBe(true);
    expect(roles.length).toBeGreaterThan(0);
    const picks = Object.fromEntries(roles.map((n, i) => [n.param?.key ?? '', n.param?.choices?.[i % (n.param.choices.length || 1)] ?? '']));
    const made = await plan(picks);
    expect(made.paramErrors).toEqual([]);
    expect(made.plan.changes.filter((c) => c.fix === 'member-role')).toHaveLength(roles.length);
  }, 60_000);

  it('a refused value is keyed to its field and left out; the other choices and changes stand', async () => {
    const other = (await plan({})).plan.notes.filter((n) => n.param?.kind === 'role')[0]?.param?.key ?? '';
    const made = await plan({ 'role.3001': 'member', 'allowedDomains.web-frontend': 'https://app.example.com, not a domain' });
    expect(made.paramErrors).toEqual([
      { key: 'role.3001', message: expect.stringContaining('your own membership') },
      { key: 'allowedDomains.web-frontend', message: expect.stringContaining('"not a domain" is not an origin') },
    ]);
    expect(made.plan.params).toEqual({});
    expect(made.plan.notes.some((n) => n.param?.key === other)).toBe(true);
    expect(made.plan.notes.some((n) => n.param?.key === 'allowedDomains.web-frontend')).toBe(true);
    expect(made.plan.changes.length).toBeGreaterThan(0);
    // The command line still stops at the first refusal, naming the key before the reason.
    const thrown = await plan({ 'role.3001': 'member' }, 'throw').catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(FixParamError);
    expect(thrown).toMatchObject({ key: 'role.3001', message: expect.stringMatching(/^role\.3001: that is your own membership/) });
  }, 60_000);
});

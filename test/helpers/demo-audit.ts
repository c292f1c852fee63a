import { auditOrganization, type AuditOutcome } from '../../core/engine/audit-session';
import type { Level } from '../../shared/levels';
import { createDemoState, DEMO_ORG_SLUG, DEMO_TOKENS, startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator/index';

/** Scheduler settings that keep retries real but waits short, so fault tests run in seconds. */
export const FAST_SCHEDULER = {
  maxRateLimitRetries: 2,
  maxTransientRetries: 1,
  backoffBaseMs: 1,
  backoffMaxMs: 5,
  maxRateLimitWaitMs: 20,
  jitterMs: 1,
} as const;

export async function withDemoSimulator<T>(
  options: SimulatorOptions,
  fn: (sim: RunningSimulator) => Promise<T>,
): Promise<T> {
  const sim = await startSimulator({ state: createDemoState(), ...options });
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

export function auditDemo(
  sim: RunningSimulator,
  opts: { level?: Level; token?: string; org?: string; timeoutMs?: number } = {},
): Promise<AuditOutcome> {
  const token = opts.token ?? DEMO_TOKENS.admin;
  return auditOrganization({
    baseUrl: sim.url,
    orgSlug: opts.org ?? DEMO_ORG_SLUG,
    getToken: () => token,
    tokenPrefix: token.startsWith('sntryu_') ? 'sntryu_' : token.startsWith('sntrys_') ? 'sntrys_' : null,
    level: opts.level ?? 'L1',
    timeoutMs: opts.timeoutMs ?? 2_000,
    scheduler: FAST_SCHEDULER,
  });
}

/** A finding's identity across two audits of the same organization. */
export function findingKey(f: { check: string; resource: { type: string; id: string } }): string {
  return `${f.check}|${f.resource.type}|${f.resource.id}`;
}

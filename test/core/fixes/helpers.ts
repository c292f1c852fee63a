import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Level } from '../../../shared/levels';
import type { Change, Plan } from '../../../shared/plan';
import type { ApplyHooks, ApplyResult, ConfirmRequest } from '../../../core/engine/apply';
import { applyChanges, checkTarget, connectForTarget } from '../../../core/engine/apply';
import { makePlan, type PlanOutcome } from '../../../core/engine/plan';
import { reconcileUnfinished, type ReconcileReport } from '../../../core/engine/reconcile';
import { createDemoState, DEMO_ORG_SLUG, DEMO_TOKENS, startSimulator, type RunningSimulator, type SimState } from '../../../simulator/index';
import { FAST_SCHEDULER } from '../../helpers/demo-audit';

export const ADMIN = DEMO_TOKENS.admin;

export async function startDemoSim(tweak?: (state: SimState) => void): Promise<RunningSimulator> {
  const state = createDemoState();
  tweak?.(state);
  return startSimulator({ state, asyncTaskDelayMs: 10 });
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sentry-harden-fix-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function planDemo(
  sim: RunningSimulator,
  opts: { level?: Level; only?: string[]; params?: Record<string, string>; token?: string } = {},
): Promise<PlanOutcome> {
  const token = opts.token ?? ADMIN;
  return makePlan({
    baseUrl: sim.url,
    orgSlug: DEMO_ORG_SLUG,
    getToken: () => token,
    tokenPrefix: 'sntryu_',
    level: opts.level ?? 'L1',
    only: opts.only ?? null,
    params: opts.params ?? {},
    timeoutMs: 2_000,
    scheduler: FAST_SCHEDULER,
  });
}

export interface RunOptions {
  readonly journalDir: string;
  readonly kind?: 'apply' | 'undo';
  readonly confirm?: (req: ConfirmRequest) => Promise<boolean>;
  readonly hooks?: ApplyHooks;
  readonly token?: string;
  readonly signal?: AbortSignal;
}

/** What `apply` does after parsing: connect, check the target, reconcile, apply. */
export async function runChanges(
  run: { target: Plan['target']; writeHosts: readonly string[]; changes: readonly Change[]; source?: string },
  opts: RunOptions,
): Promise<{ result: ApplyResult; reconciled: ReconcileReport[] }> {
  const token = opts.token ?? ADMIN;
  const connection = await connectForTarget(run.target, { getToken: () => token, timeoutMs: 2_000, scheduler: FAST_SCHEDULER });
  try {
    checkTarget(connection, run.target, run.writeHosts, run.changes);
    const reconciled = await reconcileUnfinished({ client: connection.client, journalDir: opts.journalDir, target: run.target });
    const result = await applyChanges({
      client: connection.client,
      kind: opts.kind ?? 'apply',
      source: run.source ?? 'test',
      target: run.target,
      writeHosts: run.writeHosts,
      changes: run.changes,
      journalDir: opts.journalDir,
      lastWriteStatus: connection.lastWriteStatus,
      confirm: opts.confirm ?? (async () => true),
      ...(opts.hooks ? { hooks: opts.hooks } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return { result, reconciled };
  } finally {
    connection.client.close();
  }
}

/**
 * The state an undo must restore: the organization without its audit log (undo adds events, it
 * does not remove the apply's) and the users. `nextId` is a counter of created objects and is
 * left out with the audit log.
 */
export function comparableState(state: SimState): unknown {
  const org = state.organizations.find((o) => o.slug === DEMO_ORG_SLUG);
  if (!org) throw new Error('no demo org');
  const { auditLog: _auditLog, ...rest } = org;
  return JSON.parse(JSON.stringify({ org: rest, users: state.users }));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

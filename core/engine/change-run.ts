import path from 'node:path';
import type { Change, PlanTarget } from '../../shared/plan';
import type { ApplyEvent, ApplyHooks, ApplyResult, ConfirmRequest } from './apply';
import { applyChanges, checkTarget, connectForTarget } from './apply';
import { isUnfinished, readJournal, runRecordOf } from './journal';
import { reconcileJournal, reconcileUnfinished, type ReconcileReport } from './reconcile';
import { acquireRunLock, type RunLock } from './run-lock';

/**
 * The one apply and undo sequence, shared by the CLI (cli/apply.ts, cli/undo.ts) and the app
 * (core/app/engine.ts): run lock, token, connect, target check, reconciliation of every journal
 * involved, the changes (cancellable between them), then the re-check, all under the lock. The
 * fronts only translate: flags, prompts and printing; DTOs and events.
 */

export interface ChangeRunStart {
  /** Interrupted runs reconciled before the first change (this target's, and the undone journal's). */
  readonly reports: readonly ReconcileReport[];
  /** The changes about to run (computed after reconciliation). */
  readonly changes: readonly Change[];
  readonly getToken: () => string;
}

export interface ChangeRunOptions<T> {
  readonly kind: 'apply' | 'undo';
  /** The plan digest, or the journal an undo reverses. */
  readonly source: string;
  readonly target: PlanTarget;
  readonly writeHosts: readonly string[];
  /** Computed after reconciliation, which may change what a journal shows as applied. */
  readonly changes: () => readonly Change[];
  readonly journalDir: string;
  /** The journal an undo reverses: reconciled as well when it lies outside `journalDir`. */
  readonly alsoReconcile?: string;
  /** Called once the lock is held: where the token comes from (a prompt, stdin, the keychain). */
  readonly token: () => Promise<() => string>;
  readonly timeoutMs: number;
  readonly caFile?: string;
  readonly confirm: (request: ConfirmRequest) => Promise<boolean>;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: ApplyEvent) => void;
  readonly hooks?: ApplyHooks;
  /** The lock is held (it may have replaced a stale one, for the front to mention). */
  readonly onLocked?: (lock: RunLock) => void;
  /** After reconciliation, before the first change (the audit before, for a package). */
  readonly beforeChanges?: (start: ChangeRunStart) => Promise<void>;
  /** The re-audit or re-check after the changes, still under the lock and connected. */
  readonly afterChanges?: (result: ApplyResult, getToken: () => string) => Promise<T>;
}

export interface ChangeRunOutcome<T> {
  readonly result: ApplyResult;
  readonly reports: readonly ReconcileReport[];
  /** An interrupted earlier run left a change whose outcome could not be told. */
  readonly uncertain: boolean;
  /** What `afterChanges` returned (undefined without it). */
  readonly after: T | undefined;
}

/** Throws RunLockError when another run holds the target, and whatever connecting or applying throws. */
export async function runChangeSequence<T = undefined>(options: ChangeRunOptions<T>): Promise<ChangeRunOutcome<T>> {
  // One apply, undo or reconcile per organization and data directory (core/engine/run-lock.ts).
  const lock = acquireRunLock(options.journalDir, options.target, options.kind);
  try {
    options.onLocked?.(lock);
    return await runLocked(options);
  } finally {
    lock.release();
  }
}

async function runLocked<T>(options: ChangeRunOptions<T>): Promise<ChangeRunOutcome<T>> {
  const { target, writeHosts } = options;
  const getToken = await options.token();
  const connection = await connectForTarget(target, { getToken, timeoutMs: options.timeoutMs, ...(options.caFile ? { caFile: options.caFile } : {}) });
  try {
    checkTarget(connection, target, writeHosts, []);
    const reports = await reconcileUnfinished({ client: connection.client, journalDir: options.journalDir, target });
    const own = options.alsoReconcile;
    if (own !== undefined && path.resolve(path.dirname(own)) !== path.resolve(options.journalDir)) {
      const journal = readJournal(own);
      if (isUnfinished(journal)) {
        const changes = await reconcileJournal(connection.client, journal);
        reports.push({ file: journal.file, reconciled: true, message: `Reconciled an interrupted ${runRecordOf(journal).kind} run.`, changes });
      }
    }
    const changes = options.changes();
    checkTarget(connection, target, writeHosts, changes);
    await options.beforeChanges?.({ reports, changes, getToken });
    const result = await applyChanges({
      client: connection.client,
      kind: options.kind,
      source: options.source,
      target,
      writeHosts,
      changes,
      journalDir: options.journalDir,
      lastWriteStatus: connection.lastWriteStatus,
      confirm: options.confirm,
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.hooks ? { hooks: options.hooks } : {}),
    });
    const after = options.afterChanges ? await options.afterChanges(result, getToken) : undefined;
    const uncertain = reports.some((r) => r.changes.some((c) => c.status === 'uncertain'));
    return { result, reports, uncertain, after };
  } finally {
    connection.client.close();
  }
}

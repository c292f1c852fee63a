import { readFile } from 'node:fs/promises';
import { createInterface, type Interface } from 'node:readline/promises';
import type { Change, PlanTarget } from '../shared/plan';
import type { ApplyHooks } from '../core/engine/apply';
import { applyExitCode } from '../core/engine/apply';
import { runChangeSequence } from '../core/engine/change-run';
import { parsePlan, PlanError } from '../core/engine/plan';
import { RebuildError } from '../core/engine/rebuild';
import { describeHolder, isRunLockError } from '../core/engine/run-lock';
import { isSentryApiError } from '../core/sentry/errors';
import { CliUsageError, EXIT } from './cli-error';
import type { CliIo } from './io';
import { readToken } from './options';
import { APPLY_PACKAGE_OPTIONS, formatResults, makeConfirm, parseApplyFlags, type ApplyFlags } from './apply-flags';
import { packageSession, type ChangeSession } from './apply-package';
import { parseEvidenceFlags } from './evidence';
import { confirmTarget, formatTarget, trustedPlanKey } from './plan-trust';
import { checkPlanSignature, describePlanSignature } from '../core/evidence/plan-signature';
import { line } from './terminal';

export { APPLY_OPTIONS, APPLY_PACKAGE_OPTIONS, formatResults, makeConfirm, parseApplyFlags, type ApplyFlags } from './apply-flags';

interface ChangeRun {
  readonly kind: 'apply' | 'undo';
  readonly source: string;
  readonly target: PlanTarget;
  readonly writeHosts: readonly string[];
  /** Computed after reconciliation, which may change what a journal shows as applied. */
  readonly changes: () => readonly Change[];
  /** A journal outside the journal directory to reconcile as well (the one an undo reverses). */
  readonly alsoReconcile?: string;
  /** `apply --out`: the audits and the evidence package around the changes. */
  readonly session?: ChangeSession;
}

/**
 * The CLI's adapter over core/engine/change-run.ts (the sequence the app runs too): confirms the
 * target, reads the token, prompts per change and prints what happened. Returns the exit status.
 */
export async function executeChanges(
  io: CliIo,
  flags: ApplyFlags,
  run: ChangeRun,
  hooks?: ApplyHooks,
): Promise<number> {
  const orgSlug = run.target.org.slug;
  const what = run.kind === 'apply' ? 'plan' : 'journal';
  if (flags.confirmOrg !== undefined && flags.confirmOrg !== orgSlug) {
    throw new CliUsageError(`--confirm-org ${flags.confirmOrg} does not match the organization of the ${what} (${orgSlug})`);
  }
  // Where the token goes is confirmed before it is read, let alone sent.
  io.stderr.write(formatTarget(run.target, run.writeHosts, what));
  await confirmTarget(io, { url: flags.url, canAsk: io.interactive && !flags.tokenStdin, what }, run.target);
  let rl: Interface | undefined;
  const ask = (): Interface => (rl ??= createInterface({ input: io.stdin, output: io.stderr, terminal: false }));
  let locked = false;
  try {
    const outcome = await runChangeSequence<number | null>({
      kind: run.kind,
      source: run.source,
      target: run.target,
      writeHosts: run.writeHosts,
      changes: run.changes,
      journalDir: flags.journalDir,
      ...(run.alsoReconcile !== undefined ? { alsoReconcile: run.alsoReconcile } : {}),
      token: () => readToken(io, flags.tokenStdin),
      timeoutMs: flags.timeoutMs,
      ...(flags.caFile ? { caFile: flags.caFile } : {}),
      confirm: makeConfirm(io, flags, orgSlug, ask),
      ...(io.interrupt ? { signal: io.interrupt() } : {}),
      ...(hooks ? { hooks } : {}),
      onLocked: (lock) => {
        locked = true;
        if (lock.replacedStale) io.stderr.write(`note: removed a stale lock left by ${describeHolder(lock.replacedStale)}, which is no longer running\n`);
      },
      beforeChanges: async ({ reports, changes, getToken }) => {
        for (const r of reports) {
          io.stderr.write(line(`${r.message} (${r.file})`));
          for (const c of r.changes) io.stderr.write(line(`  ${c.changeId}: ${c.status}: ${c.message}`));
        }
        await run.session?.before(getToken);
        io.stdout.write(line(`${run.kind === 'apply' ? 'Applying' : 'Undoing'} ${changes.length} change(s) on ${orgSlug} at ${run.target.url}`));
      },
      afterChanges: async (result, getToken) => {
        io.stdout.write(formatResults(result));
        return run.session ? await run.session.after(result, getToken) : null;
      },
    });
    // An interrupted earlier run whose outcome could not be told is as uncertain as this one.
    if (outcome.uncertain) io.stderr.write('An interrupted run left changes whose outcome is uncertain (listed above): check them in Sentry.\n');
    if (outcome.after !== null && outcome.after !== undefined) return outcome.after;
    return outcome.uncertain ? EXIT.notEvaluated : applyExitCode(outcome.result);
  } catch (e) {
    if (!locked && isRunLockError(e)) throw new CliUsageError(e.message);
    if (isSentryApiError(e)) {
      io.stderr.write(line(`sentry-harden ${run.kind}: could not run: ${e.message}`));
      return EXIT.couldNotRun;
    }
    if (e instanceof RebuildError) {
      io.stderr.write(`sentry-harden ${run.kind}: refusing: ${e.message}\n`);
      return EXIT.couldNotRun;
    }
    throw e;
  } finally {
    rl?.close();
  }
}

/**
 * `sentry-harden apply PLAN`: exit 0 every change applied and verified, 1 some change failed,
 * drifted, was not effective or not confirmed, 3 an outcome is uncertain, 2 could not run.
 * `hooks` is a test seam (crash simulation); the command table never passes it.
 */
export async function runApplyCommand(argv: string[], io: CliIo, hooks?: ApplyHooks): Promise<number> {
  const { flags, file, values } = parseApplyFlags(argv, io, 'plan', APPLY_PACKAGE_OPTIONS);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CliUsageError(`cannot read the plan ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let plan;
  try {
    plan = parsePlan(text);
  } catch (e) {
    if (e instanceof PlanError) throw new CliUsageError(`refusing ${file}: ${e.message}`);
    throw e;
  }
  const evidence = parseEvidenceFlags(values, io);
  // The signature is judged with the target in view, before any token is read or sent.
  const status = checkPlanSignature(plan, await trustedPlanKey(io, evidence.signKey));
  if (status.kind !== 'valid') {
    const target = formatTarget(plan.target, plan.writeHosts, 'plan');
    if (values['allow-unsigned-plan'] !== true) {
      throw new CliUsageError(`refusing ${file}: the plan is ${describePlanSignature(status)}.\n${target}If you made this plan and trust the target, pass --allow-unsigned-plan`);
    }
    io.stderr.write(`WARNING: the plan is ${describePlanSignature(status)}; applying it because --allow-unsigned-plan was given.\n`);
  } else {
    io.stderr.write(`Plan ${describePlanSignature(status)}.\n`);
  }
  const out = typeof values.out === 'string' ? values.out : undefined;
  const session = out === undefined ? undefined : await packageSession(io, plan, flags, out, evidence);
  return executeChanges(
    io,
    flags,
    { kind: 'apply', source: `plan ${plan.digest}`, target: plan.target, writeHosts: plan.writeHosts, changes: () => plan.changes, ...(session ? { session } : {}) },
    hooks,
  );
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { Change, PlanTarget } from '../shared/plan';
import type { ApplyHooks, ApplyResult, ConfirmRequest } from '../core/engine/apply';
import { applyChanges, applyExitCode, checkTarget, connectForTarget } from '../core/engine/apply';
import { defaultJournalDir, isUnfinished, readJournal, runRecordOf } from '../core/engine/journal';
import { parsePlan, PlanError } from '../core/engine/plan';
import { RebuildError } from '../core/engine/rebuild';
import { reconcileJournal, reconcileUnfinished } from '../core/engine/reconcile';
import { acquireRunLock, describeHolder, isRunLockError, type RunLock } from '../core/engine/run-lock';
import { isSentryApiError } from '../core/sentry/errors';
import { CliUsageError, EXIT } from './cli-error';
import type { CliIo } from './io';
import { parseTimeout, readToken, withUsageErrors } from './options';
import { formatChange, formatValue } from './plan';
import { EVIDENCE_OPTIONS, packageSession, parseEvidenceFlags } from './evidence';
import { confirmTarget, formatTarget, trustedPlanKey } from './plan-trust';
import { checkPlanSignature, describePlanSignature } from '../core/evidence/plan-signature';
import { joinLines, line } from './terminal';

export const APPLY_OPTIONS = {
  yes: { type: 'boolean', default: false },
  'confirm-org': { type: 'string' },
  'journal-dir': { type: 'string' },
  'token-stdin': { type: 'boolean', default: false },
  'ca-file': { type: 'string' },
  timeout: { type: 'string', default: '30000' },
  /** The Sentry the token may go to: must equal the plan's (or journal's) target. */
  url: { type: 'string' },
} as const;

export interface ApplyFlags {
  readonly yes: boolean;
  readonly confirmOrg: string | undefined;
  readonly journalDir: string;
  readonly tokenStdin: boolean;
  readonly caFile: string | undefined;
  readonly timeoutMs: number;
  readonly url: string | undefined;
}

/** `apply` also writes an evidence package (`--out`); `undo` does not. */
export const APPLY_PACKAGE_OPTIONS = { ...APPLY_OPTIONS, out: { type: 'string' }, 'allow-unsigned-plan': { type: 'boolean', default: false }, ...EVIDENCE_OPTIONS } as const;

export function parseApplyFlags(
  argv: string[],
  io: CliIo,
  what: string,
  options: typeof APPLY_OPTIONS | typeof APPLY_PACKAGE_OPTIONS = APPLY_OPTIONS,
): { flags: ApplyFlags; file: string; values: Record<string, unknown> } {
  const { values, positionals } = withUsageErrors(() => parseArgs({ args: argv, options: options as typeof APPLY_OPTIONS, allowPositionals: true, strict: true }));
  if (positionals.length !== 1) throw new CliUsageError(`expected exactly one ${what} file`);
  const flags: ApplyFlags = {
    yes: values.yes,
    confirmOrg: values['confirm-org'],
    journalDir: values['journal-dir'] ? path.resolve(io.cwd, values['journal-dir']) : defaultJournalDir(io.env),
    tokenStdin: values['token-stdin'],
    caFile: values['ca-file'],
    timeoutMs: parseTimeout(values.timeout),
    url: values.url,
  };
  // Standard input carries either the token or the answers, never both.
  if (flags.tokenStdin && !flags.yes) {
    throw new CliUsageError('with --token-stdin, standard input holds the token and cannot answer confirmations: add --yes (and --confirm-org SLUG for high-risk changes)');
  }
  if (!flags.yes && !io.interactive) {
    throw new CliUsageError('no terminal to confirm changes on: run it interactively, or pass --yes (low-risk changes) and --confirm-org SLUG (high-risk ones)');
  }
  return { flags, file: path.resolve(io.cwd, positionals[0] as string), values };
}

/** What an evidence package needs around the changes: an audit before them, and one after. */
export interface ChangeSession {
  /** After reconciliation, before the first change. */
  before(getToken: () => string): Promise<void>;
  /** After the changes; an exit status that replaces apply's, or null to keep it. */
  after(result: ApplyResult, getToken: () => string): Promise<number | null>;
}

/**
 * How each change is confirmed. High risk: always `--confirm-org` matching the organization, and
 * interactively a y/N (or the typed slug). With `--yes`: low-risk changes without a question,
 * high-risk ones only with `--confirm-org`. Changes marked `confirmSlug` (Require 2FA) need the
 * slug typed when run interactively.
 */
export function makeConfirm(io: CliIo, flags: ApplyFlags, orgSlug: string, ask: () => Interface): (req: ConfirmRequest) => Promise<boolean> {
  return async ({ change, current, index, total }) => {
    io.stdout.write(`\n[${index}/${total}] ${formatChange(change, current)}`);
    if (change.risk === 'high' && flags.confirmOrg !== orgSlug) {
      io.stdout.write(`     skipped: a high-risk change needs --confirm-org ${orgSlug}\n`);
      return false;
    }
    if (flags.yes) return true;
    const rl = ask();
    if (change.confirmSlug) {
      const answer = await rl.question(`Type the organization slug (${orgSlug}) to apply ${change.id}: `);
      return answer.trim() === orgSlug;
    }
    const answer = await rl.question(`Apply ${change.id}? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  };
}

export function formatResults(result: ApplyResult): string {
  const lines: string[] = ['', 'Results:'];
  for (const r of result.results) {
    lines.push(`  ${r.change.id} ${r.status.toUpperCase().padEnd(15)} ${r.change.resource.type} ${r.change.resource.name}, ${r.change.field}: ${r.message}`);
    const dsn = r.response?.fields['dsn.public'];
    if (typeof dsn === 'string' && r.status === 'applied') lines.push(`      new key ${formatValue(r.response?.fields.id)}; public DSN: ${dsn}`);
  }
  const c = result.counts;
  const shown = Object.entries(c).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s.replace(/_/g, ' ')}`);
  lines.push('', `Totals: ${shown.join(', ') || 'nothing to do'}`);
  if (result.fatal) lines.push(`Stopped early: ${result.fatal}`);
  lines.push(`Journal: ${result.journalFile}`);
  return joinLines(lines);
}

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
 * Connects to the target, reconciles unfinished journals of it, then applies the changes through
 * the confirm path. Shared by `apply` and `undo`. Returns the exit status.
 */
export async function executeChanges(
  io: CliIo,
  flags: ApplyFlags,
  run: ChangeRun,
  hooks?: ApplyHooks,
): Promise<number> {
  const orgSlug = run.target.org.slug;
  if (flags.confirmOrg !== undefined && flags.confirmOrg !== orgSlug) {
    throw new CliUsageError(`--confirm-org ${flags.confirmOrg} does not match the organization of the ${run.kind === 'apply' ? 'plan' : 'journal'} (${orgSlug})`);
  }
  // Where the token goes is confirmed before it is read, let alone sent.
  io.stderr.write(formatTarget(run.target, run.writeHosts, run.kind === 'apply' ? 'plan' : 'journal'));
  await confirmTarget(io, { url: flags.url, canAsk: io.interactive && !flags.tokenStdin, what: run.kind === 'apply' ? 'plan' : 'journal' }, run.target);
  // One apply, undo or reconcile per organization and data directory (core/engine/run-lock.ts).
  let lock: RunLock;
  try {
    lock = acquireRunLock(flags.journalDir, run.target, run.kind);
  } catch (e) {
    if (isRunLockError(e)) throw new CliUsageError(e.message);
    throw e;
  }
  if (lock.replacedStale) io.stderr.write(`note: removed a stale lock left by ${describeHolder(lock.replacedStale)}, which is no longer running\n`);
  try {
    return await executeLocked(io, flags, run, hooks);
  } finally {
    lock.release();
  }
}

async function executeLocked(io: CliIo, flags: ApplyFlags, run: ChangeRun, hooks?: ApplyHooks): Promise<number> {
  const orgSlug = run.target.org.slug;
  const getToken = await readToken(io, flags.tokenStdin);
  let rl: Interface | undefined;
  const ask = (): Interface => (rl ??= createInterface({ input: io.stdin, output: io.stderr, terminal: false }));
  try {
    const connection = await connectForTarget(run.target, { getToken, timeoutMs: flags.timeoutMs, ...(flags.caFile ? { caFile: flags.caFile } : {}) });
    try {
      checkTarget(connection, run.target, run.writeHosts, []);
      const reports = await reconcileUnfinished({ client: connection.client, journalDir: flags.journalDir, target: run.target });
      if (run.alsoReconcile !== undefined && path.dirname(run.alsoReconcile) !== flags.journalDir) {
        const own = readJournal(run.alsoReconcile);
        if (isUnfinished(own)) {
          const changes = await reconcileJournal(connection.client, own);
          reports.push({ file: own.file, reconciled: true, message: `Reconciled an interrupted ${runRecordOf(own).kind} run.`, changes });
        }
      }
      const changes = run.changes();
      checkTarget(connection, run.target, run.writeHosts, changes);
      for (const r of reports) {
        io.stderr.write(line(`${r.message} (${r.file})`));
        for (const c of r.changes) io.stderr.write(line(`  ${c.changeId}: ${c.status}: ${c.message}`));
      }
      await run.session?.before(getToken);
      io.stdout.write(line(`${run.kind === 'apply' ? 'Applying' : 'Undoing'} ${changes.length} change(s) on ${orgSlug} at ${run.target.url}`));
      const result = await applyChanges({
        client: connection.client,
        kind: run.kind,
        source: run.source,
        target: run.target,
        writeHosts: run.writeHosts,
        changes,
        journalDir: flags.journalDir,
        lastWriteStatus: connection.lastWriteStatus,
        confirm: makeConfirm(io, flags, orgSlug, ask),
        ...(io.interrupt ? { signal: io.interrupt() } : {}),
        ...(hooks ? { hooks } : {}),
      });
      io.stdout.write(formatResults(result));
      const sessionExit = run.session ? await run.session.after(result, getToken) : null;
      // An interrupted earlier run whose outcome could not be told is as uncertain as this one.
      const uncertain = reports.some((r) => r.changes.some((c) => c.status === 'uncertain'));
      if (uncertain) io.stderr.write('An interrupted run left changes whose outcome is uncertain (listed above): check them in Sentry.\n');
      if (sessionExit !== null) return sessionExit;
      return uncertain ? EXIT.notEvaluated : applyExitCode(result);
    } finally {
      connection.client.close();
    }
  } catch (e) {
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

import path from 'node:path';
import type { Interface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { ApplyResult, ConfirmRequest } from '../core/engine/apply';
import { defaultJournalDir } from '../core/engine/journal';
import { CliUsageError } from './cli-error';
import { EVIDENCE_OPTIONS } from './evidence';
import type { CliIo } from './io';
import { parseTimeout, withUsageErrors } from './options';
import { formatChange, formatValue } from './plan';
import { joinLines } from './terminal';

/** The flags `apply` and `undo` share, how their changes are confirmed, and how results print. */

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

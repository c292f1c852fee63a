import type { StatusCounts } from '../shared/finding';
import type { Plan } from '../shared/plan';
import type { ApplyResult } from '../core/engine/apply';
import { auditOrganization, type AuditOutcome } from '../core/engine/audit-session';
import { readJournal } from '../core/engine/journal';
import { tokenPrefix } from '../core/engine/token-kind';
import { changeRecordsFromJournal } from '../core/evidence/changes';
import type { EvidenceInput } from '../core/evidence/writer';
import { isSentryApiError } from '../core/sentry/errors';
import type { ApplyFlags } from './apply-flags';
import { EXIT } from './cli-error';
import { checkOutput, formatPackage, loadSessionContext, signingKeyFor, writeSessionPackage, type EvidenceFlags } from './evidence';
import type { CliIo } from './io';
import { line } from './terminal';

/** What an evidence package needs around the changes: an audit before them, and one after. */
export interface ChangeSession {
  /** After reconciliation, before the first change. */
  before(getToken: () => string): Promise<void>;
  /** After the changes; an exit status that replaces apply's, or null to keep it. */
  after(result: ApplyResult, getToken: () => string): Promise<number | null>;
}

function totals(c: StatusCounts): string {
  return `${c.pass} pass, ${c.fail} fail, ${c.error} error, ${c.manual} manual`;
}

/**
 * `apply PLAN --out DIR`: a fresh audit right before the first change (the plan file holds the
 * proposed changes, not the audit they came from, and the organization may have moved since),
 * the changes as the journal recorded them, a fresh audit after the last one, all in one signed
 * package. Registers, key and output folder are checked before anything is sent.
 */
export async function packageSession(io: CliIo, plan: Plan, flags: ApplyFlags, out: string, evidence: EvidenceFlags): Promise<ChangeSession> {
  const ctx = await loadSessionContext(io, evidence, plan.target.org.slug);
  await checkOutput(io, out);
  const key = await signingKeyFor(io, evidence);
  const audit = (getToken: () => string): Promise<AuditOutcome> =>
    auditOrganization({
      baseUrl: plan.target.url,
      orgSlug: plan.target.org.slug,
      getToken,
      tokenPrefix: tokenPrefix(getToken()),
      level: plan.level,
      timeoutMs: flags.timeoutMs,
      ...(flags.caFile ? { caFile: flags.caFile } : {}),
      settings: ctx.settings,
      integrationRegister: ctx.registers.integrationRegister,
    });
  let before: AuditOutcome | null = null;
  return {
    async before(getToken) {
      io.stderr.write(`Auditing ${plan.target.org.slug} before the changes (level ${plan.level}), for the evidence package\n`);
      before = await audit(getToken);
    },
    async after(result: ApplyResult, getToken) {
      if (!before) return null;
      io.stderr.write('Auditing again after the changes\n');
      let after: AuditOutcome;
      try {
        after = await audit(getToken);
      } catch (e) {
        if (!isSentryApiError(e)) throw e;
        io.stderr.write(line(`sentry-harden apply: the evidence package was not written: the audit after the changes could not run: ${e.message}`));
        return EXIT.couldNotRun;
      }
      const changes = changeRecordsFromJournal(readJournal(result.journalFile));
      const input: EvidenceInput = { final: after, before, changes, registers: ctx.registers, settings: ctx.settings, reviewIntervalDays: evidence.reviewDays };
      const written = await writeSessionPackage(io, out, input, ctx, key, getToken());
      io.stdout.write(`\nBefore: ${totals(before.report.summary.counts)}\nAfter:  ${totals(after.report.summary.counts)}\n`);
      io.stdout.write(formatPackage(written, key));
      return null;
    },
  };
}

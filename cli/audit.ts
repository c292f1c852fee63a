import path from 'node:path';
import { parseArgs } from 'node:util';
import { auditOrganization } from '../core/engine/audit-session';
import { buildEvidenceReport } from '../core/evidence/writer';
import { auditExitCode } from '../core/engine/report';
import { tokenPrefix } from '../core/engine/token-kind';
import { isSentryApiError } from '../core/sentry/errors';
import { ResponseSpool } from '../core/sentry/response-spool';
import { CliUsageError, EXIT } from './cli-error';
import { parseBaseUrl } from '../core/sentry/base-url';
import { startDemo } from './demo';
import {
  checkOutput,
  EVIDENCE_OPTIONS,
  formatDrift,
  formatPackage,
  loadBaseline,
  loadSessionContext,
  parseEvidenceFlags,
  signingKeyFor,
  writeSessionPackage,
} from './evidence';
import type { CliIo } from './io';
import { formatOverdue, openExistingStore, overdueReviews } from './profile-store';
import { CONNECTION_OPTIONS, withUsageErrors, parseLevel, parseTimeout, readToken, requireOrg } from './options';
import { formatAuditSummary } from './summary';
import { line } from './terminal';

const AUDIT_OPTIONS = {
  ...CONNECTION_OPTIONS,
  level: { type: 'string', default: 'L1' },
  out: { type: 'string' },
  demo: { type: 'boolean', default: false },
  baseline: { type: 'string' },
  ...EVIDENCE_OPTIONS,
} as const;

/** Warns about every profile of the app's store whose review is overdue; a broken store is only a note. */
function warnOverdueReviews(io: CliIo, now: Date): void {
  try {
    const store = openExistingStore(io.env);
    if (store) for (const r of overdueReviews(store, now)) io.stderr.write(formatOverdue(r));
  } catch (e) {
    io.stderr.write(`note: the app's settings could not be read for review dates (${e instanceof Error ? e.message : String(e)})\n`);
  }
}

/**
 * `sentry-harden audit`: progress to stderr, a readable summary to stdout, and with `--out DIR`
 * a signed evidence package of this audit (before-only: no change was made). `--baseline` adds
 * what changed since a previous package. Exit 0 clean, 1 a check failed, 3 a check could not be
 * evaluated, 2 the audit could not run (or the package could not be written).
 */
export async function runAuditCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = withUsageErrors(() =>
    parseArgs({ args: argv, options: AUDIT_OPTIONS, allowPositionals: true, strict: true }),
  );
  if (positionals.length > 0) {
    io.stderr.write(`sentry-harden audit: unexpected argument "${positionals[0]}"\n`);
    return EXIT.couldNotRun;
  }
  const level = parseLevel(values.level);
  const timeoutMs = parseTimeout(values.timeout);
  const evidence = parseEvidenceFlags(values, io);
  // Refuse a bad URL before anything else happens (no token read, no request).
  if (!values.demo) {
    try {
      parseBaseUrl(values.url);
    } catch (e) {
      if (isSentryApiError(e)) throw new CliUsageError(e.message);
      throw e;
    }
  }
  warnOverdueReviews(io, new Date());
  const demo = values.demo ? await startDemo() : null;
  // With --out, response bodies go to disk as they arrive and are copied into the package (issue 10).
  let spool: ResponseSpool | null = null;
  try {
    const orgSlug = demo && !values.org ? demo.orgSlug : requireOrg(values.org);
    const baseUrl = demo ? demo.url : values.url;
    const getToken = demo ? () => demo.token : await readToken(io, values['token-stdin']);
    // Everything that can refuse does so before the first request.
    const ctx = await loadSessionContext(io, evidence, orgSlug);
    const baseline = values.baseline ? await loadBaseline(io, values.baseline) : null;
    if (values.out) await checkOutput(io, values.out);
    const key = values.out ? await signingKeyFor(io, evidence) : null;
    if (demo) io.stderr.write(`Demo organization "${demo.orgSlug}" on the built-in simulator at ${demo.url} (not a real Sentry)\n`);
    io.stderr.write(`Auditing ${orgSlug} at ${baseUrl}, level ${level}\n`);
    if (values.out) spool = ResponseSpool.create();

    const outcome = await auditOrganization({
      baseUrl,
      orgSlug,
      getToken,
      tokenPrefix: tokenPrefix(getToken()),
      level,
      timeoutMs,
      settings: ctx.settings,
      integrationRegister: ctx.registers.integrationRegister,
      ...(values['ca-file'] ? { caFile: values['ca-file'] } : {}),
      ...(spool ? { spool } : {}),
      onProgress: (p) => {
        if (p.kind === 'control-done' && p.counts) {
          const c = p.counts;
          io.stderr.write(`  [${p.index}/${p.total}] ${p.control} ${p.title}: ${c.pass} pass, ${c.fail} fail, ${c.error} error, ${c.manual} manual\n`);
        }
      },
    });

    const input = { final: outcome, registers: ctx.registers, settings: ctx.settings, reviewIntervalDays: evidence.reviewDays, baseline, demo: demo !== null };
    if (values.out && key) {
      const written = await writeSessionPackage(io, values.out, input, ctx, key, getToken());
      io.stdout.write(formatAuditSummary(outcome.report, written.format === 'folder' ? path.join(written.path, 'report.json') : null));
      if (written.report.drift) io.stdout.write(formatDrift(written.report.drift));
      io.stdout.write(formatPackage(written, key));
    } else {
      io.stdout.write(formatAuditSummary(outcome.report, null));
      if (baseline) {
        const drift = buildEvidenceReport(input).drift;
        if (drift) io.stdout.write(formatDrift(drift));
      }
    }
    return auditExitCode(outcome.report);
  } catch (e) {
    if (isSentryApiError(e)) {
      io.stderr.write(line(`sentry-harden audit: the audit could not run: ${e.message}`));
      return EXIT.couldNotRun;
    }
    throw e;
  } finally {
    await spool?.dispose();
    await demo?.close();
  }
}

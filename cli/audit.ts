import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { auditOrganization } from '../core/engine/audit-session';
import { auditExitCode } from '../core/engine/report';
import { tokenPrefix } from '../core/engine/token-kind';
import { isSentryApiError } from '../core/sentry/errors';
import { CliUsageError, EXIT } from './cli-error';
import { parseBaseUrl } from '../core/sentry/base-url';
import { startDemo } from './demo';
import type { CliIo } from './io';
import { CONNECTION_OPTIONS, withUsageErrors, parseLevel, parseTimeout, readToken, requireOrg } from './options';
import { formatAuditSummary } from './summary';

const AUDIT_OPTIONS = {
  ...CONNECTION_OPTIONS,
  level: { type: 'string', default: 'L1' },
  out: { type: 'string' },
  demo: { type: 'boolean', default: false },
} as const;

/**
 * `sentry-harden audit`: progress to stderr, a readable summary to stdout, `DIR/report.json`.
 * Exit 0 clean, 1 a check failed, 3 a check could not be evaluated, 2 the audit could not run.
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
  // Refuse a bad URL before anything else happens (no token read, no request).
  if (!values.demo) {
    try {
      parseBaseUrl(values.url);
    } catch (e) {
      if (isSentryApiError(e)) throw new CliUsageError(e.message);
      throw e;
    }
  }
  const demo = values.demo ? await startDemo() : null;
  try {
    const orgSlug = demo && !values.org ? demo.orgSlug : requireOrg(values.org);
    const baseUrl = demo ? demo.url : values.url;
    const getToken = demo ? () => demo.token : await readToken(io, values['token-stdin']);
    if (demo) io.stderr.write(`Demo organization "${demo.orgSlug}" on the built-in simulator at ${demo.url} (not a real Sentry)\n`);
    io.stderr.write(`Auditing ${orgSlug} at ${baseUrl}, level ${level}\n`);

    const outcome = await auditOrganization({
      baseUrl,
      orgSlug,
      getToken,
      tokenPrefix: tokenPrefix(getToken()),
      level,
      timeoutMs,
      ...(values['ca-file'] ? { caFile: values['ca-file'] } : {}),
      onProgress: (p) => {
        if (p.kind === 'control-done' && p.counts) {
          const c = p.counts;
          io.stderr.write(`  [${p.index}/${p.total}] ${p.control} ${p.title}: ${c.pass} pass, ${c.fail} fail, ${c.error} error, ${c.manual} manual\n`);
        }
      },
    });

    let reportPath: string | null = null;
    if (values.out) {
      const dir = path.resolve(io.cwd, values.out);
      await mkdir(dir, { recursive: true });
      reportPath = path.join(dir, 'report.json');
      await writeFile(reportPath, `${JSON.stringify(outcome.report, null, 2)}\n`, { mode: 0o600 });
    }
    io.stdout.write(formatAuditSummary(outcome.report, reportPath));
    return auditExitCode(outcome.report);
  } catch (e) {
    if (isSentryApiError(e)) {
      io.stderr.write(`sentry-harden audit: the audit could not run: ${e.message}\n`);
      return EXIT.couldNotRun;
    }
    throw e;
  } finally {
    await demo?.close();
  }
}

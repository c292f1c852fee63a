import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runDoctor, shapeReport, type DoctorResult, type EndpointResult } from '../core/engine/doctor';
import { parseBaseUrl } from '../core/sentry/base-url';
import { isSentryApiError } from '../core/sentry/errors';
import { CliUsageError, EXIT } from './cli-error';
import { startDemo } from './demo';
import type { CliIo } from './io';
import { CONNECTION_OPTIONS, parseTimeout, readToken, requireOrg, withUsageErrors } from './options';

const DOCTOR_OPTIONS = {
  ...CONNECTION_OPTIONS,
  out: { type: 'string' },
  demo: { type: 'boolean', default: false },
} as const;

function formatEndpoint(e: EndpointResult): string {
  const schema = e.answered === 0 ? '' : e.matched ? 'matches schema' : 'SCHEMA MISMATCH';
  const reads = e.reads > 1 ? ` (${e.answered} of ${e.reads} reads answered)` : '';
  const items = e.invalidItems ? `, ${e.invalidItems} of ${e.itemCount ?? 0} items did not match` : '';
  const lines = [`  ${e.outcome.padEnd(8)} ${schema.padEnd(15)} ${e.endpoint}${reads}${items}`];
  for (const i of e.issues) {
    const detail = i.problem === 'wrong_type' ? `${i.got ?? '?'} where ${i.expected ?? 'another type'} is expected` : i.expected ? `expected ${i.expected}` : '';
    lines.push(`      ${i.field}: ${i.problem.replace('_', ' ')}${detail ? ` (${detail})` : ''}${i.items ? ` in ${i.items} item${i.items === 1 ? '' : 's'}` : ''}`);
  }
  for (const f of e.failures) {
    const scopes = f.requiredScopes?.length ? ` [needs one of: ${f.requiredScopes.join(', ')}]` : '';
    lines.push(`      ${f.code}${scopes}: ${f.message}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatDoctor(result: DoctorResult, orgSlug: string, url: string): string {
  const count = (o: string) => result.endpoints.filter((e) => e.outcome === o).length;
  const mismatched = result.endpoints.filter((e) => !e.matched).length;
  return [
    `Sentry compatibility check of "${orgSlug}" at ${url} (${result.deployment})\n`,
    ...result.endpoints.map(formatEndpoint),
    `Summary: ${result.endpoints.length} endpoints: ${count('answered')} answered, ${count('partly')} partly, ${count('refused')} refused, ${count('session-only')} session-only (expected: checked in Sentry's UI), ${count('failed')} failed; ` +
      `${mismatched} did not match the product's schema.\n`,
  ].join('');
}

/**
 * 3 when a read was refused or failed (the audit would be incomplete), 1 when a body did not
 * match. Session-only endpoints are what every API token meets; they do not count.
 */
export function doctorExitCode(result: DoctorResult): number {
  if (result.endpoints.some((e) => e.outcome !== 'answered' && e.outcome !== 'session-only')) return EXIT.notEvaluated;
  if (result.endpoints.some((e) => !e.matched)) return EXIT.failed;
  return EXIT.ok;
}

/**
 * `sentry-harden doctor`: every read the audit makes, reported per endpoint (answered or refused,
 * and whether the body matched the schema). `--out FILE` writes the shape report, which holds
 * field names, types and presence only, so it can be attached to a bug report.
 */
export async function runDoctorCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = withUsageErrors(() =>
    parseArgs({ args: argv, options: DOCTOR_OPTIONS, allowPositionals: true, strict: true }),
  );
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}"`);
  const timeoutMs = parseTimeout(values.timeout);
  if (!values.demo) {
    try {
      parseBaseUrl(values.url);
    } catch (e) {
      if (isSentryApiError(e)) throw new CliUsageError(e.message);
      throw e;
    }
  }
  const out = values.out ? path.resolve(io.cwd, values.out) : null;
  const demo = values.demo ? await startDemo() : null;
  try {
    const orgSlug = demo && !values.org ? demo.orgSlug : requireOrg(values.org);
    const baseUrl = demo ? demo.url : values.url;
    const getToken = demo ? () => demo.token : await readToken(io, values['token-stdin']);
    if (demo) io.stderr.write(`Demo organization "${demo.orgSlug}" on the built-in simulator at ${demo.url} (not a real Sentry)\n`);
    io.stderr.write(`Checking what ${baseUrl} answers for ${orgSlug} (read-only)\n`);
    const result = await runDoctor({ baseUrl, orgSlug, getToken, timeoutMs, ...(values['ca-file'] ? { caFile: values['ca-file'] } : {}) });
    io.stdout.write(formatDoctor(result, orgSlug, baseUrl));
    if (out) {
      try {
        await writeFile(out, `${JSON.stringify(shapeReport(result), null, 2)}\n`, 'utf8');
      } catch (e) {
        io.stderr.write(`sentry-harden doctor: the shape report could not be written to ${out}: ${e instanceof Error ? e.message : String(e)}\n`);
        return EXIT.couldNotRun;
      }
      io.stdout.write(`Shape report: ${out} (field names, types and presence only: no values, names, ids, emails or secrets)\n`);
    }
    return doctorExitCode(result);
  } catch (e) {
    if (isSentryApiError(e)) {
      io.stderr.write(`sentry-harden doctor: the check could not run: ${e.message}\n`);
      return EXIT.couldNotRun;
    }
    throw e;
  } finally {
    await demo?.close();
  }
}

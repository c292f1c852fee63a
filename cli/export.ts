import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildAssessmentResults, OSCAL_VERSION } from '../core/evidence/oscal/assessment-results';
import { sha256Hex } from '../core/primitives/hash';
import { isEvidenceError } from '../core/primitives/errors';
import { openPackage, REPORT_FILE } from '../core/evidence/package-files';
import { verifyEvidencePackage } from '../core/evidence/verify';
import { exportTerraform, TerraformExportError } from '../core/exports/terraform/export';
import { tokenPrefix } from '../core/engine/token-kind';
import { parseBaseUrl } from '../core/sentry/base-url';
import { isSentryApiError } from '../core/sentry/errors';
import { parseReportFile } from '../core/evidence/report-file';
import { CliUsageError, EXIT } from './cli-error';
import { startDemo } from './demo';
import type { CliIo } from './io';
import { CONNECTION_OPTIONS, parseTimeout, readToken, requireOrg, withUsageErrors } from './options';

const OSCAL_OPTIONS = { from: { type: 'string' }, key: { type: 'string' } } as const;
const TERRAFORM_OPTIONS = { ...CONNECTION_OPTIONS, demo: { type: 'boolean', default: false } } as const;

/**
 * `sentry-harden export oscal DIR --from PACKAGE [--key PUBLIC_KEY]`: the package is verified first
 * (signature, hashes, verdicts recomputed); only a valid package is converted, so the OSCAL file
 * never carries verdicts nobody can check.
 */
async function exportOscal(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = withUsageErrors(() => parseArgs({ args: argv, options: OSCAL_OPTIONS, allowPositionals: true, strict: true }));
  if (positionals.length !== 1) throw new CliUsageError('expected the output folder: sentry-harden export oscal DIR --from PACKAGE');
  if (!values.from) throw new CliUsageError('--from PACKAGE is required (an evidence package folder or .zip)');
  const out = path.resolve(io.cwd, positionals[0] as string);
  const from = path.resolve(io.cwd, values.from);
  const expectedPublicKeyPem = values.key ? await readFile(path.resolve(io.cwd, values.key), 'utf8').catch(() => {
    throw new CliUsageError(`cannot read the public key ${values.key}`);
  }) : undefined;
  let verification;
  try {
    verification = await verifyEvidencePackage(from, expectedPublicKeyPem === undefined ? {} : { expectedPublicKeyPem });
  } catch (e) {
    if (isEvidenceError(e)) throw new CliUsageError(e.message);
    throw e;
  }
  if (!verification.valid) {
    io.stderr.write(`sentry-harden export oscal: ${values.from} does not verify (${verification.problems.length} problem(s)); run "sentry-harden verify ${values.from}" for the list. Nothing was written.\n`);
    return EXIT.failed;
  }
  const opened = await openPackage(from);
  try {
    const text = await readFile(path.join(opened.dir, REPORT_FILE), 'utf8');
    const parsed = parseReportFile(text);
    // export runs only on a package that verified, so this is a package changed meanwhile.
    if (!parsed.ok) throw new CliUsageError(`${values.from}: report.json is ${parsed.reason}.`);
    const report = parsed.report;
    // Links to the package's files: relative when it is a folder, inside the archive when a .zip.
    const rawHrefPrefix = opened.zip ? `${path.basename(from)}#raw/` : `${path.relative(out, path.join(from, 'raw')).split(path.sep).join('/')}/`;
    const reportHref = opened.zip ? `${path.basename(from)}#${REPORT_FILE}` : path.relative(out, path.join(from, REPORT_FILE)).split(path.sep).join('/');
    const doc = buildAssessmentResults(report, sha256Hex(text), { rawHrefPrefix, reportHref });
    await mkdir(out, { recursive: true });
    const file = path.join(out, 'assessment-results.json');
    try {
      await writeFile(file, `${JSON.stringify(doc, null, 2)}\n`, { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new CliUsageError(`${file} already exists; choose another folder or remove it.`);
      throw e;
    }
    io.stdout.write(`OSCAL ${OSCAL_VERSION} assessment results for "${report.target.org.name}" (${report.target.org.slug}) written to ${file}\n`);
    return EXIT.ok;
  } finally {
    await opened.close();
  }
}

/** `sentry-harden export terraform DIR --org SLUG [--url BASE] [--demo]`: read-only towards Sentry. */
async function exportTerraformCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = withUsageErrors(() => parseArgs({ args: argv, options: TERRAFORM_OPTIONS, allowPositionals: true, strict: true }));
  if (positionals.length !== 1) throw new CliUsageError('expected the output folder: sentry-harden export terraform DIR --org SLUG');
  if (!values.demo) {
    try {
      parseBaseUrl(values.url);
    } catch (e) {
      if (isSentryApiError(e)) throw new CliUsageError(e.message);
      throw e;
    }
  }
  const timeoutMs = parseTimeout(values.timeout);
  const demo = values.demo ? await startDemo() : null;
  try {
    const orgSlug = demo && !values.org ? demo.orgSlug : requireOrg(values.org);
    const getToken = demo ? () => demo.token : await readToken(io, values['token-stdin']);
    if (demo) io.stderr.write(`Demo organization "${demo.orgSlug}" on the built-in simulator at ${demo.url} (not a real Sentry)\n`);
    const result = await exportTerraform(path.resolve(io.cwd, positionals[0] as string), {
      baseUrl: demo ? demo.url : values.url,
      orgSlug,
      getToken,
      tokenPrefix: tokenPrefix(getToken()),
      timeoutMs,
      ...(values['ca-file'] ? { caFile: values['ca-file'] } : {}),
    });
    const total = Object.values(result.counts).reduce((a, b) => a + b, 0);
    io.stdout.write(`Terraform configuration for ${orgSlug}: ${total} resources with import blocks in ${result.dir} (${result.files.join(', ')})\n`);
    for (const [type, n] of Object.entries(result.counts)) io.stdout.write(`  ${type}: ${n}\n`);
    if (result.gaps.length > 0) {
      io.stderr.write(`Left out because it could not be read (${result.gaps.length}); see README.md:\n`);
      for (const g of result.gaps.slice(0, 10)) io.stderr.write(`  ${g.what}: ${g.reason}\n`);
      return EXIT.notEvaluated;
    }
    return EXIT.ok;
  } catch (e) {
    if (isSentryApiError(e)) {
      io.stderr.write(`sentry-harden export terraform: could not read the organization: ${e.message}\n`);
      return EXIT.couldNotRun;
    }
    if (e instanceof TerraformExportError) throw new CliUsageError(e.message);
    throw e;
  } finally {
    await demo?.close();
  }
}

/** `sentry-harden export oscal|terraform ...` */
export async function runExportCommand(argv: string[], io: CliIo): Promise<number> {
  const [kind, ...rest] = argv;
  if (kind === 'oscal') return exportOscal(rest, io);
  if (kind === 'terraform') return exportTerraformCommand(rest, io);
  throw new CliUsageError(`expected "oscal" or "terraform" after export${kind ? `, not "${kind}"` : ''}`);
}

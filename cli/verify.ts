import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isEvidenceError } from '../core/primitives/errors';
import { verifyEvidencePackage, type EvidenceVerification } from '../core/evidence/verify';
import { CliUsageError, EXIT } from './cli-error';
import type { CliIo } from './io';
import { withUsageErrors } from './options';
import { joinLines } from './terminal';

const VERIFY_OPTIONS = {
  key: { type: 'string' },
  json: { type: 'boolean', default: false },
  'ignore-unlisted': { type: 'boolean', default: false },
} as const;

/** The readable verdict `verify` prints: signature, files, recomputed verdicts, every problem. */
export function formatVerification(target: string, v: EvidenceVerification): string {
  const lines: string[] = [`Evidence package ${target} (${v.format})`];
  const r = v.report;
  if (r) {
    lines.push(`Organization "${r.target.org.name}" (${r.target.org.slug}) at ${r.target.url}, level ${r.level}`);
    lines.push(`Session ${r.session?.startedAt ?? r.startedAt} to ${r.finishedAt} (UTC); ${r.before ? 'before and after' : 'one audit'}, ${r.changes.length} change(s)`);
  }
  const s = v.integrity?.signature;
  if (s && v.integrity?.packageKey === null && v.integrity.statement === null && r?.unsigned) {
    lines.push(`Signature: NONE, the package is unsigned (${r.unsigned.reason})`);
    const files = v.integrity.files;
    const bad = files.filter((f) => !f.ok).length;
    lines.push(`Files: ${files.length} checked against manifest.json, ${bad === 0 ? 'all as listed' : `${bad} changed, missing or added`}`);
  } else if (s) {
    const by = s.fingerprint ?? 'no usable key';
    const whose = s.keySource === 'expected' ? 'the expected key' : 'the key inside the package (integrity only, not identity)';
    lines.push(`Signature: ${s.ok ? 'valid' : 'INVALID'}, checked with ${whose}: ${by}${s.ok ? '' : ` (${s.reason ?? 'unknown reason'})`}`);
    const files = v.integrity?.files ?? [];
    const bad = files.filter((f) => !f.ok).length;
    lines.push(`Files: ${files.length} checked, ${bad === 0 ? 'all as signed' : `${bad} changed, missing or added`}`);
  }
  if (v.recomputed.length > 0) {
    const parts = v.recomputed.map((a) => `${a.audit === 'audit' ? 'the audit' : `${a.audit} audit`}: ${a.findings} findings ${a.agrees ? 'agree' : 'DIFFER'}`);
    lines.push(`Verdicts recomputed offline from raw/: ${parts.join('; ')}`);
  } else if (r) {
    lines.push('Verdicts: NOT recomputed (see the problems)');
  }
  if (v.problems.length > 0) {
    lines.push('', `Problems (${v.problems.length}):`);
    for (const p of v.problems) lines.push(`  ${p}`);
  }
  if (v.warnings.length > 0) {
    lines.push('', `WARNING: ${v.warnings.length} file(s) not in the signed manifest were IGNORED (--ignore-unlisted):`);
    for (const w of v.warnings) lines.push(`  WARNING ${w}`);
  }
  if (v.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const n of v.notes) lines.push(`  ${n}`);
  }
  if (r) lines.push('', r.disclaimer);
  const result =
    v.status === 'valid'
      ? 'Result: VALID'
      : v.status === 'unsigned'
        ? 'Result: UNSIGNED (every listed file is intact and the verdicts recompute; with no signature, who wrote it is not checked)'
        : `Result: INVALID (${v.problems.length} problem${v.problems.length === 1 ? '' : 's'})`;
  lines.push('', result);
  return joinLines(lines);
}

/**
 * `sentry-harden verify PACKAGE [--key PUBLIC_KEY] [--json] [--ignore-unlisted]`: offline. Exit 0 valid, 1 invalid,
 * 2 could not run (no such package, unreadable key), 3 unsigned (integrity checked, authenticity not).
 */
export async function runVerifyCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = withUsageErrors(() => parseArgs({ args: argv, options: VERIFY_OPTIONS, allowPositionals: true, strict: true }));
  if (positionals.length !== 1) throw new CliUsageError('expected exactly one package (a folder or a .zip)');
  const target = path.resolve(io.cwd, positionals[0] as string);
  let expectedPublicKeyPem: string | undefined;
  if (values.key !== undefined) {
    try {
      expectedPublicKeyPem = await readFile(path.resolve(io.cwd, values.key), 'utf8');
    } catch (e) {
      throw new CliUsageError(`cannot read the public key ${values.key}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  let result: EvidenceVerification;
  try {
    result = await verifyEvidencePackage(target, {
      ...(expectedPublicKeyPem === undefined ? {} : { expectedPublicKeyPem }),
      ignoreUnlisted: values['ignore-unlisted'],
    });
  } catch (e) {
    if (isEvidenceError(e)) throw new CliUsageError(e.message);
    throw e;
  }
  if (values.json) {
    const { report: _report, integrity, ...rest } = result;
    io.stdout.write(`${JSON.stringify({ ...rest, signature: integrity?.signature ?? null, files: integrity?.files ?? [] }, null, 2)}\n`);
  } else {
    io.stdout.write(formatVerification(positionals[0] as string, result));
  }
  return result.status === 'valid' ? EXIT.ok : result.status === 'unsigned' ? EXIT.unsigned : EXIT.failed;
}

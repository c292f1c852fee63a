import { readFile } from 'node:fs/promises';
import type { PackageException, ExceptionSummary } from '../../shared/evidence';
import { countByStatus, type Finding, type StatusCounts } from '../../shared/finding';
import { RegistersSchema, type ExceptionEntry, type Registers } from '../../shared/settings';
import { EvidenceError } from '../primitives/errors';
import { exceptionMatches, isExceptionActive } from '../../shared/register-notes';

/**
 * The registers a consultant keeps per organization (exceptions, the integration permission
 * register, attestations, the review schedule) as the evidence package carries them.
 *
 * Exceptions are a layer over the findings, never a change to them: a failing finding stays
 * `fail` in `findings` and `summary.counts`; the package adds which failures an exception accepts
 * and the counts with those taken out. An exception counts only while it has not expired, judged
 * at the session's finish time (so verification, run later, reaches the same answer).
 */

/** A finding's identity across audits: `check|type|id`. */
export function findingKey(f: Pick<Finding, 'check' | 'resource'>): string {
  return `${f.check}|${f.resource.type}|${f.resource.id}`;
}

// Judged the same way as the wizard's rows (shared/register-notes.ts).
export { exceptionMatches, isExceptionActive } from '../../shared/register-notes';

export interface ExceptionLayer {
  readonly exceptions: PackageException[];
  readonly summary: ExceptionSummary;
}

/**
 * Lays the exceptions over the final audit's findings at `at` (the session's finish). Only
 * failures can be accepted: a pass needs no exception, and an `error` or `manual` finding is not
 * a known risk one could accept. A failure covered by several exceptions is accepted once.
 */
export function applyExceptions(findings: readonly Finding[], entries: readonly ExceptionEntry[], at: Date): ExceptionLayer {
  const accepted = new Set<Finding>();
  const exceptions: PackageException[] = entries.map((entry) => {
    const active = isExceptionActive(entry, at);
    const covered = active ? findings.filter((f) => f.status === 'fail' && exceptionMatches(entry, f)) : [];
    for (const f of covered) accepted.add(f);
    return { ...entry, active, covers: [...new Set(covered.map(findingKey))] };
  });
  const withoutExceptions = countByStatus(findings);
  const withExceptions: StatusCounts = { ...withoutExceptions, fail: withoutExceptions.fail - accepted.size };
  return {
    exceptions,
    summary: {
      active: exceptions.filter((e) => e.active).length,
      expired: exceptions.filter((e) => !e.active).length,
      accepted: accepted.size,
      withoutExceptions,
      withExceptions,
    },
  };
}

export function emptyRegisterSet(): Registers {
  return { exceptions: [], integrationRegister: [], attestations: [] };
}

/**
 * Registers from a JSON file matching RegistersSchema (`--registers FILE`); the keys the file
 * leaves out are empty. Throws EvidenceError('invalid_input') naming the file and the first problem.
 */
export async function readRegistersFile(file: string): Promise<Registers> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new EvidenceError('invalid_input', `Cannot read the registers file ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}.`, e);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new EvidenceError('invalid_input', `The registers file ${file} is not valid JSON: ${(e as Error).message}`, e);
  }
  const withDefaults = json !== null && typeof json === 'object' && !Array.isArray(json) ? { ...emptyRegisterSet(), ...json } : json;
  const parsed = RegistersSchema.safeParse(withDefaults);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` (${issue.path.join('.') || 'root'}: ${issue.message})`;
    throw new EvidenceError('invalid_input', `The registers file ${file} does not match the registers format${where}.`);
  }
  return parsed.data;
}

/**
 * Registers of two sources (the store's profile and a file): entries of `extra` are added; an
 * exception or attestation with the id of an existing one replaces it, as does an integration
 * register entry for the same integration. The review schedule is the store's.
 */
export function mergeRegisters(base: Registers, extra: Registers): Registers {
  const byId = <T extends { id: string }>(a: readonly T[], b: readonly T[]): T[] => {
    const ids = new Set(b.map((x) => x.id));
    return [...a.filter((x) => !ids.has(x.id)), ...b];
  };
  const names = new Set(extra.integrationRegister.map((x) => x.integration));
  return {
    exceptions: byId(base.exceptions, extra.exceptions),
    integrationRegister: [...base.integrationRegister.filter((x) => !names.has(x.integration)), ...extra.integrationRegister],
    attestations: byId(base.attestations, extra.attestations),
    ...(base.review ? { review: base.review } : {}),
  };
}

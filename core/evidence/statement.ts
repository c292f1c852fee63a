import { z } from 'zod';
import { canonicalBytes } from '../primitives/canonical-json';
import { EvidenceError } from '../primitives/errors';

/** in-toto Attestation Framework, Statement layer v1. */
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** Our predicate: the evidence package of one sentry-harden audit. */
export const EVIDENCE_PREDICATE_TYPE = 'https://sentry-harden.dev/evidence/v1';

export interface StatementSubject {
  /** Path relative to the package folder, `/`-separated. */
  readonly name: string;
  readonly digest: { readonly sha256: string };
}

export interface InTotoStatement {
  readonly _type: typeof IN_TOTO_STATEMENT_TYPE;
  readonly subject: readonly StatementSubject[];
  readonly predicateType: string;
  readonly predicate: Readonly<Record<string, unknown>>;
}

const SubjectSchema = z.object({
  name: z.string().min(1),
  digest: z.looseObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'not a lowercase hex SHA-256') }),
});

const StatementSchema = z.looseObject({
  _type: z.literal(IN_TOTO_STATEMENT_TYPE),
  subject: z.array(SubjectSchema).min(1),
  predicateType: z.string().min(1),
  predicate: z.record(z.string(), z.unknown()),
});

/** Builds a Statement with subjects sorted by name; rejects duplicate names. */
export function buildStatement(
  subjects: readonly StatementSubject[],
  predicate: object,
  predicateType: string = EVIDENCE_PREDICATE_TYPE,
): InTotoStatement {
  if (typeof predicate !== 'object' || predicate === null || Array.isArray(predicate)) {
    throw new EvidenceError('invalid_input', 'The predicate must be a JSON object.');
  }
  const sorted = [...subjects].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]?.name === sorted[i - 1]?.name) {
      throw new EvidenceError('invalid_input', `The subject ${sorted[i]?.name ?? ''} is listed twice.`);
    }
  }
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: sorted.map((s) => ({ name: s.name, digest: { sha256: s.digest.sha256 } })),
    predicateType,
    predicate: predicate as Readonly<Record<string, unknown>>,
  };
}

/** The Statement as signed: RFC 8785 canonical JSON bytes. */
export function statementBytes(statement: InTotoStatement): Buffer {
  return canonicalBytes(statement);
}

/** Parses a Statement payload; throws EvidenceError('invalid_input') naming what is wrong. */
export function parseStatement(payload: Uint8Array | string): InTotoStatement {
  const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new EvidenceError('invalid_input', `The signed statement is not valid JSON: ${(e as Error).message}`, e);
  }
  const parsed = StatementSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` (${issue.path.join('.') || 'root'}: ${issue.message})`;
    throw new EvidenceError('invalid_input', `The signed statement is not an in-toto Statement v1${where}.`);
  }
  const names = new Set<string>();
  for (const s of parsed.data.subject) {
    if (names.has(s.name)) throw new EvidenceError('invalid_input', `The signed statement lists ${s.name} twice.`);
    names.add(s.name);
  }
  return parsed.data as InTotoStatement;
}

import { describe, expect, it } from 'vitest';
import { buildStatement, EVIDENCE_PREDICATE_TYPE, parseStatement, statementBytes } from '../../../core/evidence/statement';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('in-toto Statement v1', () => {
  it('sorts subjects and serializes canonically', () => {
    const s = buildStatement([{ name: 'z.json', digest: { sha256: A } }, { name: 'raw/a.json', digest: { sha256: B } }], { org: 'acme' });
    expect(statementBytes(s).toString()).toBe(
      `{"_type":"https://in-toto.io/Statement/v1","predicate":{"org":"acme"},"predicateType":"${EVIDENCE_PREDICATE_TYPE}",` +
        `"subject":[{"digest":{"sha256":"${B}"},"name":"raw/a.json"},{"digest":{"sha256":"${A}"},"name":"z.json"}]}`,
    );
    expect(parseStatement(statementBytes(s))).toEqual(s);
  });

  it('rejects duplicates, non-object predicates and malformed statements', () => {
    expect(() => buildStatement([{ name: 'a', digest: { sha256: A } }, { name: 'a', digest: { sha256: B } }], {})).toThrow(/listed twice/);
    expect(() => buildStatement([], [] as unknown as object)).toThrow(/JSON object/);
    expect(() => parseStatement('{"_type":"https://in-toto.io/Statement/v0.1","subject":[],"predicateType":"x","predicate":{}}')).toThrow(/_type/);
    expect(() => parseStatement(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"ABC"}}],"predicateType":"x","predicate":{}}`)).toThrow(/subject\.0\.digest\.sha256/);
    const dup = `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"${A}"}},{"name":"a","digest":{"sha256":"${A}"}}],"predicateType":"x","predicate":{}}`;
    expect(() => parseStatement(dup)).toThrow(/lists a twice/);
  });
});

import { describe, expect, it } from 'vitest';
import { hasDuplicateKeys } from '../../../core/primitives/json-duplicates';
import { parseJsonNoDuplicates } from '../../../core/primitives/json-tree';

const CASES: readonly string[] = [
  '{"a":1,"b":{"a":2}}',
  '{"a":1,"\\u0061":2}',
  '[{"x":[{"k":1,"k":1}]}]',
  '{"a":"k","k":1}',
  '{"a":["k","k"],"k":{"k":"a"}}',
  '{"s":"with \\"quote\\" and , comma","t":"{\\"a\\":1,\\"a\\":2}"}',
  '{"a":{"b":1},"b":[{"a":1},{"a":2}],"c":{"b":2,"b":3}}',
  ' { "x" : [ 1 , { "y" : null , "y" : true } ] } ',
  '[]',
  '"plain"',
  '{"":1,"":2}',
  '{"a\\\\":1,"a\\\\":2}',
  '{"a\\\\":1,"a":2}',
];

describe('hasDuplicateKeys', () => {
  it('agrees with the tree parser on duplicates at any depth, escaped keys, and keys inside string values', () => {
    for (const text of CASES) expect(hasDuplicateKeys(text), text).toBe(!parseJsonNoDuplicates(text).ok);
  });

  it('agrees on a large generated document, with and without one duplicate deep inside', () => {
    const items = Array.from({ length: 2000 }, (_, i) => ({ id: String(i), name: `n${i}`, user: { id: i, email: `u${i}@x`, flags: [i, { id: i }] } }));
    const clean = JSON.stringify(items);
    expect(hasDuplicateKeys(clean)).toBe(false);
    const dirty = clean.replace('"email":"u1500@x"', '"email":"u1500@x","email":"other"');
    expect(hasDuplicateKeys(dirty)).toBe(true);
    expect(parseJsonNoDuplicates(dirty)).toMatchObject({ ok: false, reason: expect.stringContaining('at /1500/user') });
  });
});

import { describe, expect, it } from 'vitest';
import { hasDuplicateKeys, parsedHasDuplicateKeys } from '../../../core/primitives/json-duplicates';
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

describe('parsedHasDuplicateKeys', () => {
  it('agrees with the tree parser on every case, given the parsed value', () => {
    for (const text of CASES) expect(parsedHasDuplicateKeys(text, JSON.parse(text)), text).toBe(!parseJsonNoDuplicates(text).ok);
  });

  it('is not fooled by colons and quotes inside strings, whitespace before a colon, or __proto__ keys', () => {
    const tricky = [
      '{"url":"https://x/?a=\\"b\\":c","t":"10:00:00"}',
      '{"a" \n\t: {"b"  :  "c:d"}, "e":["f:","g\\\\"]}',
      '{"__proto__":{"x":1},"y":2}',
      '{"__proto__":1,"__proto__":2}',
      '[{"a":1},{"a":1}]',
      '{"k\\"":1,"k":2}',
    ];
    for (const text of tricky) expect(parsedHasDuplicateKeys(text, JSON.parse(text)), text).toBe(!parseJsonNoDuplicates(text).ok);
    expect(parsedHasDuplicateKeys('{"__proto__":1,"__proto__":2}', JSON.parse('{"__proto__":1,"__proto__":2}'))).toBe(true);
  });

  it('agrees on a large document with one duplicate deep inside', () => {
    const items = Array.from({ length: 2000 }, (_, i) => ({ id: String(i), note: `a:"${i}"`, user: { id: i, flags: [i, { id: i }] } }));
    const clean = JSON.stringify(items);
    expect(parsedHasDuplicateKeys(clean, JSON.parse(clean))).toBe(false);
    const dirty = clean.replace('"note":"a:\\"1500\\""', '"note":"a:\\"1500\\"","note":"x"');
    expect(dirty).not.toBe(clean);
    expect(parsedHasDuplicateKeys(dirty, JSON.parse(dirty))).toBe(true);
  });
});

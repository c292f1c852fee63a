import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalize, canonicalizeText } from '../../../core/primitives/canonical-json';
import { EvidenceError } from '../../../core/primitives/errors';

describe('canonicalize (RFC 8785)', () => {
  it('reproduces the RFC 8785 section 3.2.2 example', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    expect(canonicalizeText(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('sorts keys by UTF-16 code units as in RFC 8785 section 3.2.3', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const out = canonicalize(input);
    const keys = Object.keys(JSON.parse(out) as object);
    // Integer-like keys reorder in JS objects, so compare the serialized order directly.
    expect(out).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    // The emoji (U+1F600, surrogates D83D DE00) sorts before U+FB33: code units, not code points.
    expect(out.indexOf('\ud83d\ude00')).toBeLessThan(out.indexOf('\ufb33'));
    expect(keys).toHaveLength(7);
  });

  it('formats numbers as the RFC 8785 Appendix B vectors', () => {
    const vectors: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [hex, expected] of vectors) {
      const n = Buffer.from(hex, 'hex').readDoubleBE(0);
      expect(canonicalize(n), hex).toBe(expected);
    }
    expect(canonicalize([1e21, 1e20, 0.000001, 1e-7, -0, 4.5, 100])).toBe('[1e+21,100000000000000000000,0.000001,1e-7,0,4.5,100]');
  });

  it('escapes strings like JSON.stringify and leaves other Unicode raw', () => {
    expect(canonicalize('\b\t\n\f\r"\\/\u0001\u001f\u007f\u2028é😀')).toBe('"\\b\\t\\n\\f\\r\\"\\\\/\\u0001\\u001f\u007f\u2028é😀"');
    expect(canonicalBytes({ a: 'é' }).equals(Buffer.from('{"a":"é"}', 'utf8'))).toBe(true);
  });

  it('sorts nested objects, keeps array order, writes no whitespace', () => {
    expect(canonicalize({ b: { z: 1, a: [3, { y: true, x: null }] }, a: 'x' })).toBe('{"a":"x","b":{"a":[3,{"x":null,"y":true}],"z":1}}');
    expect(canonicalize({})).toBe('{}');
    expect(canonicalize([])).toBe('[]');
  });

  it('omits properties whose value is undefined, as JSON.stringify does', () => {
    expect(canonicalize({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('rejects what JSON cannot represent, naming the path', () => {
    const bad: [unknown, RegExp][] = [
      [{ n: Number.NaN }, /\$\.n: NaN is not a JSON number/],
      [[Number.POSITIVE_INFINITY], /\$\[0\]: Infinity/],
      [[-Infinity], /-Infinity/],
      [[1, undefined], /\$\[1\]: undefined is not a JSON value/],
      [undefined, /undefined/],
      [{ f: () => 1 }, /a function/],
      [{ b: 10n }, /a bigint/],
      [{ s: Symbol('x') }, /a symbol/],
      [{ d: new Date(0) }, /a Date is not a plain object/],
      [{ m: new Map() }, /a Map is not a plain object/],
      [{ s: 'a\ud800b' }, /lone surrogate/],
      [{ ['\udc00']: 1 }, /lone surrogate/],
      [[1, , 3], /\$\[1\]: undefined/],
    ];
    for (const [value, message] of bad) {
      expect(() => canonicalize(value)).toThrow(message);
      expect(() => canonicalize(value)).toThrow(EvidenceError);
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalize(cyclic)).toThrow(/cycle/);
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { k: 1 };
    expect(canonicalize({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
    expect(canonicalize(Object.assign(Object.create(null) as object, { z: 1, a: 2 }))).toBe('{"a":2,"z":1}');
  });

  it('rejects text that is not JSON', () => {
    expect(() => canonicalizeText('{a:1}')).toThrow(/Not valid JSON/);
  });
});

import { describe, expect, it } from 'vitest';
import { hasUnsafeText, safeLines, safeText } from '../../../core/terminal/safe-text';

describe('safeText', () => {
  it.each([
    ['an OSC title-setting sequence', '\u001b]0;pwned\u0007Acme', '\\x1b]0;pwned\\x07Acme'],
    ['a CSI clear-line and carriage return overwrite', 'ok\u001b[2K\rResult: VALID', 'ok\\x1b[2K\\rResult: VALID'],
    ['a newline that fakes a line of output', 'x\nResult: VALID', 'x\\nResult: VALID'],
    ['a C1 control (NEL, 8-bit CSI)', 'a\u0085b\u009bc', 'a\\x85b\\x9bc'],
    ['bidi overrides and isolates', 'gpj.\u202eexe\u2066x\u2069', 'gpj.\\u202eexe\\u2066x\\u2069'],
    ['zero-width and other invisible format characters', 'ad\u200bmin\u200d\ufeff\u00ad\u2060', 'ad\\u200bmin\\u200d\\ufeff\\xad\\u2060'],
    ['line and paragraph separators', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
    ['DEL and NUL', 'a\u007fb\u0000', 'a\\x7fb\\x00'],
  ])('escapes %s', (_label, input, shown) => {
    expect(safeText(input)).toBe(shown);
    expect(hasUnsafeText(input)).toBe(true);
  });

  it('leaves ordinary text, accents and other scripts alone', () => {
    for (const s of ['Acme Demo (acme-demo)', 'Zoë Müller <zoe@example.com>', '東京チーム', 'emoji 🔒 ok']) {
      expect(safeText(s)).toBe(s);
      expect(hasUnsafeText(s)).toBe(false);
    }
  });

  it('cuts very long values with a marker saying how much was left out', () => {
    expect(safeText('a'.repeat(1000), 10)).toBe('aaaaaaaaaa…[990 more characters]');
    expect(safeText('a'.repeat(400))).toBe('a'.repeat(400));
  });

  it('safeLines keeps newlines and tabs, escapes the rest', () => {
    expect(safeLines('one\ttwo\nthree\r\u001b[31m')).toBe('one\ttwo\nthree\\r\\x1b[31m');
  });
});

/**
 * Text from a server or a file, made safe to print on a terminal. A Sentry organization name, a
 * member's email, an error message or a file name inside a package could carry ESC sequences
 * (OSC 0 sets the window title, CSI moves the cursor or clears lines), a carriage return that
 * overwrites what was printed, bidi overrides that reorder it, or zero-width characters that hide
 * part of it. Each such character is shown escaped (`\x1b`, `\r`, `\u202e`), so what is printed
 * is what the string holds; nothing is dropped silently. A core primitive: no imports of ours.
 */

/** Characters longer than this are cut, with a marker saying how many were left out. */
export const DEFAULT_MAX_CHARS = 400;

// C0 and C1 controls, DEL; Unicode format characters (bidi embeddings, overrides and isolates,
// zero-width space/joiners, word joiner, invisible operators, BOM, soft hyphen, Mongolian vowel
// separator, interlinear annotation); line and paragraph separators; lone surrogates.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115f\u1160\u3164\uffa0]/gu;
const UNSAFE_BUT_NEWLINE = /(?![\n\t])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115f\u1160\u3164\uffa0]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\x1b' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * One value (a name, a message, a path) for a line of terminal output: every control and
 * invisible formatting character escaped, newlines included, and cut to `max` characters.
 */
export function safeText(value: unknown, max = DEFAULT_MAX_CHARS): string {
  const s = typeof value === 'string' ? value : String(value);
  const cut = s.length > max ? `${s.slice(0, max)}…[${s.length - max} more characters]` : s;
  return cut.replace(UNSAFE, escapeChar);
}

/** Whole lines of output: newlines and tabs stay; every other control or invisible character is escaped. */
export function safeLines(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, escapeChar);
}

/** Whether a string would print differently from what it holds (a hostile name, for a warning). */
export function hasUnsafeText(value: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(value);
  UNSAFE.lastIndex = 0;
  return found;
}

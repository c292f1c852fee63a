import type { Writable } from 'node:stream';
import { safeLines, safeText } from '../core/terminal/safe-text';
import type { CliIo } from './io';

/** Longest line a printer prints; longer ones (a server's message) are cut with a marker. */
export const MAX_LINE_CHARS = 600;

/**
 * The printers' way to print: each entry is one line, so a newline inside it came from a value
 * (a server's name, a file name) and is shown escaped, with every other control character.
 */
export function joinLines(lines: readonly string[]): string {
  return `${lines.map((l) => safeText(l, MAX_LINE_CHARS)).join('\n')}\n`;
}

/** One line of output; see joinLines. */
export function line(text: string): string {
  return joinLines([text]);
}

/**
 * Every byte a command writes goes through safeLines as the last guard: a printer that forgot to
 * sanitise a value still cannot send an ESC sequence or a carriage return to the terminal.
 */
export function guardedIo(io: CliIo): CliIo {
  return { ...io, stdout: guardStream(io.stdout), stderr: guardStream(io.stderr) };
}

function guardStream(stream: Writable): Writable {
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write') {
        return (chunk: unknown, ...rest: unknown[]) => {
          const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
          return (target.write as (c: string, ...r: unknown[]) => boolean)(safeLines(text), ...rest);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

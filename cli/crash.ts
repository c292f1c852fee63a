import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { appDataDir } from '../core/app/paths';
import { redactText } from '../core/primitives/redact';
import type { CliIo } from './io';

/**
 * An unexpected exception (a bug, or a size we did not foresee) ends the command with one line on
 * stderr naming a log file, never with the error's own text dumped (a zod error is a page of JSON;
 * a library error may carry request headers). The log holds the details with every secret
 * pattern redacted and the session's token removed in any encoding we know.
 */
export function reportCrash(io: CliIo, command: string, error: unknown, now: Date = new Date()): string {
  const tokens = [io.env.SENTRY_AUTH_TOKEN?.trim()].filter((t): t is string => t !== undefined && t.length >= 8);
  const clean = (text: string): string => redactText(scrubTokens(text, tokens)).text;
  const log = writeLog(io, clean(describe(error, command, now)), now);
  const summary = clean(shortSummary(error));
  io.stderr.write(`sentry-harden ${command}: unexpected error (${summary}); details in ${log ?? 'no log (the log folder is not writable)'}. Please report it.\n`);
  return log ?? '';
}

/** One short line: the kind of failure, never a dump of structured data. */
export function shortSummary(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const issues = (error as { issues?: unknown }).issues;
  if (error instanceof z.ZodError || Array.isArray(issues)) {
    return `data did not have the expected shape${Array.isArray(issues) ? ` (${issues.length} issue${issues.length === 1 ? '' : 's'})` : ''}`;
  }
  const first = (error.message.split(/\r?\n/)[0] ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  if (first === '' || /^[[{]/.test(first.trim())) return error.name;
  return `${error.name}: ${first.length > 160 ? `${first.slice(0, 160)}…` : first}`;
}

function describe(error: unknown, command: string, now: Date): string {
  const lines = [`sentry-harden crash log`, `time: ${now.toISOString()}`, `command: ${command}`, `node: ${process.version} ${process.platform}`];
  let e: unknown = error;
  for (let depth = 0; e !== undefined && depth < 5; depth += 1) {
    lines.push('', depth === 0 ? 'error:' : 'caused by:');
    if (e instanceof Error) {
      lines.push(e.stack ?? `${e.name}: ${e.message}`);
      e = e.cause;
    } else {
      lines.push(String(e));
      e = undefined;
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Undoes the encodings a token may hide in (JSON \\u escapes, percent-encoding), so the scrub sees it. */
function decodeEscapes(text: string): string {
  const unescaped = text.replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return unescaped.replace(/(?:%[0-9A-Fa-f]{2})+/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m; // not UTF-8 once decoded: leave it as written
    }
  });
}

function scrubTokens(text: string, tokens: readonly string[]): string {
  let out = decodeEscapes(text);
  for (const t of tokens) {
    for (const f of new Set([t, Buffer.from(t).toString('base64'), Buffer.from(t).toString('base64url')])) out = out.split(f).join('[redacted]');
  }
  return out;
}

function writeLog(io: CliIo, text: string, now: Date): string | null {
  const name = `crash-${now.toISOString().replace(/[:.]/g, '-')}-${process.pid}.log`;
  for (const dir of [path.join(appDataDir(io.env), 'logs'), os.tmpdir()]) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = path.join(dir, name);
      writeFileSync(file, text, { flag: 'wx', mode: 0o600 });
      return file;
    } catch {
      // try the next folder; the one line on stderr says when none worked
    }
  }
  return null;
}

import type { ParseArgsConfig } from 'node:util';
import { LevelSchema, type Level } from '../shared/levels';
import { CliUsageError } from './cli-error';
import { readAll, type CliIo } from './io';

export const CONNECTION_OPTIONS = {
  org: { type: 'string' },
  url: { type: 'string', default: 'https://sentry.io' },
  'token-stdin': { type: 'boolean', default: false },
  'ca-file': { type: 'string' },
  timeout: { type: 'string', default: '30000' },
} as const satisfies ParseArgsConfig['options'];

/** Runs node:util parseArgs, turning its complaints into usage errors (exit 2). */
export function withUsageErrors<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new CliUsageError(e instanceof Error ? e.message : String(e));
  }
}

export function parseLevel(value: string | undefined): Level {
  const parsed = LevelSchema.safeParse((value ?? 'L1').toUpperCase());
  if (!parsed.success) throw new CliUsageError(`--level must be L1, L2 or L3 (got "${value}")`);
  return parsed.data;
}

export function parseTimeout(value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 100 || n > 600_000) throw new CliUsageError(`--timeout must be milliseconds between 100 and 600000 (got "${value}")`);
  return n;
}

export function requireOrg(value: string | undefined): string {
  if (!value) throw new CliUsageError('--org SLUG is required');
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(value)) throw new CliUsageError(`"${value}" is not an organization slug`);
  return value;
}

/**
 * The token, from SENTRY_AUTH_TOKEN (the variable Sentry's own CLI reads) or stdin. It is kept
 * in a closure so it never sits in an object that might be logged or serialized.
 */
export async function readToken(io: CliIo, fromStdin: boolean): Promise<() => string> {
  const raw = fromStdin ? await readAll(io.stdin) : io.env.SENTRY_AUTH_TOKEN ?? '';
  const token = raw.trim();
  if (!token) {
    throw new CliUsageError(
      fromStdin ? 'no token on standard input' : 'no token: set SENTRY_AUTH_TOKEN or pass --token-stdin',
    );
  }
  if (/\s/.test(token)) throw new CliUsageError('the token contains white space; paste only the token');
  return () => token;
}

import { readFileSync } from 'node:fs';

/**
 * The usage text lives in usage.txt so that bin/sentry-harden.mjs can print it without loading
 * the TypeScript loader (the start-up budget of `--help`).
 */
export const USAGE = readFileSync(new URL('./usage.txt', import.meta.url), 'utf8');

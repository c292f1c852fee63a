import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { CliIo } from './io';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * Builds the wizard (vite, offline, about 10-20 s) when `ui` starts from a fresh clone, so that
 * `npx sentry-harden ui --demo` right after `npm ci` serves the page instead of "not built".
 * Output goes to stderr; the caller's 503 message remains for a build that failed.
 */
export async function buildRendererIfMissing(io: Pick<CliIo, 'stderr'>, rendererDir: string): Promise<boolean> {
  if (existsSync(path.join(rendererDir, 'index.html'))) return true;
  let viteBin: string;
  try {
    viteBin = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  } catch (e) {
    io.stderr.write(`sentry-harden ui: the UI is not built and vite is not installed (${(e as NodeJS.ErrnoException).code ?? 'error'}): run npm ci with its dev dependencies, then npm run build:renderer.\n`);
    return false;
  }
  io.stderr.write('sentry-harden ui: building the UI once (npm run build:renderer)...\n');
  const child = spawn(process.execPath, [viteBin, 'build', '--config', path.join(ROOT, 'renderer', 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c: Buffer) => io.stderr.write(c));
  child.stderr.on('data', (c: Buffer) => io.stderr.write(c));
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', (e) => {
      io.stderr.write(`sentry-harden ui: the UI build could not start: ${e.message}\n`);
      resolve(null);
    });
    child.once('close', resolve);
  });
  const built = code === 0 && existsSync(path.join(rendererDir, 'index.html'));
  if (!built) io.stderr.write(`sentry-harden ui: the UI build failed (exit ${String(code)}); see above.\n`);
  return built;
}

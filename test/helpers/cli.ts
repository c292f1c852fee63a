import { PassThrough, Readable } from 'node:stream';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured streams, as a terminal user would call it. */
export async function runCli(argv: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: string; cwd?: string; interrupt?: AbortSignal } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const io: CliIo = {
    stdout,
    stderr,
    stdin: Readable.from([opts.stdin ?? '']),
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    interactive: false,
    ...(opts.interrupt ? { interrupt: () => opts.interrupt as AbortSignal } : {}),
  };
  const code = await main(argv, io);
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

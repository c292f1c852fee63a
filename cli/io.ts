import type { Writable } from 'node:stream';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Whether stdin is a terminal (interactive confirmation is possible). */
  readonly interactive: boolean;
  /**
   * A signal aborted when the person interrupts (Ctrl+C), for commands that stop cleanly between
   * steps (apply, undo). Asking for it installs the handler; a second Ctrl+C quits at once.
   */
  readonly interrupt?: () => AbortSignal;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    interactive: Boolean(process.stdin.isTTY),
    interrupt: () => {
      const controller = new AbortController();
      process.once('SIGINT', () => {
        process.stderr.write('\nStopping after the change in progress; the journal records the rest as not attempted (Ctrl+C again quits at once).\n');
        controller.abort();
        process.once('SIGINT', () => process.exit(130));
      });
      return controller.signal;
    },
  };
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

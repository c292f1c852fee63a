/** An error that ends a command with a message for the user and exit status 2 ("could not run"). */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export const EXIT = { ok: 0, failed: 1, couldNotRun: 2, notEvaluated: 3 } as const;

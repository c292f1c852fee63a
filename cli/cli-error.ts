import { CodedError } from '../shared/errors';

/** An error that ends a command with a message for the user and exit status 2 ("could not run"). */
export class CliUsageError extends CodedError {
  constructor(message: string) {
    super('invalid_input', message);
    this.name = 'CliUsageError';
  }
}

/** verify's `unsigned` (integrity checked, authenticity not) shares 3 with the audit's "not evaluated". */
export const EXIT = { ok: 0, failed: 1, couldNotRun: 2, notEvaluated: 3, unsigned: 3 } as const;

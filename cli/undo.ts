import type { ApplyHooks } from '../core/engine/apply';
import { JournalError, readJournal } from '../core/engine/journal';
import { PlanError } from '../core/engine/plan';
import { planUndo } from '../core/engine/undo';
import { CliUsageError } from './cli-error';
import type { CliIo } from './io';
import { executeChanges, parseApplyFlags } from './apply';
import { line } from './terminal';

/**
 * `sentry-harden undo JOURNAL`: the inverse of every change the journal shows as applied, newest
 * first, through the same confirmation and apply path (journaled as a run of its own).
 */
export async function runUndoCommand(argv: string[], io: CliIo, hooks?: ApplyHooks): Promise<number> {
  const { flags, file } = parseApplyFlags(argv, io, 'journal');
  const load = () => {
    try {
      return planUndo(readJournal(file));
    } catch (e) {
      if (e instanceof JournalError || e instanceof PlanError) throw new CliUsageError(`refusing ${file}: ${e.message}`);
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new CliUsageError(`no journal at ${file}`);
      throw e;
    }
  };
  // Read once before connecting: the target comes from the journal and a bad file fails early.
  const first = load();
  return executeChanges(
    io,
    flags,
    {
      kind: 'undo',
      source: first.source,
      target: first.target,
      writeHosts: first.writeHosts,
      alsoReconcile: file,
      changes: () => {
        const undo = load();
        for (const s of undo.skipped) io.stdout.write(line(`Cannot undo ${s.changeId} (${s.description}): ${s.reason}`));
        return undo.changes;
      },
    },
    hooks,
  );
}

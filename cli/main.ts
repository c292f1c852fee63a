import { CliUsageError, EXIT } from './cli-error';
import { USAGE } from './help';
import type { CliIo } from './io';
import { runAuditCommand } from './audit';
import { runApplyCommand } from './apply';
import { runExportCommand } from './export';
import { runPlanCommand } from './plan';
import { runPortfolioCommand } from './portfolio';
import { runUiCommand } from './ui';
import { runUndoCommand } from './undo';
import { runVerifyCommand } from './verify';
import { TOOL_VERSION } from '../core/engine/report';

type Command = (argv: string[], io: CliIo) => Promise<number>;

/** One entry per command; each lives in its own file. */
const COMMANDS: Record<string, Command> = {
  audit: runAuditCommand,
  plan: runPlanCommand,
  apply: (argv, io) => runApplyCommand(argv, io),
  undo: (argv, io) => runUndoCommand(argv, io),
  ui: (argv, io) => runUiCommand(argv, io),
  verify: runVerifyCommand,
  export: runExportCommand,
  portfolio: runPortfolioCommand,
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return name === undefined ? EXIT.couldNotRun : EXIT.ok;
  }
  if (name === '--version') {
    io.stdout.write(`${TOOL_VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`sentry-harden: unknown command "${name}". Run "sentry-harden --help".\n`);
    return EXIT.couldNotRun;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    if (e instanceof CliUsageError) {
      io.stderr.write(`sentry-harden ${name}: ${e.message}\n`);
      return EXIT.couldNotRun;
    }
    throw e;
  }
}

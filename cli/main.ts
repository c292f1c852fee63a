import { CliUsageError, EXIT } from './cli-error';
import { USAGE } from './help';
import type { CliIo } from './io';
import { guardedIo, line } from './terminal';
import { safeLines } from '../core/terminal/safe-text';

type Command = (argv: string[], io: CliIo) => Promise<number>;

/**
 * One entry per command; each lives in its own file and is loaded only when it runs, so
 * `--help` and a single command do not pay for importing every other one (the whole engine).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  audit: async () => (await import('./audit')).runAuditCommand,
  plan: async () => (await import('./plan')).runPlanCommand,
  apply: async () => (await import('./apply')).runApplyCommand,
  undo: async () => (await import('./undo')).runUndoCommand,
  ui: async () => (await import('./ui')).runUiCommand,
  verify: async () => (await import('./verify')).runVerifyCommand,
  keys: async () => (await import('./keys')).runKeysCommand,
  doctor: async () => (await import('./doctor')).runDoctorCommand,
  export: async () => (await import('./export')).runExportCommand,
  portfolio: async () => (await import('./portfolio')).runPortfolioCommand,
};

export async function main(argv: string[], rawIo: CliIo): Promise<number> {
  const io = guardedIo(rawIo);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return name === undefined ? EXIT.couldNotRun : EXIT.ok;
  }
  if (name === '--version') {
    const { TOOL_VERSION } = await import('../core/engine/report');
    io.stdout.write(`${TOOL_VERSION}\n`);
    return EXIT.ok;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.stderr.write(line(`sentry-harden: unknown command "${name}". Run "sentry-harden --help".`));
    return EXIT.couldNotRun;
  }
  try {
    const command = await load();
    return await command(rest, io);
  } catch (e) {
    if (e instanceof CliUsageError) {
      // A usage message may span lines (a target shown before a refusal): each line escaped, breaks kept.
      io.stderr.write(`${safeLines(`sentry-harden ${name}: ${e.message}`)}\n`);
      return EXIT.couldNotRun;
    }
    const { reportCrash } = await import('./crash');
    reportCrash(io, name, e);
    return EXIT.couldNotRun;
  }
}

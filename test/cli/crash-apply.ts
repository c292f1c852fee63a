// Runs `sentry-harden apply` in a child process and kills it with SIGKILL at a chosen point, for
// the crash tests. CRASH_AT=phase:n, where phase is a journal record phase (intent, response,
// verified, outcome) or `sent` (right after Sentry answered, before anything is recorded), and n
// counts occurrences of that phase from 1. The hook exists only in this test script; the CLI's
// command table never passes one.
import { runApplyCommand } from '../../cli/apply';
import { processIo } from '../../cli/io';

const [phase, nth] = (process.env.CRASH_AT ?? '').split(':');
const limit = Number(nth);
let seen = 0;
const hit = (p: string): void => {
  if (p !== phase) return;
  seen += 1;
  if (seen === limit) process.kill(process.pid, 'SIGKILL');
};

process.exitCode = await runApplyCommand(process.argv.slice(2), processIo(), {
  onRecord: (record) => hit(record.phase),
  afterSend: () => hit('sent'),
});

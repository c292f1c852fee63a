import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildPortfolio } from '../core/portfolio/portfolio';
import type { PortfolioEntry } from '../core/portfolio/portfolio';
import { renderPortfolioCsv, renderPortfolioHtml } from '../core/portfolio/render';
import { CliUsageError, EXIT } from './cli-error';
import type { CliIo } from './io';
import { withUsageErrors } from './options';
import { openExistingStore } from './profile-store';

const OPTIONS = { json: { type: 'boolean', default: false }, html: { type: 'string' }, csv: { type: 'string' } } as const;

function line(e: PortfolioEntry): string {
  const p = e.lastPackage;
  const last =
    p.state === 'valid'
      ? `${p.finishedAt.slice(0, 10)} ${p.level}: ${p.counts.pass} pass, ${p.counts.fail} fail, ${p.counts.error} error, ${p.counts.manual} manual`
      : p.state === 'none'
        ? 'no signed package yet'
        : p.state === 'missing'
          ? `last package not found (${p.path})`
          : `last package does not verify: ${p.reason}`;
  const review = e.review ? `review ${e.review.nextReviewDate.slice(0, 10)}${e.review.overdue ? ' OVERDUE' : ''}` : 'no review date';
  const drift =
    p.state === 'valid' && p.drift
      ? `; since ${p.drift.against === 'previous' ? 'the previous package' : 'its baseline'}: ${p.drift.newlyFailing} newly failing, ${p.drift.regressed} regressed, ${p.drift.fixed} fixed`
      : p.state === 'valid' && p.driftNote
        ? `; drift unknown: ${p.driftNote}`
        : '';
  return `${e.label} (${e.orgSlug} at ${e.host})\n  ${last}\n  exceptions ${e.exceptions.open} open (${e.exceptions.expiringSoon} expiring within 30 days), ${review}${drift}\n`;
}

async function writeNew(file: string, content: string): Promise<void> {
  try {
    await writeFile(file, content, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new CliUsageError(`${file} already exists; choose another name.`);
    throw e;
  }
}

/** `sentry-harden portfolio [--json] [--html FILE] [--csv FILE]`: every saved organization. Exit 1 when a review is overdue. */
export async function runPortfolioCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = withUsageErrors(() => parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}"`);
  const store = openExistingStore(io.env);
  if (!store) {
    io.stderr.write('No saved organizations yet: connect one in the app (npm start) or run an audit with --profile.\n');
    return EXIT.ok;
  }
  const now = new Date();
  const entries = await buildPortfolio(store, now);
  if (values.json) io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
  else for (const e of entries) io.stdout.write(line(e));
  if (values.html) await writeNew(path.resolve(io.cwd, values.html), renderPortfolioHtml(entries, now));
  if (values.csv) await writeNew(path.resolve(io.cwd, values.csv), renderPortfolioCsv(entries));
  return entries.some((e) => e.review?.overdue) ? EXIT.failed : EXIT.ok;
}

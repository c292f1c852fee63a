import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HandlerResponseOf } from '../../shared/ipc/contract';
import { AppError } from './errors';
import type { PackageWriter, ReportDestination, ReportFormat, ReportSession } from './report-output';
import { writeJsonFile } from '../evidence/json-stream';
import { HTML_FILE } from '../evidence/package-files';
import type { HandlerContext } from './router';
import type { PublishedReport } from './report-views';

/** For a destination that asks where without a window to ask from (tests, a call without context). */
const NO_CONTEXT: HandlerContext = { sender: { webContentsId: 0, frameUrl: '', isMainFrame: true }, emit: () => undefined };

/**
 * `report:save`: asks the destination where (a dialog, or web mode's output folder), then writes
 * the signed evidence package there, or one file of it. Nothing written carries a token: the
 * session holds reports (token kind, scopes and user only), redacted responses and journals.
 */

export interface SaveReportInput {
  readonly profileId: string;
  readonly orgSlug: string;
  readonly format: ReportFormat;
  readonly session: ReportSession;
  readonly now?: Date;
}

export interface SaveReportDeps {
  readonly destination: ReportDestination;
  readonly writePackage: PackageWriter;
}

type SaveResult = HandlerResponseOf<'report:save'>;

const EXTENSION: Record<ReportFormat, string> = { evidence: '', html: '.html', json: '.json', csv: '.csv', pdf: '.pdf' };

/** `sentry-harden-acme-20250304-0912`: sortable, no characters a file system refuses. */
export function suggestedReportName(orgSlug: string, format: ReportFormat, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 13);
  return `sentry-harden-${orgSlug}-${stamp}${EXTENSION[format]}`;
}

/** The first top-level file of a package folder with this extension (report.html, findings.csv). */
async function fileWithExtension(dir: string, ext: string): Promise<string> {
  const names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith(ext)).sort((a, b) => (a.startsWith('report') ? -1 : b.startsWith('report') ? 1 : a.localeCompare(b)));
  const name = names[0];
  if (name === undefined) throw new AppError('internal', `The evidence package has no ${ext} file`);
  return path.join(dir, name);
}

export async function saveSessionReport(input: SaveReportInput, deps: SaveReportDeps, ctx: HandlerContext): Promise<SaveResult> {
  const { format } = input;
  if (format === 'pdf' && !deps.destination.printPdf) {
    throw new AppError('invalid_input', 'PDF is printed by the desktop app; here, save the HTML report and print it from the browser');
  }
  const suggestedName = suggestedReportName(input.orgSlug, format, input.now ?? new Date());
  const target = await deps.destination.choose({ format, suggestedName }, ctx);
  if (target === null) return { saved: false, path: null, zipPath: null, fingerprint: null };

  if (format === 'json' && !deps.writePackage) {
    // The audit report of the latest run (report.json) needs no package.
    await mkdir(path.dirname(target), { recursive: true });
    await writeJsonFile(target, input.session.after.report, { mode: 0o600 });
    return { saved: true, path: target, zipPath: null, fingerprint: null };
  }

  const writer = deps.writePackage;
  if (format === 'evidence') {
    await mkdir(path.dirname(target), { recursive: true });
    const written = await writer(input.session, target);
    const views = deps.destination.views;
    const published = views ? await views.publish(written.dir) : null;
    return {
      saved: true,
      path: written.dir,
      zipPath: written.zip,
      fingerprint: written.fingerprint,
      ...(published ? { view: viewOf(published, deps.destination) } : {}),
    };
  }

  // One file of the package: written whole in a private temporary folder, then copied out.
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'sentry-harden-report-'));
  try {
    const written = await writer(input.session, path.join(tmp, 'package'));
    await mkdir(path.dirname(target), { recursive: true });
    if (format === 'pdf') {
      const html = await fileWithExtension(written.dir, '.html');
      await (deps.destination.printPdf as NonNullable<ReportDestination['printPdf']>)(html, target);
    } else {
      await copyFile(await fileWithExtension(written.dir, EXTENSION[format]), target);
    }
    return { saved: true, path: target, zipPath: null, fingerprint: written.fingerprint };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** How the window opens and prints a package just saved: by the served URLs, or through main (desktop). */
function viewOf(published: PublishedReport, destination: ReportDestination): NonNullable<SaveResult['view']> {
  const pdf = !destination.printPdf ? 'browser' : destination.pdfTarget === 'ask' ? 'ask' : 'file';
  if (destination.openFile) return { id: published.id, url: null, printUrl: null, pdf };
  return { id: published.id, url: published.url, printUrl: published.printUrl, pdf };
}

/** `report:open`: the report.html of a package saved in this window, opened by main with the system's viewer. */
export async function openSavedReport(reportId: string, destination: ReportDestination): Promise<HandlerResponseOf<'report:open'>> {
  if (!destination.openFile) throw new AppError('invalid_input', 'Open the report with the "Open report" link of this page');
  const html = destination.views?.file(reportId, HTML_FILE) ?? null;
  if (html === null) throw new AppError('not_found', 'This report was saved before the app was restarted: save the package again, then open it');
  await destination.openFile(html);
  return { opened: true };
}

/**
 * `report:printPdf`: the report.html of a package saved in this window, printed to `<package>.pdf`
 * beside it, or (desktop app) to the file the person chooses.
 */
export async function printSavedReport(reportId: string, destination: ReportDestination, ctx?: HandlerContext): Promise<HandlerResponseOf<'report:printPdf'>> {
  const report = destination.views?.get(reportId) ?? null;
  const html = destination.views?.file(reportId, HTML_FILE) ?? null;
  if (report === null || html === null) {
    throw new AppError('not_found', 'This report was saved by an earlier launch of sentry-harden ui: save the package again, then save it as PDF');
  }
  if (!destination.printPdf) {
    throw new AppError('invalid_input', 'No Chromium or Chrome was found on this machine to print the PDF: open the report and print it from the browser (Save as PDF)');
  }
  const target =
    destination.pdfTarget === 'ask' ? await destination.choose({ format: 'pdf', suggestedName: `${path.basename(report.dir)}.pdf` }, ctx ?? NO_CONTEXT) : `${report.dir}.pdf`;
  if (target === null) return { saved: false, path: null };
  await destination.printPdf(html, target);
  return { saved: true, path: target };
}

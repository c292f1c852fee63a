import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { listFolder } from '../evidence/package-layout';
import { HTML_FILE, isPackageFile } from '../evidence/package-files';

/**
 * Web mode's saved reports, readable in the browser: each package this process wrote gets an
 * unguessable id (32 random bytes), and only the files the package held when it was saved can be
 * read through it. A request names an id and a file of that list; it never names a path on disk.
 * Ids live in memory: they end with the process, like the launch secret.
 */

/** URL prefix of the reports: `/reports/<id>/report.html`, `/reports/<id>/raw/<sha256>.json.gz`. */
export const REPORTS_PREFIX = '/reports/';
/** The report with the browser's print dialog (`/reports/<id>/print`). */
export const PRINT_PAGE = 'print';

export interface PublishedReport {
  readonly id: string;
  /** Same-origin URL of report.html. */
  readonly url: string;
  /** Same-origin URL of report.html opening the browser's print dialog. */
  readonly printUrl: string;
  /** The package folder (for the PDF written next to it). */
  readonly dir: string;
}

export interface ReportViews {
  /** Records a package folder just written, with the files it holds now. */
  publish(dir: string): Promise<PublishedReport>;
  /** A published package by id, or null. */
  get(id: string): PublishedReport | null;
  /** The absolute path of `relative` in package `id` when that file was listed at saving; else null. */
  file(id: string, relative: string): string | null;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function createReportViews(): ReportViews {
  const packages = new Map<string, { readonly report: PublishedReport; readonly files: ReadonlySet<string> }>();
  return {
    async publish(dir) {
      const listing = await listFolder(dir);
      const id = randomBytes(32).toString('base64url');
      const base = `${REPORTS_PREFIX}${id}/`;
      const report: PublishedReport = { id, url: `${base}${HTML_FILE}`, printUrl: `${base}${PRINT_PAGE}`, dir: path.resolve(dir) };
      packages.set(id, { report, files: new Set(listing.files.filter(isPackageFile)) });
      return report;
    },
    get(id) {
      return ID_PATTERN.test(id) ? (packages.get(id)?.report ?? null) : null;
    },
    file(id, relative) {
      const entry = ID_PATTERN.test(id) ? packages.get(id) : undefined;
      if (!entry || !entry.files.has(relative)) return null;
      // The listing holds only the package's regular files found under the folder, `/`-separated.
      return path.join(entry.report.dir, ...relative.split('/'));
    },
  };
}

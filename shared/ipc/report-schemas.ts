import { z } from 'zod';

/** The saved package's report, as the window may open or print it (contract.ts: report:*). */

/** The id of a package saved in web mode (32 random bytes, base64url). */
export const ReportViewIdSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'the id of a report saved in this window');
/**
 * A saved package's report: web mode serves it while `sentry-harden ui` runs (same-origin URLs);
 * the desktop app opens it itself (`report:open`, the URLs are null).
 */
export const ReportViewSchema = z.object({
  id: ReportViewIdSchema,
  /** report.html in a new tab, under the report's own no-script policy; null: ask main (`report:open`). */
  url: z.string().nullable(),
  /** report.html opening the browser's print dialog; null in the desktop app. */
  printUrl: z.string().nullable(),
  /**
   * 'file': report:printPdf writes the PDF next to the package (a Chromium was found); 'ask':
   * report:printPdf asks where (the desktop app's save dialog); 'browser': print from printUrl.
   */
  pdf: z.enum(['file', 'ask', 'browser']),
});

/** report:save's answer. */
export const ReportSaveResponseSchema = z.object({
  saved: z.boolean(),
  /** The package folder, or the file written. */
  path: z.string().nullable(),
  /** The package as one .zip, next to the folder (format 'evidence'). */
  zipPath: z.string().nullable(),
  /** Fingerprint of the signing key (format 'evidence'), to compare with `verify`. */
  fingerprint: z.string().nullable(),
  /** Web mode, format 'evidence': the saved report in this browser; absent in the desktop app. */
  view: ReportViewSchema.optional(),
});

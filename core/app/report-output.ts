import type { AuditReport } from '../../shared/report';
import type { Registers, AuditSettingsOverrides } from '../../shared/settings';
import type { ReportFormatSchema } from '../../shared/ipc/contract';
import type { z } from 'zod';
import type { AuditSettings } from '../controls/types';
import type { ResponseRecord } from '../sentry/transport';
import type { HandlerContext } from './router';
import type { ReportViews } from './report-views';

export type ReportFormat = z.infer<typeof ReportFormatSchema>;

/** One audit as the engine keeps it: the report and every response behind it (bodies redacted). */
export interface StoredAudit {
  readonly report: AuditReport;
  readonly responses: readonly ResponseRecord[];
}

/** Everything a signed package of one session is made of. Never a token. */
export interface ReportSession {
  readonly profileId: string;
  /** The first audit of the session, when changes were made after it; else null. */
  readonly before: StoredAudit | null;
  /** The audit the report describes (the latest re-check). */
  readonly after: StoredAudit;
  /** Journals of the session's apply and undo runs, oldest first. */
  readonly journals: readonly string[];
  readonly registers: Registers;
  readonly settings: AuditSettings;
  readonly settingsOverrides: AuditSettingsOverrides;
  /** Strings no file may contain (the profile's token): the writer's last look before signing. */
  readonly forbidden: readonly string[];
}

export interface WrittenPackage {
  /** The package folder. */
  readonly dir: string;
  readonly zip: string | null;
  readonly fingerprint: string | null;
}

/**
 * Writes the signed evidence package of a session into `outDir` (a folder it creates), and the
 * .zip next to it. Provided by core/evidence's writer; absent in builds without it.
 */
export type PackageWriter = (session: ReportSession, outDir: string) => Promise<WrittenPackage>;

/** Where saved reports go: a native dialog in the desktop app, an output folder in web mode. */
export interface ReportDestination {
  /**
   * The path to write (a folder for 'evidence', a file otherwise), or null when the person
   * cancelled. `suggestedName` has no extension for 'evidence', else the file's extension.
   */
  choose(request: { readonly format: ReportFormat | 'terraform'; readonly suggestedName: string }, ctx: HandlerContext): Promise<string | null>;
  /**
   * Prints an HTML file to PDF (the desktop app's printToPDF, web mode's headless Chromium when
   * the machine has one); absent where it cannot.
   */
  readonly printPdf?: (htmlFile: string, pdfFile: string) => Promise<void>;
  /** Makes a package just saved openable from the window (core/app/report-views.ts). */
  readonly views?: ReportViews;
  /**
   * The desktop app: opens a file main wrote with the system's viewer (Electron's
   * shell.openPath). Absent in web mode, where the browser opens the served report.
   */
  readonly openFile?: (file: string) => Promise<void>;
  /** Where a saved package's PDF goes: next to it (web mode), or where the person chooses. Default 'beside'. */
  readonly pdfTarget?: 'beside' | 'ask';
}

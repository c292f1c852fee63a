import { access } from 'node:fs/promises';
import path from 'node:path';
import type { ReportDestination } from './report-output';
import type { ReportViews } from './report-views';

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

export interface FolderDestinationOptions {
  /** Packages saved here become readable in the browser ("Open report"). */
  readonly views?: ReportViews;
  /** HTML to PDF with the machine's Chromium (cli/chromium-pdf.ts), when it has one. */
  readonly printPdf?: (htmlFile: string, pdfFile: string) => Promise<void>;
}

/**
 * Web mode has no save dialog: reports go to one folder (`sentry-harden ui --out DIR`, else the
 * app's data folder), each under a new name, and the answer says where.
 */
export function createFolderDestination(outDir: string, options: FolderDestinationOptions = {}): ReportDestination {
  return {
    ...(options.views ? { views: options.views } : {}),
    ...(options.printPdf ? { printPdf: options.printPdf } : {}),
    async choose({ suggestedName }) {
      const ext = path.extname(suggestedName);
      const stem = suggestedName.slice(0, suggestedName.length - ext.length);
      for (let i = 1; i < 1000; i += 1) {
        const name = i === 1 ? suggestedName : `${stem}-${i}${ext}`;
        const candidate = path.join(outDir, name);
        // A package also leaves NAME.zip beside its folder.
        if (!(await exists(candidate)) && !(await exists(`${candidate}.zip`))) return candidate;
      }
      return path.join(outDir, `${stem}-${Date.now()}${ext}`);
    },
  };
}

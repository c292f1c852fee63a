import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { BrowserWindow } from 'electron';
import { dialog, shell } from 'electron';
import { AppError } from '../core/app/errors';
import type { ReportDestination } from '../core/app/report-output';
import { createReportViews } from '../core/app/report-views';
import { hardenSession } from './security';
import { createPrintWindow } from './window';

const FILTERS: Record<string, Electron.FileFilter[]> = {
  html: [{ name: 'HTML report', extensions: ['html'] }],
  json: [{ name: 'JSON report', extensions: ['json'] }],
  csv: [{ name: 'Findings (CSV)', extensions: ['csv'] }],
  pdf: [{ name: 'PDF report', extensions: ['pdf'] }],
  evidence: [],
  terraform: [],
};

/**
 * Reports in the desktop app: the native save dialog (a new folder name for the evidence package,
 * which also gets a .zip beside it), and PDF through Chromium's printToPDF of report.html in a
 * hidden, sandboxed window without JavaScript or network. A package saved here can be opened
 * ("Open report": the system's viewer, shell.openPath) and printed where the person chooses; the
 * file is found by the id core/app/report-views.ts gave it, never by a path from the window.
 */
export function createDialogDestination(parentWindow: () => BrowserWindow | null): ReportDestination {
  let hardened = false;
  return {
    views: createReportViews(),
    pdfTarget: 'ask',
    async openFile(file) {
      // '' on success, else the reason the system gave.
      const failure = await shell.openPath(file);
      if (failure !== '') throw new AppError('internal', `The report could not be opened: ${failure}. Open ${file} from your file manager.`);
    },
    async choose({ format, suggestedName }) {
      const options: Electron.SaveDialogOptions = {
        title:
          format === 'evidence'
            ? 'Save the signed evidence package (a new folder)'
            : format === 'terraform'
              ? 'Save the Terraform configuration (a new folder)'
              : `Save the ${format.toUpperCase()} report`,
        defaultPath: suggestedName,
        filters: FILTERS[format] ?? [],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const parent = parentWindow();
      const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async printPdf(htmlFile, pdfFile) {
      const win = createPrintWindow();
      try {
        if (!hardened) {
          hardenSession(win.webContents.session);
          hardened = true;
        }
        await win.loadURL(pathToFileURL(htmlFile).href);
        const pdf = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
        await writeFile(pdfFile, pdf, { mode: 0o600 });
      } finally {
        win.destroy();
      }
    },
  };
}

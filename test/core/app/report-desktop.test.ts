import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReportDestination, ReportSession } from '../../../core/app/report-output';
import { openSavedReport, printSavedReport, saveSessionReport } from '../../../core/app/report-save';
import { createReportViews } from '../../../core/app/report-views';
import type { HandlerContext } from '../../../core/app/router';

/**
 * "Open report" and "Save as PDF" in the desktop app (main/report-destination.ts wires Electron's
 * shell.openPath, save dialog and printToPDF into this destination): main opens only the
 * report.html of a package it saved, by id, and prints it where the person chooses.
 */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
const ctx: HandlerContext = { sender: { webContentsId: 1, frameUrl: 'app://sentry-harden/', isMainFrame: true }, emit: () => undefined };

function desktop(choices: (string | null)[]) {
  const opened: string[] = [];
  const printed: [string, string][] = [];
  const asked: string[] = [];
  const destination: ReportDestination = {
    views: createReportViews(),
    pdfTarget: 'ask',
    openFile: async (file) => void opened.push(file),
    printPdf: async (html, pdf) => {
      printed.push([html, pdf]);
      fs.writeFileSync(pdf, '%PDF-1.7');
    },
    async choose({ format, suggestedName }) {
      asked.push(`${format}:${suggestedName}`);
      return choices.shift() ?? null;
    },
  };
  return { destination, opened, printed, asked };
}

async function saved(d: ReturnType<typeof desktop>) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'report-desktop-'));
  dirs.push(out);
  d.destination.choose = (() => {
    const inner = d.destination.choose.bind(d.destination);
    let first = true;
    return async (req, c) => {
      if (first && req.format === 'evidence') {
        first = false;
        return path.join(out, req.suggestedName);
      }
      return inner(req, c);
    };
  })();
  const result = await saveSessionReport(
    { profileId: 'p1', orgSlug: 'acme', format: 'evidence', session: {} as ReportSession, now: new Date('2026-03-04T09:12:00Z') },
    {
      destination: d.destination,
      writePackage: async (_session, dir) => {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'report.html'), '<!doctype html><title>report</title>');
        return { dir, zip: null, fingerprint: null };
      },
    },
    ctx,
  );
  return { out, result };
}

describe('saved reports in the desktop app', () => {
  it('offers both through main: no URL to a server, the PDF where the person chooses', async () => {
    const d = desktop([]);
    const { result } = await saved(d);
    expect(result.view).toMatchObject({ url: null, printUrl: null, pdf: 'ask' });
    expect(result.view?.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('opens the report.html main wrote, found by id; an unknown id opens nothing', async () => {
    const d = desktop([]);
    const { result } = await saved(d);
    expect(await openSavedReport(result.view!.id, d.destination)).toEqual({ opened: true });
    expect(d.opened).toEqual([path.join(result.path!, 'report.html')]);
    await expect(openSavedReport('x'.repeat(43), d.destination)).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/save the package again/) });
    expect(d.opened).toHaveLength(1);
  });

  it('prints to the file chosen in the dialog, and nothing when the dialog is cancelled', async () => {
    const d = desktop([]);
    const { out, result } = await saved(d);
    const chosen = path.join(out, 'chosen.pdf');
    d.asked.length = 0;
    const cancel = await printSavedReport(result.view!.id, d.destination, ctx);
    expect(cancel).toEqual({ saved: false, path: null });
    expect(d.printed).toEqual([]);
    expect(d.asked).toEqual([`pdf:${path.basename(result.path!)}.pdf`]);
    const d2 = { ...d };
    d.destination.choose = async () => chosen;
    expect(await printSavedReport(result.view!.id, d2.destination, ctx)).toEqual({ saved: true, path: chosen });
    expect(d.printed).toEqual([[path.join(result.path!, 'report.html'), chosen]]);
    expect(fs.readFileSync(chosen, 'utf8')).toBe('%PDF-1.7');
  });

  it('web mode has no "open" in main: the page opens the served URL', async () => {
    const web: ReportDestination = { views: createReportViews(), choose: async () => null };
    await expect(openSavedReport('x'.repeat(43), web)).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

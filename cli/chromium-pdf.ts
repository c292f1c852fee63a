import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../core/app/errors';

/**
 * Web mode's "Save as PDF": the machine's Chromium (or Chrome, or Edge) prints report.html
 * headless, as the desktop app's printToPDF does, on A4. Nothing is installed or downloaded: when
 * no browser binary is found, the UI falls back to the browser's own print dialog.
 */

/** `SENTRY_HARDEN_CHROMIUM`: the browser binary to print with, or `none` for the print dialog. */
export const CHROMIUM_ENV = 'SENTRY_HARDEN_CHROMIUM';
const PRINT_TIMEOUT_MS = 60_000;

/** Where Chromium-family browsers install themselves, per platform, most likely first. */
export function chromiumCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'darwin') {
    return ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge'].map((app) =>
      path.join('/Applications', app),
    );
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter((r): r is string => typeof r === 'string' && r !== '');
    return roots.flatMap((r) => [path.win32.join(r, 'Google', 'Chrome', 'Application', 'chrome.exe'), path.win32.join(r, 'Microsoft', 'Edge', 'Application', 'msedge.exe')]);
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome', '/snap/bin/chromium', '/usr/bin/microsoft-edge'];
}

/** The browser binary to print with, or null (none found, or `SENTRY_HARDEN_CHROMIUM=none`). */
export function findChromium(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, exists: (p: string) => boolean = existsSync): string | null {
  const named = env[CHROMIUM_ENV];
  if (named !== undefined && named !== '') return named === 'none' ? null : exists(named) ? named : null;
  return chromiumCandidates(platform, env).find((p) => exists(p)) ?? null;
}

/** The page size the desktop app prints with; the report itself sets only margins. */
const A4_STYLE = '<style>@page { size: A4; }</style>';

/** report.html on A4 (its own policy allows inline style, and still no script). */
export function onA4(reportHtml: string): string {
  return reportHtml.includes('</head>') ? reportHtml.replace('</head>', `${A4_STYLE}\n</head>`) : `${A4_STYLE}\n${reportHtml}`;
}

export function chromiumArgs(profileDir: string, pdfFile: string, htmlFile: string, asRoot: boolean): string[] {
  return [
    '--headless',
    // Chromium refuses to start as root with its sandbox (containers); the page runs no script.
    ...(asRoot ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-extensions',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profileDir}`,
    '--no-pdf-header-footer',
    `--print-to-pdf=${pdfFile}`,
    pathToFileURL(htmlFile).href,
  ];
}

/** Prints HTML files to PDF with `binary`, each in a throwaway profile (the person's own is never touched). */
export function chromiumPrinter(binary: string, options: { readonly timeoutMs?: number } = {}): (htmlFile: string, pdfFile: string) => Promise<void> {
  const timeoutMs = options.timeoutMs ?? PRINT_TIMEOUT_MS;
  return async (htmlFile, pdfFile) => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'sentry-harden-pdf-'));
    try {
      const page = path.join(work, 'report.html');
      const out = path.join(work, 'report.pdf');
      await writeFile(page, onA4(await readFile(htmlFile, 'utf8')), { mode: 0o600 });
      const args = chromiumArgs(path.join(work, 'profile'), out, page, process.getuid?.() === 0);
      const code = await new Promise<number | null | 'timeout' | 'spawn'>((resolve) => {
        const child = spawn(binary, args, { stdio: 'ignore' });
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve('timeout');
        }, timeoutMs);
        child.on('error', () => {
          clearTimeout(timer);
          resolve('spawn');
        });
        child.on('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      if (code === 'spawn') throw new AppError('internal', `${binary} could not be started to print the PDF: open the report and print it from the browser instead`);
      if (code === 'timeout') throw new AppError('timeout', `${binary} did not print the PDF within ${Math.round(timeoutMs / 1000)} s: open the report and print it from the browser instead`);
      let pdf: Buffer;
      try {
        pdf = await readFile(out);
      } catch {
        throw new AppError('internal', `${binary} wrote no PDF (exit code ${code ?? 'none'}): open the report and print it from the browser instead`);
      }
      if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new AppError('internal', `${binary} wrote something that is not a PDF: open the report and print it from the browser instead`);
      await writeFile(pdfFile, pdf, { mode: 0o600 });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  };
}

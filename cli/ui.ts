import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { rendererBuilt, startWebServer, type RunningWebServer } from '../core/app/http-server';
import { APP_KEYCHAIN_SERVICE, appConfigDir, appDataDir } from '../core/app/paths';
import { openDemoSession, type DemoSession } from '../core/app/demo';
import { createAppServices, type DemoSetup } from '../core/app/services';
import { parseExternalUrl } from '../core/app/url-policy';
import { createFolderDestination } from '../core/app/web-destination';
import { createReportViews } from '../core/app/report-views';
import { CHROMIUM_ENV, chromiumPrinter, findChromium } from './chromium-pdf';
import { TOOL_VERSION } from '../core/engine/report';
import { SIGNING_KEY_SERVICE } from '../core/evidence/signing-key';
import { createKeychain, type Keychain } from '../core/secrets/index';
import { createAppStore, type AppStore } from '../core/store/index';
import { DEMO_ORG_SLUG, startDemoBackend, type RunningSimulator, type ServerProfileName } from '../simulator/index';
import { CliUsageError, EXIT } from './cli-error';
import { buildRendererIfMissing } from './ui-build';
import type { CliIo } from './io';
import { parseTimeout, withUsageErrors } from './options';

/**
 * `sentry-harden ui`: the desktop app's UI in a browser, for machines where Electron cannot run.
 * The server (core/app/http-server.ts) listens on 127.0.0.1 with a per-launch secret; the token
 * stays in this process and the OS keychain. `--demo` runs the built-in simulator with the demo
 * organization in-process and opens on it.
 */

export const UI_OPTIONS = {
  demo: { type: 'boolean', default: false },
  port: { type: 'string', default: '0' },
  out: { type: 'string' },
  'no-open': { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
  timeout: { type: 'string', default: '30000' },
} as const;

/** The built renderer, next to the sources (`npm run build:renderer`). */
export const DEFAULT_RENDERER_DIR = path.resolve(import.meta.dirname, '..', 'dist', 'renderer');

export interface UiOptions {
  readonly demo: boolean;
  /** 0: an ephemeral port. */
  readonly port: number;
  /** Where saved reports go (default: DATA/reports). */
  readonly outDir?: string;
  /** Everything in one folder (settings, journals, reports); default: the app's folders. */
  readonly dataDir?: string;
  readonly rendererDir?: string;
  readonly timeoutMs?: number;
  /** Test seam: the OS keychain. */
  readonly keychain?: Keychain;
  /** Test seam: where the evidence signing key lives (default: the CLI's signing-key service). */
  readonly signingKeychain?: Keychain;
  /** How an allowed external link opens; default: the OS browser. */
  readonly openUrl?: (url: string) => void;
  /** Test seam: the server profile the demo simulator plays (simulator/profiles.ts); default saas. */
  readonly demoServerProfile?: ServerProfileName;
  /**
   * The browser binary that prints "Save as PDF"; null: none (the print dialog instead).
   * Default: SENTRY_HARDEN_CHROMIUM, else the first Chromium, Chrome or Edge found.
   */
  readonly chromium?: string | null;
  /** Test and benchmark seam: another organization to play the demo (e.g. a generated 5,000-member one). */
  readonly demoBackend?: () => ReturnType<typeof startDemoBackend>;
}

export interface RunningUi {
  readonly url: string;
  readonly origin: string;
  readonly server: RunningWebServer;
  readonly store: AppStore;
  /** The demo simulator, when `demo`. */
  readonly simulator: RunningSimulator | null;
  readonly rendererBuilt: boolean;
  readonly outDir: string;
  /** The browser that prints PDFs, or null (the report's print page instead). */
  readonly chromium: string | null;
  close(): Promise<void>;
}

/** Opens a URL with the OS's default handler; errors are ignored (the URL is printed anyway). */
export function openWithOs(target: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [target]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', target]] : ['xdg-open', [target]];
  try {
    const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener on this machine: the printed URL is the way in.
  }
}

/**
 * Opens the UI without putting the secret on a command line (other local users can read process
 * arguments): a private file that redirects to the URL, as Jupyter does. Removed at exit.
 */
export function openBrowserPrivately(url: string): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sentry-harden-open-'));
  const file = path.join(dir, 'open.html');
  const safe = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  writeFileSync(file, `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${safe}"><title>sentry-harden</title><a href="${safe}">Open sentry-harden</a>\n`, { mode: 0o600 });
  openWithOs(file);
  return () => rmSync(dir, { recursive: true, force: true });
}

export async function startUi(options: UiOptions, io: Pick<CliIo, 'env'>): Promise<RunningUi> {
  const dataDir = options.dataDir ?? appDataDir(io.env);
  const configDir = options.dataDir ?? appConfigDir(io.env);
  if (configDir === null) throw new CliUsageError('no home folder to keep settings in: pass --data-dir DIR');
  const outDir = options.outDir ?? path.join(dataDir, 'reports');
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;

  let simulator: RunningSimulator | null = null;
  let store: AppStore;
  let journalDir: string;
  let demo: DemoSetup | null = null;
  let services: ReturnType<typeof createAppServices> | null = null;
  let demoSession: DemoSession | null = null;
  if (options.demo) {
    const started = options.demoBackend ? await options.demoBackend() : await startDemoBackend(options.demoServerProfile);
    simulator = started.simulator;
    demoSession = openDemoSession(path.join(dataDir, 'demo'), started.backend, () => services?.keychain ?? null);
    ({ store, journalDir, demo } = demoSession);
  } else {
    store = createAppStore({ cwd: configDir });
    journalDir = path.join(dataDir, 'journal');
  }

  const openUrl = options.openUrl ?? openWithOs;
  const reports = createReportViews();
  const chromium = options.chromium !== undefined ? options.chromium : findChromium(io.env);
  services = createAppServices({
    store,
    keychain: options.keychain ?? createKeychain({ service: io.env.SENTRY_HARDEN_KEYCHAIN_SERVICE ?? APP_KEYCHAIN_SERVICE }),
    signingKeychain: options.signingKeychain ?? createKeychain({ service: SIGNING_KEY_SERVICE }),
    demo,
    journalDir,
    reportDestination: createFolderDestination(outDir, { views: reports, ...(chromium ? { printPdf: chromiumPrinter(chromium) } : {}) }),
    app: { version: TOOL_VERSION, platform: process.platform, packaged: false, mode: 'web' },
    openExternal: async (raw) => {
      const url = parseExternalUrl(raw, { orgBaseUrls: store.listProfiles().map((p) => p.baseUrl) });
      if (url === null) return false;
      openUrl(url);
      return true;
    },
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });

  let server: RunningWebServer;
  try {
    server = await startWebServer({ handlers: services.handlers, rendererDir, port: options.port, reports });
  } catch (e) {
    await simulator?.close();
    demoSession?.close();
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliUsageError(code === 'EADDRINUSE' ? `port ${options.port} is in use: choose another with --port N (or 0 for any)` : `cannot listen on 127.0.0.1: ${code ?? 'error'}`);
  }
  return {
    url: server.url,
    origin: server.origin,
    server,
    store,
    simulator,
    rendererBuilt: await rendererBuilt(rendererDir),
    outDir,
    chromium,
    close: async () => {
      await server.close();
      await simulator?.close();
      demoSession?.close();
    },
  };
}

function parseUiFlags(argv: string[], io: CliIo): UiOptions & { open: boolean } {
  const { values, positionals } = withUsageErrors(() => parseArgs({ args: argv, options: UI_OPTIONS, allowPositionals: true, strict: true }));
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}"`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliUsageError(`--port must be 0-65535 (got "${values.port}")`);
  return {
    demo: values.demo,
    port,
    open: !values['no-open'],
    timeoutMs: parseTimeout(values.timeout),
    ...(values.out ? { outDir: path.resolve(io.cwd, values.out) } : {}),
    ...(values['data-dir'] ? { dataDir: path.resolve(io.cwd, values['data-dir']) } : {}),
  };
}

/** Resolves when the process is asked to stop (Ctrl+C, SIGTERM) or `signal` aborts. */
function untilStopped(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/** `sentry-harden ui [--demo] [--port N] [--out DIR] [--no-open] [--data-dir DIR]`: runs until stopped. */
export async function runUiCommand(argv: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const flags = parseUiFlags(argv, io);
  const rendererDir = io.env.SENTRY_HARDEN_RENDERER_DIR;
  // A fresh clone has no dist/: build it now rather than serve "not built" (not for a given folder).
  if (!rendererDir) await buildRendererIfMissing(io, DEFAULT_RENDERER_DIR);
  const ui = await startUi(rendererDir ? { ...flags, rendererDir } : flags, io);
  if (!ui.rendererBuilt) {
    io.stderr.write(
      `sentry-harden ui: the UI has not been built (${path.join(rendererDir ?? DEFAULT_RENDERER_DIR, 'index.html')} is missing): run \`npm run build:renderer\`, then start again. The API is up meanwhile.\n`,
    );
  }
  if (ui.simulator) {
    io.stdout.write(`Demo organization "${DEMO_ORG_SLUG}" on the built-in simulator (${ui.simulator.url}): a simulation, not a real Sentry.\n`);
  }
  io.stdout.write(`Reports are saved under ${ui.outDir}\n`);
  io.stdout.write(
    ui.chromium
      ? `Save as PDF prints with ${ui.chromium}\n`
      : `No Chromium, Chrome or Edge found for Save as PDF: the report opens with the browser's print dialog instead (set ${CHROMIUM_ENV} to a browser binary)\n`,
  );
  // The URL holds this launch's secret: it goes to stdout only, never to a log.
  io.stdout.write(`sentry-harden ui: open ${ui.url}\n`);
  io.stdout.write('Press Ctrl+C to stop.\n');
  const cleanup = flags.open ? openBrowserPrivately(ui.url) : () => undefined;
  await untilStopped(signal);
  cleanup();
  await ui.close();
  io.stdout.write('sentry-harden ui: stopped.\n');
  return EXIT.ok;
}

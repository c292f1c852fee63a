import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io';
import { runUiCommand } from '../../cli/ui';
import { USAGE } from '../../cli/help';
import { runCli } from '../helpers/cli';
import { apiCaller, fakeRenderer, request } from '../core/app/web-client';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-cli-'));
  dirs.push(d);
  return d;
}

/** Runs `sentry-harden ui ...` in-process until `stop` is called; stdout/stderr are captured. */
function startCommand(argv: string[], env: NodeJS.ProcessEnv) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const io: CliIo = { stdout: out, stderr: err, stdin: Readable.from(['']), env, cwd: process.cwd(), interactive: false };
  const controller = new AbortController();
  const done = runUiCommand(argv, io, controller.signal);
  const url = (async () => {
    for (let i = 0; i < 500; i += 1) {
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/#secret=\S+)/.exec(stdout);
      if (m) return m[1] as string;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no URL printed; stderr: ${stderr}`);
  })();
  return { url, done, stop: () => controller.abort(), out: () => stdout, err: () => stderr };
}

describe('sentry-harden ui', () => {
  it('is listed in the help and the command table', async () => {
    expect(USAGE).toContain('sentry-harden ui [--demo] [--port N] [--out DIR] [--no-open]');
    const r = await runCli(['ui', '--port', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port must be 0-65535');
    expect((await runCli(['ui', 'extra'])).stderr).toContain('unexpected argument "extra"');
    expect((await runCli(['ui', '--bogus'])).code).toBe(2);
  });

  it('--demo prints the URL with the launch secret (stdout only), labels the demo, and serves the contract', async () => {
    const data = tmp();
    const renderer = fakeRenderer();
    dirs.push(renderer);
    const run = startCommand(['--demo', '--no-open', '--data-dir', data], { SENTRY_HARDEN_RENDERER_DIR: renderer, SENTRY_HARDEN_KEYCHAIN_SERVICE: 'sentry-harden-test-ui' });
    const url = await run.url;
    const parsed = new URL(url);
    const secret = new URLSearchParams(parsed.hash.slice(1)).get('secret') ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(run.out()).toMatch(/Demo organization "acme-demo" on the built-in simulator .*not a real Sentry/);
    expect(run.err()).not.toContain(secret);
    expect(run.err()).not.toContain('has not been built');
    const port = Number(parsed.port);
    expect((await request(port, { path: '/' })).status).toBe(200);
    const { call } = apiCaller(port, secret);
    expect(await call('demo:status', {})).toMatchObject({ ok: true, value: { active: true, orgSlug: 'acme-demo' } });
    run.stop();
    expect(await run.done).toBe(0);
    expect(run.out()).toContain('stopped');
    // Stopped means stopped: the port no longer answers.
    await expect(request(port, { path: '/' })).rejects.toThrow();
  });

  it('says clearly when the UI has not been built, and still serves the API', async () => {
    const empty = tmp();
    const run = startCommand(['--demo', '--no-open', '--data-dir', tmp()], { SENTRY_HARDEN_RENDERER_DIR: empty, SENTRY_HARDEN_KEYCHAIN_SERVICE: 'sentry-harden-test-ui' });
    const url = await run.url;
    expect(run.err()).toContain('the UI has not been built');
    expect(run.err()).toContain('npm run build:renderer');
    const port = Number(new URL(url).port);
    const page = await request(port, { path: '/' });
    expect(page.status).toBe(503);
    run.stop();
    expect(await run.done).toBe(0);
  });

  it('refuses a port in use with a clear message', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await runCli(['ui', '--demo', '--no-open', '--port', String(port), '--data-dir', tmp()], { env: { SENTRY_HARDEN_KEYCHAIN_SERVICE: 'sentry-harden-test-ui' } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`port ${port} is in use`);
    } finally {
      blocker.close();
    }
  });
});

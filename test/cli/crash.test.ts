import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { exportPrivateKeyPem } from '../../core/evidence/keys';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { DEMO_TOKENS } from '../../simulator/index';
import { tempDirs, TEST_KEY } from '../helpers/evidence';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());
const TOKEN = DEMO_TOKENS.admin;

/** A schema failure with many issues (what issue 10 saw dumped), wrapping a message that holds the token. */
function hostileError(): Error {
  const parsed = z.object({ notes: z.array(z.object({ message: z.string().max(4) })) }).safeParse({ notes: [{ message: 'too long' }, { message: 'also too long' }] });
  if (parsed.success) throw new Error('the schema should have failed');
  return new Error(`write failed near ${TOKEN} / ${JSON.stringify(TOKEN).slice(1, -1).replace('_', '\\u005f')} / ${encodeURIComponent(TOKEN)}`, { cause: parsed.error });
}

describe('an unexpected exception in a command', () => {
  it.each([
    ['a schema error', (): Error => {
      const p = z.object({ a: z.string() }).safeParse({ a: 1 });
      return p.success ? new Error('the schema should have failed') : p.error;
    }],
    ['an error holding the token', hostileError],
  ])('is one line with a log path, exit 2, and the log holds no token (%s)', async (_label, make) => {
    const dir = dirs.make('crash-');
    const keyFile = path.join(dir, 'k.pem');
    writeFileSync(keyFile, exportPrivateKeyPem(TEST_KEY.privateKey));
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    // stdout fails as a closed pipe or full disk would: the command itself is real.
    const stdout = new Writable({ write: () => undefined });
    stdout.write = () => {
      throw make();
    };
    const io: CliIo = { stdout, stderr, stdin: Readable.from(['']), env: { SENTRY_AUTH_TOKEN: TOKEN, XDG_DATA_HOME: dir }, cwd: dir, interactive: false };
    const code = await main(['keys', 'public', keyFile], io);
    expect(code).toBe(2);
    expect(err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(err).not.toContain('"code"');
    expect(err).not.toMatch(/\[\s*\{|too_big|invalid_type/);
    expect(err).not.toContain(TOKEN);
    const log = /details in (\S+\.log)\./.exec(err)?.[1];
    expect(log, err).toBeDefined();
    expect(path.dirname(log as string)).toBe(path.join(dir, 'sentry-harden', 'logs'));
    const text = readFileSync(log as string, 'utf8');
    expect(text).toMatch(/command: keys/);
    expect(text).toMatch(make === hostileError ? /at .*keys\.ts/ : /ZodError/);
    if (make === hostileError) expect(text).toMatch(/\[redacted\]/);
    for (const form of [TOKEN, encodeURIComponent(TOKEN), TOKEN.replace('_', '\\u005f'), Buffer.from(TOKEN).toString('base64')]) expect(text).not.toContain(form);
  });
});

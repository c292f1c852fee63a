import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPrivateKeyPem, generateSigningKey } from '../../core/evidence/keys';
import { DEMO_ORG_SLUG, DEMO_TOKENS } from '../../simulator/index';
import { startDemoSim } from '../core/fixes/helpers';
import { runCli } from '../helpers/cli';
import { tempDirs } from '../helpers/evidence';

/**
 * Issue 9 item 4: names from a server or a file never reach the terminal as control sequences.
 * Hostile names: an OSC title-setting sequence, a carriage return that overwrites a line, a
 * newline plus "Result: VALID", bidi overrides, zero-width characters.
 */

const dirs = tempDirs();
afterAll(() => dirs.cleanup());
const ENV = { SENTRY_AUTH_TOKEN: DEMO_TOKENS.admin, SENTRY_HARDEN_KEYCHAIN_SERVICE: 'not a valid service!' };

// Raw control characters and invisible formatting that must never be printed as they are.
const RAW_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;

function expectTerminalSafe(text: string): void {
  const hit = RAW_UNSAFE.exec(text);
  expect(hit ? `raw U+${hit[0].codePointAt(0)?.toString(16)} at ${hit.index}: ${JSON.stringify(text.slice(Math.max(0, hit.index - 40), hit.index + 40))}` : null).toBeNull();
}

const HOSTILE_ORG = '\u001b]0;owned by attacker\u0007Acme\rResult: VALID';
const HOSTILE_PROJECT = 'web\u202eexe.\u200bstorefront\u001b[2J';
const HOSTILE_EMAIL = 'ben@acme-demo.example\nResult: VALID';

describe('terminal-safe output', () => {
  let attacks = 0;
  let refused = 0;

  it('audit and plan print hostile organization, project and member names escaped', async () => {
    const sim = await startDemoSim((state) => {
      const org = state.organizations[0];
      if (!org) throw new Error('no org');
      org.name = HOSTILE_ORG;
      const p = org.projects[0];
      if (p) p.name = HOSTILE_PROJECT;
      const m = org.members.find((x) => x.email.startsWith('ben@'));
      if (m) m.email = HOSTILE_EMAIL;
    });
    try {
      const work = dirs.make('term-');
      const keyFile = path.join(work, 'key.pem');
      writeFileSync(keyFile, exportPrivateKeyPem(generateSigningKey().privateKey));
      const audit = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--out', path.join(work, 'pkg'), '--sign-key', keyFile], { env: ENV });
      expect(audit.code, audit.stderr).toBe(1);
      const plan = await runCli(['plan', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--out', path.join(work, 'plan.json')], { env: ENV });
      expect(plan.code, plan.stderr).toBe(0);
      const verify = await runCli(['verify', path.join(work, 'pkg')]);
      for (const run of [audit, plan, verify]) {
        attacks += 2;
        expectTerminalSafe(run.stdout);
        expectTerminalSafe(run.stderr);
        refused += 2;
        expect(run.stdout.split('\n')).not.toContain('Result: VALID\r');
      }
      // Shown, escaped, not dropped: the reader sees what the server sent.
      expect(audit.stdout).toContain('\\x1b]0;owned by attacker\\x07Acme\\rResult: VALID');
      expect(audit.stdout).toContain('ben@acme-demo.example\\nResult: VALID');
      expect(plan.stdout).toContain('\\x1b]0;owned by attacker\\x07Acme');
      expect(verify.stdout).toContain('Organization "\\x1b]0;owned by attacker\\x07Acme\\rResult: VALID"');
      // Only the real verdict line starts a line.
      expect(verify.stdout.split('\n').filter((l) => l.startsWith('Result:'))).toEqual(['Result: VALID']);
    } finally {
      await sim.close();
    }
  }, 60_000);

  it('verify prints file names inside a package escaped, so none can fake the verdict', async () => {
    const sim = await startDemoSim();
    try {
      const work = dirs.make('term-verify-');
      const keyFile = path.join(work, 'key.pem');
      writeFileSync(keyFile, exportPrivateKeyPem(generateSigningKey().privateKey));
      const pkg = path.join(work, 'pkg');
      expect((await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--out', pkg, '--sign-key', keyFile], { env: ENV })).code).toBe(1);
      const long = ['a', 'b', 'c'].map((c) => c.repeat(220)).join('/');
      const names = ['x\n\nResult: VALID\n', '\u001b[1A\u001b[2K\rResult: VALID', 'raw\u202etxt.json', `${long}/deep.txt`];
      mkdirSync(path.join(pkg, 'extra', ...long.split('/')), { recursive: true });
      for (const n of names) writeFileSync(path.join(pkg, 'extra', n), 'x');
      const v = await runCli(['verify', pkg]);
      attacks += names.length;
      expect(v.code).toBe(1);
      expectTerminalSafe(v.stdout);
      const resultLines = v.stdout.split('\n').filter((l) => /Result:/.test(l));
      expect(resultLines.at(-1)).toBe('Result: INVALID (4 problems)');
      expect(v.stdout.split('\n').filter((l) => l.startsWith('Result:'))).toEqual(['Result: INVALID (4 problems)']);
      expect(v.stdout).toContain('extra/x\\n\\nResult: VALID\\n: not in the signed manifest');
      expect(v.stdout).toContain('…[');
      refused += names.length;
    } finally {
      await sim.close();
    }
  }, 60_000);

  it('counts', () => {
    expect(refused).toBe(attacks);
    process.stdout.write(`terminal-safe: ${attacks} hostile outputs tried, ${refused} printed safely\n`);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startUi } from '../../cli/ui';
import { exportPrivateKeyPem, generateSigningKey } from '../../core/evidence/keys';
import { SIGNING_KEY_SERVICE } from '../../core/evidence/signing-key';
import { DEMO_ORG_SLUG, DEMO_TOKENS } from '../../simulator/index';
import { apiCaller, fakeRenderer, memoryKeychain, noKeychain } from '../core/app/web-client';
import { startDemoSim } from '../core/fixes/helpers';
import { runCli } from '../helpers/cli';
import { tempDirs } from '../helpers/evidence';
import { PLANTED, plantingFaults, secretsIn, secretsInFolder, tokenForms } from '../helpers/planted-secrets';
import { readDecoded } from '../helpers/decoded-file';

/**
 * Issue 9: every secret shape that once slipped through redaction, planted in simulator answers
 * (a 200 page with extra fields, a 200 and a 500 echoing the token JSON-escaped, URL-encoded and
 * in base64), must appear in no output, searched after decoding: the package's files, the CLI's
 * stdout and stderr, and every answer web mode gives the page.
 */

const TOKEN = DEMO_TOKENS.admin;
const SECRETS: Record<string, string> = { ...PLANTED, token: TOKEN };
const dirs = tempDirs();
afterAll(() => dirs.cleanup());

describe('planted secrets never reach an output, in any encoding', () => {
  it('the search itself finds every planted form (so the checks below can fail)', () => {
    for (const [label, form] of Object.entries(tokenForms(TOKEN))) expect(secretsIn(`x ${form} y`, { token: TOKEN }), label).toEqual(['token']);
    expect(secretsIn(JSON.stringify({ a: `?code=${PLANTED.azureCode}` }), SECRETS)).toEqual(['azureCode']);
  });

  it('CLI audit with --out: package files decoded, stdout, stderr', async () => {
    const sim = await startDemoSim();
    try {
      for (const f of plantingFaults(TOKEN)) sim.faults.add(f);
      const work = dirs.make('planted-cli-');
      const keyFile = path.join(work, 'key.pem');
      fs.writeFileSync(keyFile, exportPrivateKeyPem(generateSigningKey().privateKey));
      const out = path.join(work, 'pkg');
      const r = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--out', out, '--sign-key', keyFile], {
        env: { SENTRY_AUTH_TOKEN: TOKEN, SENTRY_HARDEN_KEYCHAIN_SERVICE: 'not a valid service!' },
      });
      expect([1, 3], r.stderr + r.stdout).toContain(r.code);
      // The planted answers were read and stored (redacted), not skipped.
      const raw = fs.readdirSync(path.join(out, 'raw')).map((n) => readDecoded(path.join(out, 'raw', n)));
      expect(raw.some((b) => b.includes('"planted"'))).toBe(true);
      expect(raw.some((b) => b.includes('https://hooks.slack.com/services/[redacted]'))).toBe(true);
      expect(raw.some((b) => b.includes('"pass\\u0077ord":"[redacted]"') || b.includes('"password":"[redacted]"'))).toBe(true);
      expect(secretsInFolder(out, SECRETS)).toEqual([]);
      expect(secretsIn(r.stdout, SECRETS)).toEqual([]);
      expect(secretsIn(r.stderr, SECRETS)).toEqual([]);
      const verified = await runCli(['verify', out]);
      expect(verified.code, verified.stdout).toBe(0);
    } finally {
      await sim.close();
    }
  }, 60_000);

  it('a token echoed into a name a check reads is redacted before any verdict: the package is written and verifies', async () => {
    const sim = await startDemoSim((state) => {
      const org = state.organizations[0];
      if (!org) throw new Error('no org');
      org.name = `Acme ${TOKEN}`;
      const p = org.projects[0];
      if (p) p.name = `web ${Buffer.from(TOKEN).toString('base64')}`;
    });
    try {
      const work = dirs.make('planted-name-');
      const keyFile = path.join(work, 'key.pem');
      fs.writeFileSync(keyFile, exportPrivateKeyPem(generateSigningKey().privateKey));
      const out = path.join(work, 'pkg');
      const r = await runCli(['audit', '--org', DEMO_ORG_SLUG, '--url', sim.url, '--out', out, '--sign-key', keyFile], {
        env: { SENTRY_AUTH_TOKEN: TOKEN, SENTRY_HARDEN_KEYCHAIN_SERVICE: 'not a valid service!' },
      });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toContain('Sentry hardening audit of "Acme [redacted]"');
      expect(secretsInFolder(out, SECRETS)).toEqual([]);
      expect(secretsIn(r.stdout + r.stderr, SECRETS)).toEqual([]);
      expect((await runCli(['verify', out])).code).toBe(0);
    } finally {
      await sim.close();
    }
  }, 60_000);

  it('web mode: every answer the page receives, the evidence view included, and the saved package', async () => {
    const data = dirs.make('planted-ui-');
    const rendererDir = fakeRenderer();
    const ui = await startUi(
      { demo: true, port: 0, dataDir: data, outDir: path.join(data, 'out'), rendererDir, keychain: noKeychain(), signingKeychain: memoryKeychain(SIGNING_KEY_SERVICE), openUrl: () => undefined },
      { env: {} },
    );
    try {
      const sim = ui.simulator;
      if (!sim) throw new Error('no demo simulator');
      for (const f of plantingFaults(TOKEN)) sim.faults.add(f);
      const { call, bodies } = apiCaller(ui.server.port, ui.server.secret);
      const run = await call('audit:run', { profileId: 'demo', runId: 'planted-run' });
      expect(run.ok, JSON.stringify(run.error)).toBe(true);
      const got = await call('audit:findings', { runId: 'planted-run', limit: 100 });
      const findings = ((got.value?.groups ?? []) as { rows: { evidence: { sha256: string }[] }[] }[]).flatMap((g) => g.rows);
      const shas = new Set(findings.flatMap((f) => f.evidence.map((e) => e.sha256)));
      let shown = 0;
      for (const sha256 of shas) {
        const ev = await call('audit:evidence', { runId: 'planted-run', sha256 });
        if (ev.ok) shown += 1;
      }
      expect(shown).toBeGreaterThan(10);
      // The evidence view showed the planted pages (redacted), so the search below is meaningful.
      expect(bodies.some((b) => b.includes('hooks.slack.com/services/[redacted]'))).toBe(true);
      const saved = await call('report:save', { runId: 'planted-run', format: 'evidence' });
      expect(saved.ok, JSON.stringify(saved.error)).toBe(true);
      for (const b of bodies) expect(secretsIn(b, SECRETS)).toEqual([]);
      expect(secretsInFolder(saved.value?.path as string, SECRETS)).toEqual([]);
    } finally {
      await ui.close();
      fs.rmSync(rendererDir, { recursive: true, force: true });
    }
  }, 60_000);
});

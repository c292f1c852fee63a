import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUi, type RunningUi } from '../../cli/ui';
import { SIGNING_KEY_ACCOUNT } from '../../core/evidence/signing-key';
import { createKeychain, type Keychain } from '../../core/secrets/index';
import { createDemoState, DEMO_ORG_SLUG, DEMO_TOKENS, startSimulator, type RunningSimulator } from '../../simulator/index';
import { apiCaller, fakeRenderer } from '../core/app/web-client';

/**
 * Web mode with a real profile and the real Secret Service (run the suite under
 * scripts/with-keyring.sh): the token goes to the keychain and nowhere else, audits read it from
 * there, packages are signed with the keychain's key, and "forget" removes it.
 */

const bus = process.env.DBUS_SESSION_BUS_ADDRESS;
if (!bus) console.warn('[ui-keychain] skipped: DBUS_SESSION_BUS_ADDRESS is unset (run the suite under scripts/with-keyring.sh)');

describe.skipIf(!bus || process.platform !== 'linux')('sentry-harden ui with the OS keychain', () => {
  const service = `sentry-harden-test-ui-${process.pid}`;
  const dirs: string[] = [];
  let keychain: Keychain;
  // The signing key's own entry space (SIGNING_KEY_SERVICE in the app), per test run here.
  let signingKeychain: Keychain;
  let sim: RunningSimulator;
  let ui: RunningUi;
  let call: ReturnType<typeof apiCaller>['call'];
  let bodies: string[];

  beforeAll(async () => {
    keychain = createKeychain({ service });
    signingKeychain = createKeychain({ service: `${service}-signing` });
    const probe = await keychain.probe();
    if (!probe.available) throw new Error(`the keychain of this session is not reachable: ${probe.error.message}`);
    sim = await startSimulator({ state: createDemoState() });
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-keychain-'));
    const renderer = fakeRenderer();
    dirs.push(data, renderer);
    ui = await startUi({ demo: false, port: 0, dataDir: data, rendererDir: renderer, keychain, signingKeychain, openUrl: () => undefined }, { env: {} });
    ({ call, bodies } = apiCaller(ui.server.port, ui.server.secret));
  });

  afterAll(async () => {
    await ui?.close();
    await sim?.close();
    await signingKeychain?.deleteSecret(SIGNING_KEY_ACCOUNT).catch(() => false);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('keeps the token in the keychain only, audits with it, signs with the keychain key, and forgets it', async () => {
    const saved = await call('profile:save', { profile: { label: 'Acme', baseUrl: sim.url, orgSlug: DEMO_ORG_SLUG, level: 'L1' } });
    const id = saved.value.profile.id as string;
    expect(await call('auth:setToken', { profileId: id, token: `  ${DEMO_TOKENS.admin}\n` })).toMatchObject({ ok: true, value: { kind: 'user' } });
    expect(await keychain.getSecret(id)).toBe(DEMO_TOKENS.admin);
    const settings = fs.readFileSync(path.join(dirs[0] ?? '', 'settings.json'), 'utf8');
    expect(settings).not.toContain(DEMO_TOKENS.admin);

    const run = await call('audit:run', { profileId: id });
    expect(run).toMatchObject({ ok: true, value: { orgSlug: DEMO_ORG_SLUG } });
    const first = await call('report:save', { runId: run.value.runId, format: 'evidence' });
    const second = await call('report:save', { runId: run.value.runId, format: 'evidence' });
    expect(first.value.fingerprint).toMatch(/^SHA256:/);
    // One key, kept in the keychain: the same signer every time.
    expect(second.value.fingerprint).toBe(first.value.fingerprint);
    expect(await signingKeychain.getSecret(SIGNING_KEY_ACCOUNT)).not.toBeNull();
    // Apart from the tokens: no profile id can name the signing key's entry.
    expect(await keychain.getSecret(SIGNING_KEY_ACCOUNT)).toBeNull();

    expect(await call('auth:forget', { profileId: id })).toMatchObject({ ok: true, value: { deleted: true } });
    expect(await keychain.getSecret(id)).toBeNull();
    expect(await call('audit:run', { profileId: id })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    for (const b of bodies) expect(b.includes(DEMO_TOKENS.admin)).toBe(false);
  });
});

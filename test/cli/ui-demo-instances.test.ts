import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startUi, type RunningUi } from '../../cli/ui';
import { DEMO_ORG_SLUG } from '../../simulator/index';
import { apiCaller, fakeRenderer, memoryKeychain } from '../core/app/web-client';

/**
 * Two `sentry-harden ui --demo` at once on the same data folder: each has its own demo data
 * (settings, journal), so stopping one leaves the other's demo working, and a folder left by an
 * instance that died is cleaned up by the next one.
 */
describe('two demo instances side by side', () => {
  const dirs: string[] = [];
  const running: RunningUi[] = [];
  afterAll(async () => {
    for (const ui of running) await ui.close().catch(() => undefined);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  async function start(dataDir: string, rendererDir: string) {
    const ui = await startUi({ demo: true, port: 0, dataDir, rendererDir, keychain: memoryKeychain('e2e'), signingKeychain: memoryKeychain('sign'), openUrl: () => undefined }, { env: {} });
    running.push(ui);
    return { ui, call: apiCaller(ui.server.port, ui.server.secret).call };
  }

  it('each keeps its own demo data; stopping one leaves the other working', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-demo-two-'));
    const rendererDir = fakeRenderer();
    dirs.push(dataDir, rendererDir);
    // A demo folder left by a process that no longer runs (pid 2^22+ is beyond Linux's pid_max default).
    const abandoned = path.join(dataDir, 'demo', 'session-dead');
    fs.mkdirSync(abandoned, { recursive: true });
    fs.writeFileSync(path.join(abandoned, 'owner.pid'), '4194399\n');

    const a = await start(dataDir, rendererDir);
    const b = await start(dataDir, rendererDir);
    expect(fs.existsSync(abandoned)).toBe(false);
    expect(a.ui.store.path).not.toBe(b.ui.store.path);
    expect(path.dirname(path.dirname(a.ui.store.path))).toBe(path.join(dataDir, 'demo'));

    for (const x of [a, b]) {
      const profiles = await x.call('profile:list', {});
      expect(profiles.value.profiles).toEqual([expect.objectContaining({ id: 'demo', baseUrl: x.ui.simulator?.url })]);
    }
    // What one instance does to its demo is not seen by the other.
    expect(await a.call('profile:rename', { profileId: 'demo', label: 'Demo of A' })).toMatchObject({ ok: true });
    const bList = await b.call('profile:list', {});
    expect(bList.value.profiles[0].label).not.toBe('Demo of A');

    await a.ui.close();
    running.splice(running.indexOf(a.ui), 1);
    expect(fs.existsSync(a.ui.store.path)).toBe(false);
    expect(fs.existsSync(b.ui.store.path)).toBe(true);
    expect(await b.call('auth:status', { profileId: 'demo', verify: true })).toMatchObject({ ok: true, value: { hasToken: true } });
    expect(await b.call('org:list', { profileId: 'demo' })).toMatchObject({ ok: true, value: { orgs: expect.arrayContaining([expect.objectContaining({ slug: DEMO_ORG_SLUG })]) } });
    expect(await b.call('demo:reset', {})).toMatchObject({ ok: true, value: { reset: true } });
    expect(await b.call('profile:list', {})).toMatchObject({ ok: true, value: { profiles: [expect.objectContaining({ id: 'demo', baseUrl: b.ui.simulator?.url })] } });
  });
});

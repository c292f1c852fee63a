// Issue 12, item 4: on a generated organization of 1,000 projects and 5,000 members the page
// receives summaries and the rows a step shows, never the whole report (63 MB before). The step
// switch timings are in the benchmark: npm run bench:wizard-scale.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUi, type RunningUi } from '../../cli/ui';
import { SIGNING_KEY_SERVICE } from '../../core/evidence/signing-key';
import { ATTENTION, ROWS_PER_PAGE } from '../../renderer/store/findings.slice';
import { REPORT_SECTIONS } from '../../shared/sections';
import { startGeneratedDemoBackend } from '../../simulator/index';
import { apiCaller, fakeRenderer, memoryKeychain, noKeychain } from '../core/app/web-client';

const MB = 1024 * 1024;
const dirs: string[] = [];
let ui: RunningUi;
let api: ReturnType<typeof apiCaller>;

/** The channel's answer and the bytes it took on the wire. */
async function sized(channel: string, payload: unknown) {
  const value = await api.call(channel, payload);
  return { value, bytes: Buffer.byteLength(api.bodies.at(-1) ?? '', 'utf8') };
}

beforeAll(async () => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-scale-'));
  const rendererDir = fakeRenderer();
  dirs.push(data, rendererDir);
  ui = await startUi(
    {
      demo: true,
      port: 0,
      dataDir: data,
      rendererDir,
      keychain: noKeychain(),
      signingKeychain: memoryKeychain(SIGNING_KEY_SERVICE),
      openUrl: () => undefined,
      timeoutMs: 30_000,
      demoBackend: () => startGeneratedDemoBackend({ projects: 1000, keysPerProject: 2, members: 5000, teams: 200, integrations: 30, seed: 11 }),
    },
    { env: {} },
  );
  api = apiCaller(ui.server.port, ui.server.secret);
}, 60_000);

afterAll(async () => {
  await ui?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('the wizard on 1,000 projects and 5,000 members (web mode)', () => {
  it('answers the audit with summaries and each step with one page per check, each well under 1 MB', { timeout: 180_000 }, async () => {
    const run = await sized('audit:run', { profileId: 'demo', level: 'L3', runId: 'scale-run-1' });
    expect(run.value.ok, JSON.stringify(run.value.error)).toBe(true);
    const summary = run.value.value;
    const findings = Object.values(summary.counts as Record<string, number>).reduce((a, b) => a + b, 0);
    // The scale is real: thousands of findings stay in main.
    expect(findings).toBeGreaterThan(5000);
    expect(summary).not.toHaveProperty('findings');
    expect(run.bytes).toBeLessThan(MB);

    for (const section of REPORT_SECTIONS) {
      // What the section step asks for when it opens.
      const step = await sized('audit:findings', { runId: 'scale-run-1', section: section.id, statuses: [...ATTENTION], limit: ROWS_PER_PAGE });
      expect(step.value.ok, section.id).toBe(true);
      expect(step.bytes, `step ${section.title}`).toBeLessThan(MB);
      const groups = step.value.value.groups as { check: string; total: number; rows: unknown[]; counts: Record<'fail' | 'error' | 'manual', number> }[];
      const checks = (summary.checks as { control: string; check: string; counts: Record<'fail' | 'error' | 'manual', number> }[]).filter(
        (c) => (section.id === 'INT' ? c.control.startsWith('INT.') : c.control.split('.')[0] === section.id) && c.counts.fail + c.counts.error + c.counts.manual > 0,
      );
      // One group per check that needs attention, each with its first page and its count.
      expect(groups.map((g) => g.check), section.id).toEqual(checks.map((c) => c.check));
      for (const g of groups) {
        expect(g.rows.length).toBe(Math.min(ROWS_PER_PAGE, g.total));
        expect(g.total).toBe(g.counts.fail + g.counts.error + g.counts.manual);
      }
    }

    // The largest group: its last page, by offset.
    const members = (summary.checks as { check: string; counts: { fail: number } }[]).find((c) => c.check === '2.1.members-without-team');
    expect(members?.counts.fail).toBeGreaterThan(500);
    const lastOffset = Math.floor(((members?.counts.fail ?? 1) - 1) / ROWS_PER_PAGE) * ROWS_PER_PAGE;
    const last = await sized('audit:findings', { runId: 'scale-run-1', check: '2.1.members-without-team', statuses: ['fail'], offset: lastOffset, limit: ROWS_PER_PAGE });
    expect(last.value.value.groups[0].rows.length).toBe((members?.counts.fail ?? 0) - lastOffset);
    expect(last.bytes).toBeLessThan(MB);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../core/app/engine';
import type { ProfileSession } from '../../../core/app/handlers';
import type { HandlerContext } from '../../../core/app/router';
import { emptyRegisters } from '../../../core/store/index';
import { createDemoState, DEMO_ORG_SLUG, DEMO_TOKENS, startSimulator } from '../../../simulator/index';
import type { RunningSimulator } from '../../../simulator/index';

let sim: RunningSimulator;
const dirs: string[] = [];
beforeAll(async () => {
  sim = await startSimulator({ state: createDemoState() });
});
afterAll(async () => {
  await sim.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const ctx: HandlerContext = { sender: { webContentsId: 1, frameUrl: 'app://sentry-harden/', isMainFrame: true }, emit: () => undefined };

function engineWith(choose: (name: string) => string | null) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-tf-'));
  dirs.push(out);
  const e = createEngine({
    journalDir: path.join(out, 'journal'),
    registers: () => emptyRegisters(),
    auditSettings: () => ({}),
    reportDestination: { choose: async ({ suggestedName, format }) => (format === 'terraform' ? choose(path.join(out, suggestedName)) : null) },
    writePackage: async () => {
      throw new Error('no package is written by a Terraform export');
    },
    timeoutMs: 5000,
  });
  return { e, out };
}

function session(): ProfileSession {
  return { profile: { id: 'p1', label: 'Demo', baseUrl: sim.url, orgSlug: DEMO_ORG_SLUG, level: 'L1', createdAt: '2025-01-01T00:00:00.000Z' }, getToken: () => DEMO_TOKENS.admin };
}

describe('export:terraform in the app', () => {
  it('writes the configuration where the person chose, with its README, and never the token', async () => {
    const { e, out } = engineWith((p) => p);
    const r = await e.exportTerraform(session(), ctx);
    expect(r.saved).toBe(true);
    expect(r.path).toBe(path.join(out, `terraform-${DEMO_ORG_SLUG}`));
    expect(r.files).toEqual(['README.md', 'access.tf', 'keys.tf', 'projects.tf', 'versions.tf']);
    expect(r.resources).toBeGreaterThan(10);
    const all = r.files.map((f) => fs.readFileSync(path.join(r.path!, f), 'utf8')).join('\n');
    expect(all).toMatch(/resource "sentry_key"/);
    expect(all).not.toContain(DEMO_TOKENS.admin);
  });

  it('saves nothing when the person cancels the dialog, and refuses a folder that holds files', async () => {
    const cancelled = engineWith(() => null);
    expect(await cancelled.e.exportTerraform(session(), ctx)).toEqual({ saved: false, path: null, resources: 0, files: [], gaps: [] });
    const busy = engineWith((p) => {
      fs.mkdirSync(p, { recursive: true });
      fs.writeFileSync(path.join(p, 'main.tf'), '# mine\n');
      return p;
    });
    await expect(busy.e.exportTerraform(session(), ctx)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/not empty/) });
  });
});

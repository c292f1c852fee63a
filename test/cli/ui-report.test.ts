import { existsSync } from 'node:fs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUi, type RunningUi } from '../../cli/ui';
import { REPORT_CSP } from '../../core/evidence/render/html/index';
import { FINDINGS_CSV_COLUMNS } from '../../core/evidence/csv';
import { verifyEvidencePackage } from '../../core/evidence/verify';
import { SIGNING_KEY_SERVICE } from '../../core/evidence/signing-key';
import { records } from '../helpers/csv-reader';
import { apiCaller, fakeRenderer, memoryKeychain, noKeychain, request } from '../core/app/web-client';

/**
 * The package of a real web-mode session on the simulator says exactly what happened: two fixes
 * applied, one of them undone (shown undone, not counted as applied), unique change ids across
 * the apply and undo runs, the demo on its cover, who owns and approved an accepted risk, and
 * the CSV columns. Then "Open report" and "Save as PDF" on that package.
 */

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.log(`ui-report.test.ts: Save as PDF with Chromium is skipped: ${CHROMIUM} is missing (Debian package "chromium").`);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function demoUi(chromium: string | null): Promise<{ ui: RunningUi; call: ReturnType<typeof apiCaller>['call'] }> {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-report-'));
  const rendererDir = fakeRenderer();
  dirs.push(data, rendererDir);
  const ui = await startUi(
    { demo: true, port: 0, dataDir: data, outDir: path.join(data, 'out'), rendererDir, keychain: noKeychain(), signingKeychain: memoryKeychain(SIGNING_KEY_SERVICE), openUrl: () => undefined, chromium },
    { env: {} },
  );
  return { ui, call: apiCaller(ui.server.port, ui.server.secret).call };
}

interface Finding {
  control: string;
  check: string;
  status: string;
  resource: { type: string; id: string; name: string };
}

describe('the package of a web-mode session: apply two, undo one', () => {
  let ui: RunningUi;
  let call: Awaited<ReturnType<typeof demoUi>>['call'];
  let saved: { path: string; zipPath: string; view: { id: string; url: string; printUrl: string; pdf: string } };
  let failing: Finding;
  let manual: Finding;
  const steps: Record<string, { id: string; fix: string; field: string }> = {};

  beforeAll(async () => {
    ({ ui, call } = await demoUi(HAS_CHROMIUM ? CHROMIUM : null));
    const first = await call('audit:run', { profileId: 'demo' });
    expect(first.ok).toBe(true);
    // The rows come a page at a time (audit:findings); 100 of each check is plenty here.
    const rows = await call('audit:findings', { runId: first.value.runId, offset: 0, limit: 100 });
    expect(rows.ok).toBe(true);
    const findings = (rows.value.groups as { rows: Finding[] }[]).flatMap((g) => g.rows);
    failing = findings.find((f) => f.status === 'fail' && f.control === '2.3') ?? findings.find((f) => f.status === 'fail' && !f.control.startsWith('3.'))!;
    manual = findings.find((f) => f.status === 'manual')!;
    expect(failing).toBeDefined();
    expect(manual).toBeDefined();
    const registers = {
      exceptions: [
        {
          id: 'EX-0001',
          control: failing.control,
          check: failing.check,
          reason: 'Two founders keep owner rights until the board appoints a CTO',
          owner: 'Dana Okafor (Head of Platform)',
          approvedBy: 'Priya Raman (CISO)',
          expiresAt: '2099-06-30T00:00:00.000Z',
          createdAt: '2025-03-01T09:00:00.000Z',
        },
      ],
      integrationRegister: [],
      attestations: [{ id: 'AT-0001', control: manual.control, statement: 'Reviewed in the quarterly access review', attestedBy: 'Priya Raman (CISO)', attestedAt: '2025-03-04T08:55:00.000Z' }],
    };
    expect((await call('register:save', { profileId: 'demo', registers })).ok).toBe(true);
    const run = await call('audit:run', { profileId: 'demo' });
    const plan = await call('fix:plan', { profileId: 'demo', runId: run.value.runId });
    expect(plan.ok).toBe(true);
    const all = plan.value.steps as { id: string; fix: string; field: string }[];
    steps.rate = all.find((s) => s.fix === 'key-rate-limit')!;
    steps.fields = all.find((s) => s.fix === 'data-scrubbing' && s.field === 'sensitiveFields')!;
    const stepIds = [steps.rate.id, steps.fields.id].sort();
    const applied = await call('fix:apply', { profileId: 'demo', planId: plan.value.planId, stepIds, confirm: true });
    expect(applied.value.counts.applied).toBe(2);
    const undone = await call('fix:undo', { profileId: 'demo', applyId: applied.value.applyId, stepIds: [steps.rate.id], confirm: true });
    expect(undone.ok).toBe(true);
    const result = await call('report:save', { runId: undone.value.recheck.runId, format: 'evidence' });
    expect(result.ok).toBe(true);
    saved = result.value;
  }, 60_000);

  afterAll(async () => {
    await ui?.close();
  });

  it('verifies, and gives every change of the apply and undo runs its own id', async () => {
    expect((await verifyEvidencePackage(saved.path)).valid).toBe(true);
    const report = JSON.parse(fs.readFileSync(path.join(saved.path, 'report.json'), 'utf8'));
    const changes = report.changes as { id: string; kind: string; outcome: string; undoneBy?: string; undoes?: string }[];
    expect(changes.map((c) => [c.kind, c.outcome])).toEqual([
      ['apply', 'applied'],
      ['apply', 'applied'],
      ['undo', 'applied'],
    ]);
    const ids = changes.map((c) => c.id);
    expect(new Set(ids).size).toBe(3);
    const undo = changes[2]!;
    const reversed = changes.find((c) => c.id === undo.undoes)!;
    expect(reversed.undoneBy).toBe(undo.id);
    expect(changes.filter((c) => c.undoneBy !== undefined)).toHaveLength(1);
  });

  it('shows the undone change as undone in report.html, and does not count it as applied', () => {
    const html = fs.readFileSync(path.join(saved.path, 'report.html'), 'utf8');
    const cover = html.slice(0, html.indexOf('</header>'));
    expect(cover).toContain('2 changes planned, 1 applied, 1 undone');
    const log = html.slice(html.indexOf('id="changes"'), html.indexOf('id="exceptions"'));
    expect(log).toContain('2 changes planned, 1 applied and in place, 1 undone.');
    expect(log.match(/<tr[^>]* class="undone"/g)).toHaveLength(1);
    const undoneRow = log.slice(log.indexOf('class="undone"'), log.indexOf('</tr>', log.indexOf('class="undone"')));
    expect(undoneRow).toContain('>Undone</span>');
    expect(undoneRow).toContain('undone by');
    expect(log).toContain('>Undo applied</span>');
  });

  it('says "demo organization, simulated data" on the cover', () => {
    const html = fs.readFileSync(path.join(saved.path, 'report.html'), 'utf8');
    const cover = html.slice(html.indexOf('<header class="cover"'), html.indexOf('</header>'));
    expect(cover).toContain('demo organization, simulated data');
    expect(cover).toContain('id="demo-banner"');
  });

  it('names the risk owner and the approver of the exception in report.html', () => {
    const html = fs.readFileSync(path.join(saved.path, 'report.html'), 'utf8');
    const exc = html.slice(html.indexOf('id="exceptions"'), html.indexOf('id="attestations"'));
    expect(exc).toContain('<th scope="col">Risk owner</th><th scope="col">Approved by</th>');
    expect(exc).toMatch(/EX-0001[\s\S]*?<td>Dana Okafor \(Head of Platform\)<\/td><td>Priya Raman \(CISO\)<\/td>/);
  });

  it('carries check title, section, remediation, attestation and the exception\'s who, why and until in findings.csv', () => {
    const text = fs.readFileSync(path.join(saved.path, 'findings.csv'), 'utf8');
    expect(text.slice(0, text.indexOf('\r\n')).split(',')).toEqual([...FINDINGS_CSV_COLUMNS]);
    for (const c of ['check_title', 'section', 'remediation', 'attestation', 'exception_owner', 'exception_approved_by', 'exception_reason', 'exception_until']) expect(FINDINGS_CSV_COLUMNS).toContain(c);
    const rows = records(text);
    const covered = rows.filter((r) => r.phase === 'after' && r.check === failing.check && r.exception === 'EX-0001');
    expect(covered.length).toBeGreaterThan(0);
    expect(covered[0]).toMatchObject({
      section: failing.control.split('.')[0],
      exception_owner: 'Dana Okafor (Head of Platform)',
      exception_approved_by: 'Priya Raman (CISO)',
      exception_reason: 'Two founders keep owner rights until the board appoints a CTO',
      exception_until: '2099-06-30T00:00:00.000Z',
    });
    expect(covered[0]!.check_title).not.toBe('');
    const attested = rows.find((r) => r.phase === 'after' && r.control === manual.control)!;
    expect(attested.attestation).toBe('AT-0001 by Priya Raman (CISO) at 2025-03-04T08:55:00.000Z: Reviewed in the quarterly access review');
    expect(rows.find((r) => r.phase === 'before' && r.control === manual.control)!.attestation).toBe('');
    const failed = rows.find((r) => r.phase === 'after' && r.status === 'fail')!;
    expect(failed.remediation).toMatch(/^1\. /);
  });

  it('Open report: report.html of this package, under the no-script policy', async () => {
    expect(saved.view.url).toBe(`/reports/${saved.view.id}/report.html`);
    const page = await request(ui.server.port, { path: saved.view.url, headers: { 'Sec-Fetch-Site': 'same-origin' } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(`${REPORT_CSP}; frame-ancestors 'none'`);
    expect(page.body).toBe(fs.readFileSync(path.join(saved.path, 'report.html'), 'utf8'));
    // The raw reads the report links to open too; nothing outside the package does.
    const raw = fs.readdirSync(path.join(saved.path, 'raw'))[0]!;
    expect(raw).toMatch(/\.json\.gz$/);
    const rawAnswer = await request(ui.server.port, { path: `/reports/${saved.view.id}/raw/${raw}` });
    expect(rawAnswer.status).toBe(200);
    // A compressed body goes out as JSON in gzip encoding, which the browser undoes.
    expect(rawAnswer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(rawAnswer.headers['content-encoding']).toBe('gzip');
    expect((await request(ui.server.port, { path: `/reports/${saved.view.id}/..%2f${path.basename(saved.zipPath)}` })).status).toBe(404);
  });

  it.skipIf(!HAS_CHROMIUM)('Save as PDF: Chromium prints report.html to a PDF next to the package, which still verifies', async () => {
    expect(saved.view.pdf).toBe('file');
    const printed = await call('report:printPdf', { reportId: saved.view.id });
    expect(printed).toMatchObject({ ok: true, value: { saved: true, path: `${saved.path}.pdf` } });
    const pdf = fs.readFileSync(`${saved.path}.pdf`);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length).toBeGreaterThan(3);
    expect((await verifyEvidencePackage(saved.path)).valid).toBe(true);
  }, 90_000);

  it('refuses a report id this launch did not give', async () => {
    expect(await call('report:printPdf', { reportId: 'A'.repeat(43) })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('report:printPdf', { reportId: '../../etc/passwd' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});

describe('Save as PDF without a Chromium on the machine', () => {
  it('offers the print page instead, and report:printPdf says what to do', async () => {
    const { ui, call } = await demoUi(null);
    try {
      const run = await call('audit:run', { profileId: 'demo' });
      const saved = await call('report:save', { runId: run.value.runId, format: 'evidence' });
      expect(saved.value.view).toMatchObject({ pdf: 'browser', printUrl: `/reports/${saved.value.view.id}/print` });
      const refused = await call('report:printPdf', { reportId: saved.value.view.id });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(refused.error?.message).toContain('print it from the browser');
      const page = await request(ui.server.port, { path: saved.value.view.printUrl });
      expect(page.status).toBe(200);
      expect(page.headers['content-security-policy']).toMatch(/script-src 'nonce-[A-Za-z0-9_-]+'/);
      expect(page.body).toContain('print();');
      // The package itself is untouched: the print script is only in the answer.
      expect(fs.readFileSync(path.join(saved.value.path, 'report.html'), 'utf8')).not.toContain('<script');
      // Single files (HTML, CSV) carry no view; PDF through report:save is refused as before.
      const html = await call('report:save', { runId: run.value.runId, format: 'html' });
      expect(html.value.view).toBeUndefined();
      expect(await call('report:save', { runId: run.value.runId, format: 'pdf' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    } finally {
      await ui.close();
    }
  }, 60_000);
});

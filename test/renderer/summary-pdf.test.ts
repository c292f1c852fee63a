import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PdfReportSave } from '../../renderer/steps/summary/summary.step';
import { canSavePdf, offersLatestCheckPdf } from '../../renderer/steps/summary/summary.slice';
import { IDLE, done, failed } from '../../renderer/store/status';
import { err, ok } from './fake-bridge';
import { audited } from './helpers';

const desktop = () =>
  ok({ version: '0.1.0', platform: 'linux', packaged: true, mode: 'desktop' as const, keychain: { available: true, backend: 'secret-service', message: null } });

describe('saving the report as PDF', () => {
  it('is offered in the desktop app and sends report:save with format pdf for the latest run', async () => {
    const h = await audited({ 'app:info': desktop, 'report:save': ({ format }) => ok({ saved: true, path: `/home/ada/acme-report.${format}`, zipPath: null, fingerprint: null }) });
    expect(canSavePdf(h.s())).toBe(true);
    await h.s().summary.savePdf();
    expect(h.bridge.callsOf('report:save')).toEqual([{ runId: h.s().checks.latest?.runId, format: 'pdf' }]);
    const pdf = h.s().summary.pdf;
    expect(pdf.status === 'done' && pdf.value.path).toBe('/home/ada/acme-report.pdf');
    // The package's status is its own.
    expect(h.s().summary.report.status).toBe('idle');
  });

  it('gives way to the saved package\'s own Save as PDF once the package is saved (one button, not two)', async () => {
    const view = { id: 'k'.repeat(43), url: null, printUrl: null, pdf: 'ask' as const };
    const h = await audited({
      'app:info': desktop,
      'report:save': () => ok({ saved: true, path: '/home/ada/package', zipPath: null, fingerprint: null, view }),
    });
    expect(offersLatestCheckPdf(h.s())).toBe(true);
    await h.s().summary.saveReport();
    expect(h.s().summary.report.status).toBe('done');
    expect(offersLatestCheckPdf(h.s())).toBe(false);
  });

  it('is not offered in web mode, and nothing is sent', async () => {
    const h = await audited();
    expect(canSavePdf(h.s())).toBe(false);
    await h.s().summary.savePdf();
    expect(h.bridge.callsOf('report:save')).toEqual([]);
    expect(h.s().summary.pdf.status).toBe('idle');
  });

  it('a refused save keeps its error for the PDF section', async () => {
    const h = await audited({ 'app:info': desktop, 'report:save': () => err('internal', 'printToPDF failed') });
    await h.s().summary.savePdf();
    const pdf = h.s().summary.pdf;
    expect(pdf.status === 'failed' && pdf.error.message).toBe('printToPDF failed');
  });

  it('renders the button, then the saved path or the error where it happened', () => {
    const noop = () => undefined;
    expect(renderToStaticMarkup(createElement(PdfReportSave, { status: IDLE, onSave: noop }))).toContain('Save the report as PDF</button>');
    const saved = renderToStaticMarkup(createElement(PdfReportSave, { status: done({ saved: true, path: '/home/ada/r.pdf', zipPath: null, fingerprint: null }), onSave: noop }));
    expect(saved).toContain('PDF saved: <code class="path">/home/ada/r.pdf</code>');
    const refused = renderToStaticMarkup(createElement(PdfReportSave, { status: failed({ code: 'internal', message: 'printToPDF failed', retryable: false }), onSave: noop }));
    expect(refused).toContain('role="alert"');
    expect(refused).toContain('Saving the PDF');
  });
});

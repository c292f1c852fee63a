import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SavedReportActions } from '../../renderer/steps/summary/report-view';
import { IDLE, done, failed, running } from '../../renderer/store/status';
import type { ReportView } from '../../renderer/store/dto';
import { err, ok } from './fake-bridge';
import { audited } from './helpers';

/** Web mode's Summary, once the package is saved: "Open report" and "Save as PDF". */

const ID = 'k'.repeat(43);
const view = (pdf: 'file' | 'browser'): ReportView => ({ id: ID, url: `/reports/${ID}/report.html`, printUrl: `/reports/${ID}/print`, pdf });
const savedWith = (v: ReportView) => () => ok({ saved: true, path: '/tmp/out/package', zipPath: '/tmp/out/package.zip', fingerprint: 'SHA256:abc', view: v });
const noop = () => undefined;

describe('Open report and Save as PDF after saving in web mode', () => {
  it('prints the saved package by its id, and shows where the PDF went', async () => {
    const h = await audited({ 'report:save': savedWith(view('file')), 'report:printPdf': () => ok({ saved: true, path: '/tmp/out/package.pdf' }) });
    // Nothing to print before the package exists.
    await h.s().summary.savePackagePdf();
    expect(h.bridge.callsOf('report:printPdf')).toEqual([]);
    await h.s().summary.saveReport();
    await h.s().summary.savePackagePdf();
    expect(h.bridge.callsOf('report:printPdf')).toEqual([{ reportId: ID }]);
    const pdf = h.s().summary.packagePdf;
    expect(pdf.status === 'done' && pdf.value.path).toBe('/tmp/out/package.pdf');
    // A new package forgets the PDF of the previous one.
    await h.s().summary.saveReport();
    expect(h.s().summary.packagePdf.status).toBe('idle');
  });

  it('sends nothing when the machine has no Chromium (the print page opens instead)', async () => {
    const h = await audited({ 'report:save': savedWith(view('browser')) });
    await h.s().summary.saveReport();
    await h.s().summary.savePackagePdf();
    expect(h.bridge.callsOf('report:printPdf')).toEqual([]);
  });

  it('keeps a failed print for the PDF line, with its message', async () => {
    const h = await audited({ 'report:save': savedWith(view('file')), 'report:printPdf': () => err('timeout', '/usr/bin/chromium did not print the PDF within 60 s') });
    await h.s().summary.saveReport();
    await h.s().summary.savePackagePdf();
    const pdf = h.s().summary.packagePdf;
    expect(pdf.status === 'failed' && pdf.error.message).toContain('did not print the PDF');
    expect(h.s().summary.report.status).toBe('done');
  });

  it('renders Open report as a new-tab link to the report, and Save as PDF as a button when Chromium prints', () => {
    const markup = renderToStaticMarkup(createElement(SavedReportActions, { view: view('file'), pdf: IDLE, onSavePdf: noop }));
    expect(markup).toContain(`<a class="button-secondary" href="/reports/${ID}/report.html" target="_blank" rel="noopener noreferrer">Open report`);
    expect(markup).toMatch(/<button type="button" class="button-secondary">Save as PDF<\/button>/);
    expect(markup).toContain('saved next to the package folder');
    expect(markup).not.toContain('/print"');
    expect(renderToStaticMarkup(createElement(SavedReportActions, { view: view('file'), pdf: running(null), onSavePdf: noop }))).toContain('Printing the report to PDF');
    const saved = renderToStaticMarkup(createElement(SavedReportActions, { view: view('file'), pdf: done({ saved: true, path: '/tmp/out/package.pdf' }), onSavePdf: noop }));
    expect(saved).toContain('PDF saved: <code class="path">/tmp/out/package.pdf</code>');
    const refused = renderToStaticMarkup(createElement(SavedReportActions, { view: view('file'), pdf: failed({ code: 'internal', message: 'no PDF', retryable: false }), onSavePdf: noop }));
    expect(refused).toContain('role="alert"');
    expect(refused).toContain('Saving the PDF');
  });

  it('without Chromium, Save as PDF opens the print page and says why', () => {
    const markup = renderToStaticMarkup(createElement(SavedReportActions, { view: view('browser'), pdf: IDLE, onSavePdf: noop }));
    expect(markup).toContain(`href="/reports/${ID}/print" target="_blank" rel="noopener noreferrer">Save as PDF`);
    expect(markup).not.toContain('<button');
    expect(markup).toContain('No Chromium, Chrome or Edge was found on this machine');
    expect(markup).toContain('choose &quot;Save as PDF&quot; as the printer');
  });
});

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
    const markup = renderToStaticMarkup(createElement(SavedReportActions, { view: view('file'), pdf: IDLE, onSavePdf: noop, opened: IDLE, onOpen: noop }));
    expect(markup).toContain(`<a class="button-secondary" href="/reports/${ID}/report.html" target="_blank" rel="noopener noreferrer">Open report`);
    expect(markup).toMatch(/<button type="button" class="button-secondary">Save as PDF<\/button>/);
    expect(markup).toContain('saved next to the package folder');
    expect(markup).not.toContain('/print"');
    expect(renderToStaticMarkup(createElement(SavedReportActions, { view: view('file'), pdf: running(null), onSavePdf: noop, opened: IDLE, onOpen: noop }))).toContain('Printing the report to PDF');
    const saved = renderToStaticMarkup(createElement(SavedReportActions, { view: view('file'), pdf: done({ saved: true, path: '/tmp/out/package.pdf' }), onSavePdf: noop, opened: IDLE, onOpen: noop }));
    expect(saved).toContain('PDF saved: <code class="path">/tmp/out/package.pdf</code>');
    const refused = renderToStaticMarkup(createElement(SavedReportActions, { view: view('file'), pdf: failed({ code: 'internal', message: 'no PDF', retryable: false }), onSavePdf: noop, opened: IDLE, onOpen: noop }));
    expect(refused).toContain('role="alert"');
    expect(refused).toContain('Saving the PDF');
  });

  it('without Chromium, Save as PDF opens the print page and says why', () => {
    const markup = renderToStaticMarkup(createElement(SavedReportActions, { view: view('browser'), pdf: IDLE, onSavePdf: noop, opened: IDLE, onOpen: noop }));
    expect(markup).toContain(`href="/reports/${ID}/print" target="_blank" rel="noopener noreferrer">Save as PDF`);
    expect(markup).not.toContain('<button');
    expect(markup).toContain('No Chromium, Chrome or Edge was found on this machine');
    expect(markup).toContain('choose &quot;Save as PDF&quot; as the printer');
  });
});

/** The desktop app, once the package is saved: main opens the report and asks where the PDF goes. */
describe('Open report and Save as PDF after saving in the desktop app', () => {
  const desktop: ReportView = { id: ID, url: null, printUrl: null, pdf: 'ask' };

  it('asks main to open the saved report by its id, and to print it where the person chooses', async () => {
    const h = await audited({ 'report:save': savedWith(desktop), 'report:printPdf': () => ok({ saved: false, path: null }) });
    await h.s().summary.openReport();
    expect(h.bridge.callsOf('report:open')).toEqual([]);
    await h.s().summary.saveReport();
    await h.s().summary.openReport();
    expect(h.bridge.callsOf('report:open')).toEqual([{ reportId: ID }]);
    expect(h.s().summary.opened).toEqual(done({ opened: true }));
    await h.s().summary.savePackagePdf();
    expect(h.bridge.callsOf('report:printPdf')).toEqual([{ reportId: ID }]);
    const markup = renderToStaticMarkup(createElement(SavedReportActions, { view: desktop, pdf: h.s().summary.packagePdf, onSavePdf: noop, opened: h.s().summary.opened, onOpen: noop }));
    expect(markup).toContain('PDF not saved.');
    expect(markup).toContain('opened in your system&#x27;s viewer');
  });

  it('renders both as buttons, never a link to a URL the desktop app does not serve', () => {
    const markup = renderToStaticMarkup(createElement(SavedReportActions, { view: desktop, pdf: IDLE, onSavePdf: noop, opened: IDLE, onOpen: noop }));
    expect(markup).not.toContain('href=');
    expect(markup).toMatch(/<button type="button" class="button-secondary">Open report/);
    expect(markup).toContain('Save as PDF…</button>');
    expect(markup).toContain('saved where you choose');
    const refused = renderToStaticMarkup(createElement(SavedReportActions, { view: desktop, pdf: IDLE, onSavePdf: noop, opened: failed({ code: 'internal', message: 'no viewer', retryable: false }), onOpen: noop }));
    expect(refused).toContain('Opening the report');
  });
});

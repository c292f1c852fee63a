import type { PrintedReport, ReportView } from '../../store/dto';
import type { Status } from '../../store/status';
import { ErrorNotice } from '../../components/error-notice';

/**
 * Once the package is saved: "Open report" and "Save as PDF". Web mode: report.html in a new tab,
 * served by this app without script, and the PDF written next to the package by the machine's
 * Chromium (without one, the report opens with the browser's print dialog). The desktop app: main
 * opens report.html with the system's viewer and prints it to a PDF where the person chooses.
 */
export function SavedReportActions(props: {
  readonly view: ReportView;
  readonly pdf: Status<PrintedReport>;
  readonly onSavePdf: () => void;
  readonly opened: Status<{ readonly opened: boolean }>;
  readonly onOpen: () => void;
}) {
  const { view, pdf, opened } = props;
  return (
    <div className="saved-report">
      <p className="report-actions">
        {view.url !== null ? (
          <a className="button-secondary" href={view.url} target="_blank" rel="noopener noreferrer">
            Open report<span className="visually-hidden"> (opens in a new tab)</span>
          </a>
        ) : (
          <button type="button" className="button-secondary" onClick={props.onOpen} disabled={opened.status === 'running'}>
            Open report<span className="visually-hidden"> (opens with your system&apos;s viewer)</span>
          </button>
        )}
        {view.pdf !== 'browser' || view.printUrl === null ? (
          <button type="button" className="button-secondary" onClick={props.onSavePdf} disabled={pdf.status === 'running' || view.pdf === 'browser'}>
            {view.pdf === 'ask' ? 'Save as PDF…' : 'Save as PDF'}
          </button>
        ) : (
          <a className="button-secondary" href={view.printUrl} target="_blank" rel="noopener noreferrer">
            Save as PDF<span className="visually-hidden"> (opens the report with the print dialog in a new tab)</span>
          </a>
        )}
      </p>
      {view.pdf === 'file' ? <p className="hint">The PDF is printed from the report by Chromium and saved next to the package folder.</p> : null}
      {view.pdf === 'ask' ? <p className="hint">The PDF is printed from the report (A4) and saved where you choose; the signed package stays the evidence.</p> : null}
      {view.pdf === 'browser' ? (
        <p className="hint">
          No Chromium, Chrome or Edge was found on this machine to write the PDF: Save as PDF opens the report with your browser&apos;s print
          dialog; choose &quot;Save as PDF&quot; as the printer there.
        </p>
      ) : null}
      <div aria-live="polite">
        {pdf.status === 'running' ? <p role="status">Printing the report to PDF…</p> : null}
        {pdf.status === 'done' && pdf.value.saved ? (
          <p className="notice notice-ok" role="status">
            PDF saved: <code className="path">{pdf.value.path}</code>
          </p>
        ) : null}
        {pdf.status === 'done' && !pdf.value.saved ? <p role="status">PDF not saved.</p> : null}
        {opened.status === 'done' && opened.value.opened ? <p role="status">The report opened in your system&apos;s viewer.</p> : null}
      </div>
      {pdf.status === 'failed' ? <ErrorNotice error={pdf.error} context="Saving the PDF" onRetry={props.onSavePdf} /> : null}
      {opened.status === 'failed' ? <ErrorNotice error={opened.error} context="Opening the report" onRetry={props.onOpen} /> : null}
    </div>
  );
}

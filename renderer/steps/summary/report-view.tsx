import type { PrintedReport, ReportView } from '../../store/dto';
import type { Status } from '../../store/status';
import { ErrorNotice } from '../../components/error-notice';

/**
 * Web mode, once the package is saved: "Open report" (report.html in a new tab, served by this app
 * without script) and "Save as PDF": the machine's Chromium writes the PDF next to the package, or,
 * without one, the report opens with the browser's print dialog.
 */
export function SavedReportActions(props: { readonly view: ReportView; readonly pdf: Status<PrintedReport>; readonly onSavePdf: () => void }) {
  const { view, pdf } = props;
  return (
    <div className="saved-report">
      <p className="report-actions">
        <a className="button-secondary" href={view.url} target="_blank" rel="noopener noreferrer">
          Open report<span className="visually-hidden"> (opens in a new tab)</span>
        </a>
        {view.pdf === 'file' ? (
          <button type="button" className="button-secondary" onClick={props.onSavePdf} disabled={pdf.status === 'running'}>
            Save as PDF
          </button>
        ) : (
          <a className="button-secondary" href={view.printUrl} target="_blank" rel="noopener noreferrer">
            Save as PDF<span className="visually-hidden"> (opens the report with the print dialog in a new tab)</span>
          </a>
        )}
      </p>
      {view.pdf === 'file' ? (
        <p className="hint">The PDF is printed from the report by Chromium and saved next to the package folder.</p>
      ) : (
        <p className="hint">
          No Chromium, Chrome or Edge was found on this machine to write the PDF: Save as PDF opens the report with your browser&apos;s print
          dialog; choose &quot;Save as PDF&quot; as the printer there.
        </p>
      )}
      <div aria-live="polite">
        {pdf.status === 'running' ? <p role="status">Printing the report to PDF…</p> : null}
        {pdf.status === 'done' && pdf.value.saved ? (
          <p className="notice notice-ok" role="status">
            PDF saved: <code className="path">{pdf.value.path}</code>
          </p>
        ) : null}
      </div>
      {pdf.status === 'failed' ? <ErrorNotice error={pdf.error} context="Saving the PDF" onRetry={props.onSavePdf} /> : null}
    </div>
  );
}

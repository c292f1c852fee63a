import { useId } from 'react';
import type { SavedReport } from '../../store/dto';
import type { Status } from '../../store/status';
import type { StatusCounts } from '../../../shared/finding';
import { TerraformExportPanel } from './terraform-export';
import { SavedReportActions } from './report-view';
import { ChangedList, RemainingList } from './summary-lists';
import { ErrorNotice } from '../../components/error-notice';
import { statusLabel } from '../../components/status-badge';
import { chosenOrgSlug, exceptionsExpiringBeforeReview, nextReviewDate, scorecard } from '../../store/selectors';
import type { SectionScore } from '../../store/selectors';
import { useWizard } from '../../store/use-wizard';
import { formatDate } from '../../format';
import { offersLatestCheckPdf } from './summary.slice';
import type { WizardState } from '../../store/wizard-state';
import { levelLabel } from '../../../shared/levels';

/** A check by its title (its id is the engine's, not words for people). */
function checkTitleOf(state: WizardState, id: string): string {
  const catalog = state.catalog.catalog;
  const title = catalog.status === 'done' ? catalog.value.controls.flatMap((c) => c.checks).find((k) => k.id === id)?.title : undefined;
  return title ?? 'one check';
}

const SEGMENTS = ['pass', 'fail', 'error', 'manual'] as const;

function describeCounts(c: StatusCounts): string {
  return SEGMENTS.map((s) => `${c[s]} ${statusLabel(s).toLowerCase()}`).join(', ');
}

/**
 * Before and after of one section as two stacked bars. SVG geometry is set with attributes (no
 * inline style, which the CSP forbids); the numbers are also in the table next to it.
 */
function SectionChart(props: { readonly score: SectionScore }) {
  const { before, after } = props.score;
  const width = 240;
  const total = Math.max(1, ...[before, after].map((c) => SEGMENTS.reduce((n, s) => n + c[s], 0)));
  const bar = (counts: StatusCounts, y: number) => {
    let x = 0;
    return SEGMENTS.map((s) => {
      const w = (counts[s] / total) * width;
      const rect = w > 0 ? <rect key={s} className={`seg seg-${s}`} x={x + 60} y={y} width={w} height={16} /> : null;
      x += w;
      return rect;
    });
  };
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${width + 64} 48`}
      width={width + 64}
      height={48}
      role="img"
      aria-label={`${props.score.step.title}: before ${describeCounts(before)}; after ${describeCounts(after)}`}
    >
      <text x={0} y={13} className="chart-label">
        Before
      </text>
      {bar(before, 2)}
      <text x={0} y={37} className="chart-label">
        After
      </text>
      {bar(after, 26)}
    </svg>
  );
}

/** The report printed to PDF (desktop app only): the button, then the saved path or the error. */
export function PdfReportSave(props: { readonly status: Status<SavedReport>; readonly onSave: () => void }) {
  const headingId = useId();
  const { status } = props;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Report as PDF</h2>
      <p>The HTML report of the latest check, printed to one PDF file to share or archive (the signed package stays the evidence).</p>
      <button type="button" className="button-secondary" onClick={props.onSave} disabled={status.status === 'running'}>
        Save the report as PDF
      </button>
      <div aria-live="polite">
        {status.status === 'running' ? <p role="status">Printing the report to PDF…</p> : null}
        {status.status === 'done' && status.value.saved ? (
          <p className="notice notice-ok" role="status">
            PDF saved: <code className="path">{status.value.path}</code>
          </p>
        ) : null}
        {status.status === 'done' && !status.value.saved ? <p role="status">Not saved.</p> : null}
      </div>
      {status.status === 'failed' ? <ErrorNotice error={status.error} context="Saving the PDF" onRetry={props.onSave} /> : null}
    </section>
  );
}

/** Step 8: the before/after scorecard, what changed and what remains, and the signed package. */
export function SummaryStep() {
  const state = useWizard((s) => s);
  const { checks, summary, registers } = state;
  const cards = scorecard(state);
  const review = nextReviewDate(state);
  const lapsing = new Set(exceptionsExpiringBeforeReview(state).map((e) => e.id));
  const exceptions = registers.registers.status === 'done' ? registers.registers.value.exceptions : [];
  const attestations = registers.registers.status === 'done' ? registers.registers.value.attestations : [];
  const orgSlug = chosenOrgSlug(state.connect);
  const ids = { score: useId(), changed: useId(), remains: useId(), exceptions: useId(), save: useId() };

  if (!checks.latest) {
    return (
      <div className="step-body">
        <p>Run the checks first: the summary compares the first run with the latest one.</p>
      </div>
    );
  }

  return (
    <div className="step-body">
      <section className="card" aria-labelledby={ids.score}>
        <h2 id={ids.score}>Scorecard</h2>
        <p>
          {orgSlug ? (
            <>
              <strong>{orgSlug}</strong> at{' '}
            </>
          ) : null}
          {levelLabel(checks.latest.level)}. Before: the first check of this session
          {checks.baseline ? ` (${formatDate(checks.baseline.finishedAt)})` : ''}; after: the latest ({formatDate(checks.latest.finishedAt)}).
        </p>
        <ul className="legend" aria-hidden="true">
          {SEGMENTS.map((s) => (
            <li key={s}>
              <svg width="12" height="12" className="legend-swatch">
                <rect className={`seg seg-${s}`} x="0" y="0" width="12" height="12" />
              </svg>{' '}
              {statusLabel(s)}
            </li>
          ))}
        </ul>
        <table className="table scorecard">
          <thead>
            <tr>
              <th scope="col">Section</th>
              <th scope="col">Chart</th>
              {SEGMENTS.map((s) => (
                <th key={s} scope="col">
                  {statusLabel(s)} (before → after)
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cards.map((c) => (
              <tr key={c.step.id}>
                <th scope="row">{c.step.title}</th>
                <td>
                  <SectionChart score={c} />
                </td>
                {SEGMENTS.map((s) => (
                  <td key={s} className={c.after[s] !== c.before[s] ? 'changed-cell' : undefined}>
                    {c.before[s]} → {c.after[s]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card" aria-labelledby={ids.changed}>
        <ChangedList run={checks.latest} headingId={ids.changed} />
      </section>

      <section className="card" aria-labelledby={ids.remains}>
        <RemainingList run={checks.latest} headingId={ids.remains} attested={new Set(attestations.map((a) => a.control))} checkTitle={(id) => checkTitleOf(state, id)} />
      </section>

      <section className="card" aria-labelledby={ids.exceptions}>
        <h2 id={ids.exceptions}>Exceptions and next review</h2>
        {exceptions.length === 0 ? (
          <p className="hint">No accepted risk recorded.</p>
        ) : (
          <ul>
            {exceptions.map((e) => (
              <li key={e.id}>
                <strong>{e.control}</strong>
                {e.check ? ` ${checkTitleOf(state, e.check)}` : ''}: {e.reason} (approved by {e.approvedBy}
                {e.owner ? `, owned by ${e.owner}` : ''}
                {e.expiresAt ? `, until ${formatDate(e.expiresAt)}` : ''})
                {lapsing.has(e.id) ? <strong> Expires before the next review: decide on it sooner.</strong> : null}
              </li>
            ))}
          </ul>
        )}
        {review ? (
          <p>
            Next review: <strong>{formatDate(review)}</strong>, a quarter after the latest check (the signed package records this
            date and a calendar entry for it).
          </p>
        ) : null}
      </section>

      <section className="card" aria-labelledby={ids.save}>
        <h2 id={ids.save}>Signed evidence package</h2>
        <p>
          The package holds the report (HTML, JSON, CSV), NIST OSCAL assessment results for GRC tools
          (<code>oscal/assessment-results.json</code>), every read behind each verdict, what was applied and undone, and a signature
          over all of it. Anyone can check it with <code>sentry-harden verify</code>.
        </p>
        <button type="button" className="button-primary" onClick={() => void summary.saveReport()} disabled={summary.report.status === 'running'}>
          Save the signed package
        </button>
        <div aria-live="polite">
          {summary.report.status === 'running' ? <p role="status">Signing and saving the package…</p> : null}
          {summary.report.status === 'done' && summary.report.value.saved ? (
            <div className="notice notice-ok" role="status">
              <p className="notice-title">Package saved</p>
              <p>
                Folder: <code className="path">{summary.report.value.path}</code>
              </p>
              {summary.report.value.zipPath ? (
                <p>
                  Archive: <code className="path">{summary.report.value.zipPath}</code>
                </p>
              ) : null}
              {summary.report.value.fingerprint ? (
                <p>
                  Signing key fingerprint: <code className="hash">{summary.report.value.fingerprint}</code>
                </p>
              ) : null}
              <p>
                Verify it with <code>sentry-harden verify {summary.report.value.zipPath ?? summary.report.value.path}</code>
              </p>
            </div>
          ) : null}
          {summary.report.status === 'done' && !summary.report.value.saved ? <p role="status">Not saved.</p> : null}
        </div>
        {summary.report.status === 'done' && summary.report.value.view ? (
          <SavedReportActions
            view={summary.report.value.view}
            pdf={summary.packagePdf}
            onSavePdf={() => void summary.savePackagePdf()}
            opened={summary.opened}
            onOpen={() => void summary.openReport()}
          />
        ) : null}
        {summary.report.status === 'failed' ? (
          <ErrorNotice error={summary.report.error} context="Saving the package" onRetry={() => void summary.saveReport()} />
        ) : null}
      </section>

      {offersLatestCheckPdf(state) ? (
        <PdfReportSave status={summary.pdf} onSave={() => void summary.savePdf()} />
      ) : null}
      <TerraformExportPanel status={summary.terraform} onExport={() => void summary.exportTerraform()} />
    </div>
  );
}

import { useEffect, useId } from 'react';
import { FINDING_STATUSES } from '../../../shared/finding';
import { levelIncludes } from '../../../shared/levels';
import { ErrorNotice } from '../../components/error-notice';
import { Progress } from '../../components/progress';
import { StatusBadge } from '../../components/status-badge';
import type { ChangesPage, CheckSummary, ControlInfo, FindingGroup } from '../../store/dto';
import type { FindingsQuery } from '../../store/findings.slice';
import { changesKey, findingsKey, stepQuery } from '../../store/findings.slice';
import { checksOfSection, chosenOrgSlug, controlsOfSection, countsOfSection, notedOfGroups } from '../../store/selectors';
import { useWizard } from '../../store/use-wizard';
import type { SectionStep as SectionStepDef } from '../../store/steps';
import { ExceptionsPanel } from './exceptions';
import { RegisterCountBadges, ResolvedSinceBaseline } from './finding-status';
import { FixPanel } from './fix-panel';
import { ManualItems } from './manual-items';
import { FindingGroups } from './finding-groups';
import type { ResultsTable } from './results-table';
import { formatDateTime } from '../../format';
import { levelLabel } from '../../../shared/levels';

/** Changes since the first check a step lists (the Summary pages through all of them). */
const CHANGES_SHOWN = 100;

/** Run status of the shared audit: progress and Cancel while running, Re-check when done. */
function ChecksBar() {
  const checks = useWizard((s) => s.checks);
  const run = checks.run;
  return (
    <div className="checks-bar" aria-live="polite">
      {run.status === 'running' ? (
        <Progress
          label="Running the live checks"
          completed={run.progress.completed}
          {...(run.progress.total > 0 ? { total: run.progress.total } : {})}
          detail={run.progress.control ? `last finished: ${run.progress.control}` : null}
          onCancel={() => void checks.cancelRun()}
          cancelling={checks.cancel.status === 'running'}
        />
      ) : null}
      {run.status === 'failed' ? (
        <ErrorNotice error={run.error} context={run.error.code === 'cancelled' ? 'The checks' : 'Running the checks'} onRetry={() => void checks.start()} />
      ) : null}
      {checks.cancel.status === 'failed' ? <ErrorNotice error={checks.cancel.error} context="Cancelling the checks" /> : null}
      {run.status !== 'running' && checks.latest ? (
        <p className="checks-meta">
          Checked {formatDateTime(checks.latest.finishedAt)} at {levelLabel(checks.latest.level)}
          {checks.baseline && checks.baseline.runId !== checks.latest.runId ? ' (re-check after changes)' : ''}.{' '}
          <button type="button" className="button-secondary button-small" onClick={() => void checks.start()}>
            Re-check now
          </button>
        </p>
      ) : null}
      {run.status === 'idle' && !checks.latest ? (
        <button type="button" className="button-primary" onClick={() => void checks.start()}>
          Run the checks
        </button>
      ) : null}
    </div>
  );
}

function ControlBlock(props: {
  readonly control: ControlInfo | null;
  readonly id: string;
  readonly checks: readonly CheckSummary[];
  readonly first: readonly FindingGroup[];
  readonly runId: string;
  readonly onShowEvidence: (sha256: string) => void;
  readonly evidence: Parameters<typeof ResultsTable>[0]['evidence'];
  /** Changes since the first check of this control's findings (`audit:changes`). */
  readonly changes: ChangesPage['rows'];
}) {
  const headingId = useId();
  const counts = { pass: 0, fail: 0, error: 0, manual: 0, not_applicable: 0 };
  for (const c of props.checks) for (const s of FINDING_STATUSES) counts[s] += c.counts[s];
  const noted = notedOfGroups(props.first);
  const hasAside = Boolean(props.control?.rationale) || (counts.manual > 0 && props.control !== null);
  return (
    <section className="card control" aria-labelledby={headingId}>
      <h3 id={headingId} className="control-title">
        <span className="control-id">{props.id}</span> {props.control?.title ?? 'Control'}
        {props.control ? <span className="badge badge-neutral">{props.control.level}</span> : null}
      </h3>
      <p className="control-counts">
        {(['fail', 'error', 'manual', 'pass'] as const)
          .filter((s) => counts[s] > 0)
          .map((s) => (
            <span key={s} className="count">
              <StatusBadge status={s} /> {counts[s]}
            </span>
          ))}
        <RegisterCountBadges counts={noted} />
      </p>
      <div className={hasAside ? 'control-body control-body-split' : 'control-body'}>
        <div className="control-results">
          {props.checks.length > 0 ? (
            <FindingGroups
              control={props.control}
              controlId={props.id}
              runId={props.runId}
              checks={props.checks}
              first={props.first}
              evidence={props.evidence}
              onShowEvidence={props.onShowEvidence}
            />
          ) : (
            <p className="hint">No check of this control applies at this level.</p>
          )}
          <ResolvedSinceBaseline control={props.control} changes={props.changes} />
        </div>
        {hasAside ? (
          <div className="control-aside">
            {props.control?.rationale ? (
              <div className="rationale">
                <h4>Why it matters</h4>
                <p>{props.control.rationale}</p>
              </div>
            ) : null}
            {counts.manual > 0 && props.control ? <ManualItems control={props.control} manualCount={counts.manual} /> : null}
          </div>
        ) : null}
      </div>
    </section>
  );
}

/** Steps 3 to 7: one guide section (or the integrations review). */
export function SectionStep(props: { readonly step: SectionStepDef }) {
  const { step } = props;
  const state = useWizard((s) => s);
  const slice = state[step.slice];
  const latest = state.checks.latest;
  const catalog = state.catalog.catalog;
  const level = state.level.level;

  const inSection = controlsOfSection(state, step.section);
  const controls = inSection.filter((c) => c.checks.some((k) => levelIncludes(level, k.level)));
  const checks = checksOfSection(latest, step.section);
  const ids = [...new Set([...controls.map((c) => c.id), ...checks.map((c) => c.control)])];
  const counts = countsOfSection(latest, step.section);
  // The step's one request (usually already made when the run arrived: prefetchSteps).
  const query: FindingsQuery | null = latest ? stepQuery(latest.runId, step.section) : null;
  const pageKey = query ? findingsKey(query) : null;
  const page = pageKey ? state.findings.pages[pageKey] : undefined;
  const loadPage = state.findings.load;
  useEffect(() => {
    if (query) void loadPage(query);
    // The key names the query: it changes exactly when the query does.
  }, [pageKey, loadPage]);
  const groups = page?.status === 'done' ? page.value.groups : [];
  // The exception form offers the failing checks and the resources of the rows loaded.
  const failing = groups.flatMap((g) => g.rows.filter((f) => f.status === 'fail'));
  const noted = notedOfGroups(groups);
  // What the re-checks fixed since the first check ("Fail → Pass"), for this section.
  const changesPage = state.findings.changes[latest ? changesKey(latest.runId, 0, CHANGES_SHOWN, step.section) : ''];
  const loadChanges = state.findings.loadChanges;
  const compared = latest !== null && state.checks.baseline !== null && state.checks.baseline.runId !== latest.runId;
  useEffect(() => {
    if (latest && compared) void loadChanges(latest.runId, 0, CHANGES_SHOWN, step.section);
  }, [latest?.runId, compared, step.section, loadChanges]);
  const changes = compared && changesPage?.status === 'done' ? changesPage.value.rows : [];
  const scopeCheck = state.connect.scopeCheck;
  const canApply = scopeCheck.status === 'done' && scopeCheck.value.fix.satisfied;
  const missingFixScopes = scopeCheck.status === 'done' ? scopeCheck.value.fix.missing : [];

  return (
    <div className="step-body">
      <ChecksBar />
      {catalog.status === 'failed' ? (
        <ErrorNotice error={catalog.error} context="Loading the control descriptions" onRetry={() => void state.catalog.load()} />
      ) : null}
      {latest ? (
        <>
          <p className="section-counts" aria-label={`Results in ${step.title}`}>
            {(['pass', 'fail', 'error', 'manual'] as const).map((s) => (
              <span key={s} className="count">
                <StatusBadge status={s} /> {counts[s]}
              </span>
            ))}
            <RegisterCountBadges counts={noted} />
          </p>
          {page?.status === 'failed' ? <ErrorNotice error={page.error} context={`Loading the results of ${step.title}`} onRetry={() => query && void loadPage(query)} /> : null}
          {page?.status !== 'done' && page?.status !== 'failed' ? <p role="status">Loading the results…</p> : null}
          {compared && changesPage?.status !== 'done' && changesPage?.status !== 'failed' ? <p role="status" className="hint">Loading what changed since the first check…</p> : null}
          {changesPage?.status === 'failed' ? (
            <ErrorNotice error={changesPage.error} context="Loading what changed since the first check" onRetry={() => latest && void loadChanges(latest.runId, 0, CHANGES_SHOWN, step.section)} />
          ) : null}
          {page?.status === 'done' && ids.map((id) => (
            <ControlBlock
              key={id}
              id={id}
              // Titles from the whole catalog: a run at another level than the chosen one still names its controls.
              control={inSection.find((c) => c.id === id) ?? null}
              checks={checks.filter((c) => c.control === id)}
              first={groups.filter((g) => g.control === id)}
              runId={latest.runId}
              evidence={slice.evidence}
              onShowEvidence={(sha) => void slice.showEvidence(latest.runId, sha)}
              changes={changes.filter((c) => c.finding.control === id)}
            />
          ))}
          <FixPanel
            slice={slice}
            title={step.title}
            orgSlug={chosenOrgSlug(state.connect) ?? ''}
            failingCount={counts.fail}
            canApply={canApply}
            missingFixScopes={missingFixScopes}
            runId={latest.runId}
          />
          <ExceptionsPanel title={step.title} controls={controls} failing={failing} />
        </>
      ) : null}
    </div>
  );
}

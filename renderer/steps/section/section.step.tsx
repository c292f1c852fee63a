import { useId } from 'react';
import { levelIncludes } from '../../../shared/levels';
import { ErrorNotice } from '../../components/error-notice';
import { Progress } from '../../components/progress';
import { StatusBadge } from '../../components/status-badge';
import type { FindingStatus } from '../../../shared/finding';
import type { FindingChange } from '../../../shared/finding-change';
import type { RegisterNote } from '../../../shared/register-notes';
import type { ControlInfo, Finding } from '../../store/dto';
import {
  changesOfSection,
  chosenOrgSlug,
  controlsOfSection,
  countsOfSection,
  findingKey,
  findingsOfSection,
  noteOf,
  registerCounts,
} from '../../store/selectors';
import { useWizard } from '../../store/use-wizard';
import type { SectionStep as SectionStepDef } from '../../store/steps';
import { ExceptionsPanel } from './exceptions';
import { RegisterCountBadges, ResolvedSinceBaseline } from './finding-status';
import { FixPanel } from './fix-panel';
import { ManualItems } from './manual-items';
import { ResultsTable } from './results-table';
import { formatDateTime } from '../../format';
import { levelLabel } from '../../../shared/levels';

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
  readonly findings: readonly Finding[];
  readonly runId: string;
  readonly onShowEvidence: (sha256: string) => void;
  readonly evidence: Parameters<typeof ResultsTable>[0]['evidence'];
  readonly noteOf: (f: Finding) => RegisterNote | null;
  readonly beforeOf: (f: Finding) => FindingStatus | null;
  /** Changes since the first check of this control's findings. */
  readonly changes: readonly FindingChange<Finding>[];
}) {
  const headingId = useId();
  const manual = props.findings.filter((f) => f.status === 'manual');
  const counts = { pass: 0, fail: 0, error: 0, manual: 0, not_applicable: 0 };
  for (const f of props.findings) counts[f.status] += 1;
  let excepted = 0;
  let attested = 0;
  for (const f of props.findings) {
    const kind = props.noteOf(f)?.kind;
    if (kind === 'exception') excepted += 1;
    else if (kind === 'attestation') attested += 1;
  }
  const hasAside = Boolean(props.control?.rationale) || (manual.length > 0 && props.control !== null);
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
        <RegisterCountBadges counts={{ excepted, attested }} />
      </p>
      <div className={hasAside ? 'control-body control-body-split' : 'control-body'}>
        <div className="control-results">
          {props.findings.length > 0 ? (
            <ResultsTable
              control={props.control}
              controlId={props.id}
              findings={props.findings}
              runId={props.runId}
              evidence={props.evidence}
              onShowEvidence={props.onShowEvidence}
              noteOf={props.noteOf}
              beforeOf={props.beforeOf}
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
            {manual.length > 0 && props.control ? <ManualItems control={props.control} manualCount={manual.length} /> : null}
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
  const findings = findingsOfSection(latest, step.section);
  const ids = [...new Set([...controls.map((c) => c.id), ...findings.map((f) => f.control)])];
  const counts = countsOfSection(latest, step.section);
  const noted = registerCounts(state, findings);
  const changes = changesOfSection(state, step.section);
  const before = new Map(changes.filter((c) => c.basis === 'reported').map((c) => [findingKey(c.finding), c.before] as const));
  const noteOfFinding = (f: Finding) => noteOf(state, f);
  const beforeOf = (f: Finding) => before.get(findingKey(f)) ?? null;
  const failing = findings.filter((f) => f.status === 'fail');
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
          {ids.map((id) => (
            <ControlBlock
              key={id}
              id={id}
              // Titles from the whole catalog: a run at another level than the chosen one still names its controls.
              control={inSection.find((c) => c.id === id) ?? null}
              findings={findings.filter((f) => f.control === id)}
              runId={latest.runId}
              evidence={slice.evidence}
              onShowEvidence={(sha) => void slice.showEvidence(latest.runId, sha)}
              noteOf={noteOfFinding}
              beforeOf={beforeOf}
              changes={changes.filter((c) => c.finding.control === id)}
            />
          ))}
          <FixPanel
            slice={slice}
            title={step.title}
            orgSlug={chosenOrgSlug(state.connect) ?? ''}
            failingCount={failing.length}
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

import { useEffect, useId, useRef, useState } from 'react';
import type { FindingStatus, StatusCounts } from '../../../shared/finding';
import { ErrorNotice } from '../../components/error-notice';
import { StatusBadge } from '../../components/status-badge';
import type { CheckSummary, ControlInfo, FindingGroup } from '../../store/dto';
import type { FindingsQuery } from '../../store/findings.slice';
import { ATTENTION, ROWS_PER_PAGE, findingsKey } from '../../store/findings.slice';
import { registerNote } from '../../../shared/register-notes';
import type { Finding } from '../../store/dto';
import { needsAttention } from '../../store/selectors';
import { useWizard } from '../../store/use-wizard';
import { plural } from '../../format';
import { Pager, formatCount } from './pager';
import { ResultsTable } from './results-table';

type EvidenceProps = Pick<Parameters<typeof ResultsTable>[0], 'evidence' | 'onShowEvidence'>;

const SHOWN: readonly FindingStatus[] = ['fail', 'error', 'manual', 'pass', 'not_applicable'];

export function CountBadges(props: { readonly counts: StatusCounts }) {
  return (
    <span className="check-counts">
      {SHOWN.filter((s) => props.counts[s] > 0).map((s) => (
        <span key={s} className="count">
          <StatusBadge status={s} /> {formatCount(props.counts[s])}
        </span>
      ))}
    </span>
  );
}

/**
 * One check's rows, a page at a time (`audit:findings`). The first page of a check that needs
 * attention comes with the step's own request (`first`); other pages, and the rows of a passing
 * check, are asked for when shown.
 */
function CheckGroup(props: EvidenceProps & {
  readonly control: ControlInfo | null;
  readonly controlId: string;
  readonly summary: CheckSummary;
  readonly runId: string;
  /** The rows it starts with: what needs attention, or every status (a passing check). */
  readonly statuses: readonly FindingStatus[] | undefined;
  readonly first: FindingGroup | null;
}) {
  const { summary } = props;
  const headingId = useId();
  const [offset, setOffset] = useState(0);
  const [withPassing, setWithPassing] = useState(false);
  const statuses = withPassing ? undefined : props.statuses;
  const own = offset !== 0 || withPassing || props.first === null;
  const query: FindingsQuery = { runId: props.runId, control: props.controlId, check: summary.check, ...(statuses ? { statuses } : {}), offset, limit: ROWS_PER_PAGE };
  const key = findingsKey(query);
  const page = useWizard((s) => (own ? s.findings.pages[key] : undefined));
  // Accepted risks and attestations read live from the registers, judged at the run's finish.
  const registers = useWizard((s) => s.registers.registers);
  const finishedAt = useWizard((s) => s.checks.latest?.finishedAt ?? null);
  const noteOfRow = (f: Finding) =>
    registers.status === 'done' && finishedAt ? registerNote(f, registers.value, new Date(finishedAt)) : null;
  const load = useWizard((s) => s.findings.load);
  useEffect(() => {
    // The key names the query: it changes exactly when the query does.
    if (own) void load(query);
  }, [own, key, load]);

  const loaded = own ? (page?.status === 'done' ? (page.value.groups[0] ?? null) : null) : props.first;
  // The page shown stays while the next one loads, so the list does not jump.
  const last = useRef<FindingGroup | null>(null);
  if (loaded) last.current = loaded;
  const group = loaded ?? last.current;
  const title = props.control?.checks.find((c) => c.id === summary.check)?.title ?? summary.check;
  const passing = summary.counts.pass + summary.counts.not_applicable;

  return (
    <div className="check-group" role="group" aria-labelledby={headingId}>
      <h4 id={headingId} className="check-group-title">
        {title} <CountBadges counts={summary.counts} />
      </h4>
      {page?.status === 'failed' ? <ErrorNotice error={page.error} context={`Loading the results of ${title}`} onRetry={() => void load(query)} /> : null}
      {!group && page?.status !== 'failed' ? <p role="status">Loading the results…</p> : null}
      {group && group.rows.length > 0 ? (
        <ResultsTable
          control={props.control}
          controlId={props.controlId}
          findings={group.rows}
          runId={props.runId}
          evidence={props.evidence}
          onShowEvidence={props.onShowEvidence}
          noteOf={noteOfRow}
          beforeOf={(f) => f.before ?? null}
        />
      ) : null}
      {group ? (
        <Pager offset={offset} limit={ROWS_PER_PAGE} total={group.total} label={`results of ${title}`} loading={page?.status === 'running'} onPage={setOffset} />
      ) : null}
      {props.statuses && passing > 0 ? (
        <button
          type="button"
          className="button-link"
          aria-pressed={withPassing}
          onClick={() => {
            setWithPassing(!withPassing);
            setOffset(0);
          }}
        >
          {withPassing ? 'Show only what needs attention' : `Also show the ${plural(passing, 'passing row')}`}
          <span className="visually-hidden"> of {title}</span>
        </button>
      ) : null}
    </div>
  );
}

/** Checks that pass (or do not apply) everywhere, folded: their rows load when opened. */
function PassingChecks(props: EvidenceProps & { readonly control: ControlInfo | null; readonly controlId: string; readonly runId: string; readonly checks: readonly CheckSummary[] }) {
  const [open, setOpen] = useState(false);
  const inapplicable = props.checks.some((c) => c.counts.pass === 0);
  return (
    <details className="passing-checks" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {props.checks.length === 1 ? '1 check passes' : `${props.checks.length} checks pass`}
        {inapplicable ? ' or do not apply' : ''}
      </summary>
      {open
        ? props.checks.map((c) => (
            <CheckGroup
              key={c.check}
              control={props.control}
              controlId={props.controlId}
              summary={c}
              runId={props.runId}
              statuses={undefined}
              first={null}
              evidence={props.evidence}
              onShowEvidence={props.onShowEvidence}
            />
          ))
        : null}
    </details>
  );
}

/**
 * A control's results grouped per check, with counts: the checks that need attention each show
 * a page of their rows, the passing ones fold into one group (issue 12: a step on a few screens).
 */
export function FindingGroups(props: EvidenceProps & {
  readonly control: ControlInfo | null;
  readonly controlId: string;
  readonly runId: string;
  /** The control's checks, from the run's summaries. */
  readonly checks: readonly CheckSummary[];
  /** The first page of each check that needs attention, from the step's request. */
  readonly first: readonly FindingGroup[];
}) {
  // Failing checks first, then errors, then what to check by hand; the catalog's order within each.
  const rank = (c: CheckSummary) => (c.counts.fail > 0 ? 0 : c.counts.error > 0 ? 1 : 2);
  const attention = props.checks.filter((c) => needsAttention(c.counts)).sort((a, b) => rank(a) - rank(b));
  const passing = props.checks.filter((c) => !needsAttention(c.counts));
  return (
    <div className="finding-groups">
      {attention.map((c) => (
        <CheckGroup
          key={c.check}
          control={props.control}
          controlId={props.controlId}
          summary={c}
          runId={props.runId}
          statuses={ATTENTION}
          first={props.first.find((g) => g.check === c.check) ?? null}
          evidence={props.evidence}
          onShowEvidence={props.onShowEvidence}
        />
      ))}
      {passing.length > 0 ? (
        <PassingChecks control={props.control} controlId={props.controlId} runId={props.runId} checks={passing} evidence={props.evidence} onShowEvidence={props.onShowEvidence} />
      ) : null}
    </div>
  );
}

import { useEffect, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { StatusBadge } from '../../components/status-badge';
import type { AuditRun } from '../../store/dto';
import { ATTENTION, changesKey, findingsKey } from '../../store/findings.slice';
import type { FindingsQuery } from '../../store/findings.slice';
import { countsOfSection } from '../../store/selectors';
import { SECTION_STEPS } from '../../store/steps';
import type { SectionStep } from '../../store/steps';
import { useWizard } from '../../store/use-wizard';
import { plural } from '../../format';
import { Pager, formatCount } from '../section/pager';

/** Changes listed a page at a time. */
const CHANGES_PER_PAGE = 50;
/** Rows of each check a section of "What remains" lists. */
const REMAINING_PER_CHECK = 10;

/**
 * What changed since the first check, a page at a time (`audit:changes`): the window never holds
 * both runs' findings.
 */
export function ChangedList(props: { readonly run: AuditRun; readonly headingId: string }) {
  const [offset, setOffset] = useState(0);
  const runId = props.run.runId;
  const key = changesKey(runId, offset, CHANGES_PER_PAGE);
  const page = useWizard((s) => s.findings.changes[key]);
  const load = useWizard((s) => s.findings.loadChanges);
  useEffect(() => {
    void load(runId, offset, CHANGES_PER_PAGE);
  }, [runId, offset, load]);
  const value = page?.status === 'done' ? page.value : null;
  return (
    <>
      <h2 id={props.headingId}>What changed{value ? ` (${formatCount(value.total)})` : ''}</h2>
      {page?.status === 'failed' ? <ErrorNotice error={page.error} context="Loading what changed" onRetry={() => void load(runId, offset, CHANGES_PER_PAGE)} /> : null}
      {!value && page?.status !== 'failed' ? <p role="status">Loading what changed…</p> : null}
      {value && value.total === 0 ? <p className="hint">No verdict changed since the first check.</p> : null}
      {value && value.rows.length > 0 ? (
        <ul className="finding-list">
          {value.rows.map((c) => (
            <li key={`${c.finding.check}|${c.finding.resource.type}|${c.finding.resource.id}`}>
              {c.before ? <StatusBadge status={c.before} /> : <span className="badge badge-neutral">New</span>} →{' '}
              {c.after ? <StatusBadge status={c.after} /> : <span className="badge badge-neutral">No longer reported</span>}{' '}
              <strong>{c.finding.control}</strong> {c.finding.resource.name}: {c.finding.message}
              {c.coveredBy ? <span className="hint"> Now: {c.coveredBy}</span> : null}
              {c.basis === 'no-failure' ? <span className="hint"> (the re-check reports no failure for it: fixed, or the resource is gone)</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {value ? <Pager offset={offset} limit={CHANGES_PER_PAGE} total={value.total} label="what changed" loading={page?.status === 'running'} onPage={setOffset} /> : null}
    </>
  );
}

/** One section of "What remains": its count at once, its rows (a page per check) when opened. */
function RemainingSection(props: { readonly run: AuditRun; readonly step: SectionStep; readonly attested: ReadonlySet<string>; readonly checkTitle: (id: string) => string }) {
  const [open, setOpen] = useState(false);
  const counts = countsOfSection(props.run, props.step.section);
  const count = counts.fail + counts.error + counts.manual;
  const query: FindingsQuery = { runId: props.run.runId, section: props.step.section, statuses: ATTENTION, offset: 0, limit: REMAINING_PER_CHECK };
  const key = findingsKey(query);
  const page = useWizard((s) => s.findings.pages[key]);
  const load = useWizard((s) => s.findings.load);
  useEffect(() => {
    if (open) void load(query);
    // The key names the query.
  }, [open, key, load]);
  if (count === 0) return null;
  return (
    <details className="remaining" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {props.step.title}: {plural(count, 'item')}
      </summary>
      {page?.status === 'failed' ? <ErrorNotice error={page.error} context={`Loading what remains in ${props.step.title}`} onRetry={() => void load(query)} /> : null}
      {open && page?.status !== 'done' && page?.status !== 'failed' ? <p role="status">Loading…</p> : null}
      {page?.status === 'done' ? (
        <ul className="finding-list">
          {page.value.groups.flatMap((g) => [
            ...g.rows.map((f) => (
              <li key={`${f.check}|${f.resource.type}|${f.resource.id}`}>
                <StatusBadge status={f.status} /> <strong>{f.control}</strong> {f.resource.name}: {f.message}
                {f.status === 'manual' && props.attested.has(f.control) ? ' (attested)' : ''}
              </li>
            )),
            ...(g.total > g.rows.length
              ? [
                  <li key={`${g.check}|more`} className="hint">
                    … and {formatCount(g.total - g.rows.length)} more of {g.control} ({props.checkTitle(g.check)}) in the {props.step.title} step
                  </li>,
                ]
              : []),
          ])}
        </ul>
      ) : null}
    </details>
  );
}

/** What still needs attention in the latest run, per section (fail, error and manual). */
export function RemainingList(props: { readonly run: AuditRun; readonly headingId: string; readonly attested: ReadonlySet<string>; readonly checkTitle: (id: string) => string }) {
  let total = 0;
  for (const step of SECTION_STEPS) {
    const c = countsOfSection(props.run, step.section);
    total += c.fail + c.error + c.manual;
  }
  return (
    <>
      <h2 id={props.headingId}>What remains ({formatCount(total)})</h2>
      {SECTION_STEPS.map((step) => (
        <RemainingSection key={step.id} run={props.run} step={step} attested={props.attested} checkTitle={props.checkTitle} />
      ))}
    </>
  );
}

import { ErrorNotice } from '../../components/error-notice';
import { formatDateTime } from '../../format';
import type { PortfolioEntry } from '../../store/dto';
import { useWizard } from '../../store/use-wizard';
import { UNCHOSEN_ORG_SLUG } from './connect.slice';

function LastPackage(props: { readonly entry: PortfolioEntry }) {
  const p = props.entry.lastPackage;
  switch (p.state) {
    case 'none':
      return <span className="hint">No signed package yet</span>;
    case 'missing':
      return <span className="badge badge-error">Last package not found</span>;
    case 'invalid':
      return (
        <span>
          <span className="badge badge-fail">Does not verify</span> <span className="hint">{p.reason}</span>
        </span>
      );
    case 'valid':
      return (
        <span>
          {formatDateTime(p.finishedAt)}, level {p.level}: {p.counts.pass} pass, {p.counts.fail} fail, {p.counts.error} error, {p.counts.manual}{' '}
          manual
          {p.drift ? (
            <span className="hint">
              {' '}
              (since {p.drift.against === 'previous' ? 'the previous package' : 'its baseline'}: {p.drift.newlyFailing} newly failing, {p.drift.regressed}{' '}
              regressed, {p.drift.fixed} fixed)
            </span>
          ) : p.driftNote ? (
            <span className="hint"> (drift unknown: {p.driftNote})</span>
          ) : null}
        </span>
      );
  }
}

function Review(props: { readonly entry: PortfolioEntry }) {
  const r = props.entry.review;
  if (!r) return <span className="hint">Not scheduled</span>;
  return r.overdue ? (
    <span className="badge badge-fail">Overdue since {formatDateTime(r.nextReviewDate)}</span>
  ) : (
    <span>
      {formatDateTime(r.nextReviewDate)} <span className="hint">(in {r.dueInDays} days)</span>
    </span>
  );
}

/**
 * The portfolio: every saved organization with its last signed package, exceptions and review
 * date, to switch to with one click. Connections never finished (no organization chosen) are left out.
 */
export function PortfolioPanel() {
  const connect = useWizard((s) => s.connect);
  const portfolio = connect.portfolio;
  const current = connect.profile?.id ?? null;
  const entries = portfolio.status === 'done' ? portfolio.value.filter((e) => e.orgSlug !== UNCHOSEN_ORG_SLUG) : [];
  if (portfolio.status === 'done' && entries.length === 0) return null;
  const busy = connect.token.status === 'running';
  return (
    <section className="card" aria-labelledby="portfolio-title">
      <h2 id="portfolio-title">Saved organizations</h2>
      {portfolio.status === 'running' ? <p role="status">Reading the saved organizations…</p> : null}
      {portfolio.status === 'failed' ? <ErrorNotice error={portfolio.error} context="Reading the saved organizations" /> : null}
      {entries.length > 0 ? (
        <div className="table-scroll">
          <table className="table portfolio-table">
            <caption className="visually-hidden">Saved organizations and their last review</caption>
            <thead>
              <tr>
                <th scope="col">Organization</th>
                <th scope="col">Last signed package</th>
                <th scope="col">Exceptions</th>
                <th scope="col">Next review</th>
                <th scope="col">
                  <span className="visually-hidden">Open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.profileId} aria-current={e.profileId === current ? 'true' : undefined}>
                  <th scope="row">
                    {e.label}
                    <br />
                    <span className="hint">
                      {e.orgSlug} on {e.host}
                    </span>
                  </th>
                  <td>
                    <LastPackage entry={e} />
                  </td>
                  <td>
                    {e.exceptions.open} open
                    {e.exceptions.expiringSoon > 0 ? <span className="badge badge-manual">{e.exceptions.expiringSoon} expiring within 30 days</span> : null}
                  </td>
                  <td>
                    <Review entry={e} />
                  </td>
                  <td>
                    <button type="button" className="button-secondary" disabled={busy || e.profileId === current} onClick={() => void connect.openProfile(e.profileId)}>
                      {e.profileId === current ? 'Open now' : `Open ${e.label}`}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

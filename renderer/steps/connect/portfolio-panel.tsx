import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { formatDateTime } from '../../format';
import type { PortfolioEntry } from '../../store/dto';
import { useWizard } from '../../store/use-wizard';

function LastPackage(props: { readonly entry: PortfolioEntry }) {
  const p = props.entry.lastPackage;
  switch (p.state) {
    case 'none':
      return <span className="hint">No signed audit yet</span>;
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

const TOKEN_KIND_NAMES: Record<NonNullable<PortfolioEntry['tokenKind']>, string> = {
  user: 'Personal token',
  org_auth_token: 'Organization auth token',
  internal_integration: 'Internal integration token',
  unknown: 'Token of an unknown kind',
};

/** Renames a saved organization in its row: its display name only, never its host or organization. */
function RenameForm(props: { readonly entry: PortfolioEntry; readonly onDone: () => void }) {
  const connect = useWizard((s) => s.connect);
  const [name, setName] = useState(props.entry.label);
  const id = useId();
  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (await connect.renameProfile(props.entry.profileId, name)) props.onDone();
  }
  return (
    <form className="rename-form" onSubmit={(e) => void onSubmit(e)}>
      <label htmlFor={id}>New name for {props.entry.label}</label>
      <input id={id} value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
      <button type="submit" className="button-secondary" disabled={name.trim() === '' || connect.listAction.status === 'running'}>
        Save the name
      </button>
      <button type="button" className="button-link" onClick={props.onDone}>
        Cancel
      </button>
    </form>
  );
}

/** Asks before forgetting: what goes (profile, registers, progress, keychain entry) and what stays (Sentry). */
function ForgetDialog(props: { readonly entry: PortfolioEntry; readonly onClose: () => void }) {
  const connect = useWizard((s) => s.connect);
  const descId = useId();
  const busy = connect.listAction.status === 'running';
  async function onForget() {
    if (await connect.forgetProfile(props.entry.profileId)) props.onClose();
  }
  return (
    <Dialog title={`Forget ${props.entry.label}?`} onClose={props.onClose} describedBy={descId}>
      <p id={descId}>
        This removes the saved connection to <strong>{props.entry.orgSlug}</strong> on {props.entry.host} from this computer: its token in the
        keychain, its exceptions, integration register and attestations, and where its last session stopped. Nothing changes in Sentry, and
        evidence packages already saved stay where they are.
      </p>
      {connect.listAction.status === 'failed' ? <ErrorNotice error={connect.listAction.error} context="Forgetting the organization" /> : null}
      <div className="dialog-actions">
        <button type="button" className="button-primary" disabled={busy} onClick={() => void onForget()}>
          Forget {props.entry.label}
        </button>
        <button type="button" className="button-secondary" data-autofocus disabled={busy} onClick={props.onClose}>
          Keep it
        </button>
      </div>
    </Dialog>
  );
}

/**
 * The saved organizations (the portfolio): organization, host, token kind, last audit (its signed
 * package) and next review, to switch to with one click, rename or forget. The demo can be opened
 * but neither renamed nor forgotten. Connections an older version left unfinished (no
 * organization chosen) are listed to be forgotten.
 */
export function PortfolioPanel() {
  const connect = useWizard((s) => s.connect);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [forgetting, setForgetting] = useState<PortfolioEntry | null>(null);
  const portfolio = connect.portfolio;
  const current = connect.profile?.id ?? null;
  const demoId = connect.demo.status === 'done' && connect.demo.value.active ? connect.demo.value.profileId : null;
  const entries = portfolio.status === 'done' ? portfolio.value : [];
  if (portfolio.status === 'done' && entries.length === 0) return null;
  const busy = connect.token.status === 'running' || connect.listAction.status === 'running';
  return (
    <section className="card" aria-labelledby="portfolio-title">
      <h2 id="portfolio-title">Saved organizations</h2>
      {portfolio.status === 'running' ? <p role="status">Reading the saved organizations…</p> : null}
      {portfolio.status === 'failed' ? <ErrorNotice error={portfolio.error} context="Reading the saved organizations" /> : null}
      {connect.listAction.status === 'failed' && !forgetting ? <ErrorNotice error={connect.listAction.error} context="Changing a saved organization" /> : null}
      {connect.listAction.status === 'done' && connect.listAction.value.action === 'forget' ? (
        <p role="status">The organization was forgotten, with its token in the keychain.</p>
      ) : null}
      {entries.length > 0 ? (
        <div className="table-scroll">
          <table className="table portfolio-table">
            <caption className="visually-hidden">Saved organizations and their last review</caption>
            <thead>
              <tr>
                <th scope="col">Organization</th>
                <th scope="col">Host</th>
                <th scope="col">Token</th>
                <th scope="col">Last audit</th>
                <th scope="col">Exceptions</th>
                <th scope="col">Next review</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => {
                const isDemo = e.profileId === demoId;
                return (
                  <tr key={e.profileId} aria-current={e.profileId === current ? 'true' : undefined}>
                    <th scope="row">
                      {renaming === e.profileId ? (
                        <RenameForm entry={e} onDone={() => setRenaming(null)} />
                      ) : (
                        <>
                          {e.label}
                          <br />
                          <span className="hint">{e.unfinished ? 'No organization chosen' : e.orgSlug}</span>
                        </>
                      )}
                    </th>
                    <td>{e.host}</td>
                    <td>{isDemo ? 'Demo token' : e.tokenKind ? TOKEN_KIND_NAMES[e.tokenKind] : <span className="hint">Not recorded</span>}</td>
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
                    <td className="row-actions">
                      {e.unfinished ? null : (
                        <button
                          type="button"
                          className="button-secondary"
                          disabled={busy || e.profileId === current}
                          aria-label={e.profileId === current ? 'Open now' : `Open ${e.label}`}
                          onClick={() => void connect.openProfile(e.profileId)}
                        >
                          {e.profileId === current ? 'Open now' : 'Open'}
                        </button>
                      )}
                      {isDemo || e.unfinished ? null : (
                        <button type="button" className="button-link" disabled={busy} aria-label={`Rename ${e.label}`} onClick={() => setRenaming(e.profileId)}>
                          Rename
                        </button>
                      )}
                      {isDemo ? null : (
                        <button type="button" className="button-link" disabled={busy} aria-label={`Forget ${e.label}`} onClick={() => setForgetting(e)}>
                          Forget
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {forgetting ? <ForgetDialog entry={forgetting} onClose={() => setForgetting(null)} /> : null}
    </section>
  );
}

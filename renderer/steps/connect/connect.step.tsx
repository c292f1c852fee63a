import type { FormEvent } from 'react';
import { useId, useRef, useState } from 'react';
import { AUDIT_SCOPES, FIX_SCOPES } from '../../../shared/scopes';
import { ErrorNotice } from '../../components/error-notice';
import { ExternalLink } from '../../components/external-link';
import type { ScopeCheck, TokenInfo } from '../../store/dto';
import { useWizard } from '../../store/use-wizard';
import { UNCHOSEN_ORG_SLUG } from './connect.slice';
import { chosenOrgSlug } from '../../store/selectors';
import type { HostKind } from './hosts';
import { HOST_PRESETS, baseUrlFor, checkTypedUrl, tokenPageUrl } from './hosts';
import { PortfolioPanel } from './portfolio-panel';
import { formatDateTime } from '../../format';
import type { StepId } from '../../store/steps';
import { isStepId, stepTitle } from '../../store/steps';

function ScopeList(props: { readonly scopes: readonly string[]; readonly empty: string }) {
  if (props.scopes.length === 0) return <span>{props.empty}</span>;
  return (
    <span className="scope-list">
      {props.scopes.map((s) => (
        <code key={s}>{s}</code>
      ))}
    </span>
  );
}

function ScopeCheckView(props: { readonly check: ScopeCheck }) {
  const rows = [
    { name: 'Audit only (read)', need: props.check.audit },
    { name: 'Applying fixes', need: props.check.fix },
  ];
  return (
    <table className="table scope-table">
      <caption>Scope check of this token</caption>
      <thead>
        <tr>
          <th scope="col">Session</th>
          <th scope="col">Result</th>
          <th scope="col">Missing scopes</th>
          <th scope="col">Extra scopes</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name}>
            <th scope="row">{r.name}</th>
            <td>
              <span className={r.need.satisfied ? 'badge badge-pass' : 'badge badge-fail'}>
                {r.need.satisfied ? 'Enough' : 'Not enough'}
              </span>
            </td>
            <td>
              <ScopeList scopes={r.need.missing} empty="none" />
            </td>
            <td>
              <ScopeList scopes={r.need.extra} empty="none" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const TOKEN_KINDS: Record<TokenInfo['kind'], string> = {
  user: 'a personal token',
  org_auth_token: 'an organization auth token',
  internal_integration: 'an internal integration token',
  unknown: 'a token of an unknown kind',
};

export function ConnectStep() {
  const connect = useWizard((s) => s.connect);
  const nav = useWizard((s) => s.nav);
  const [tokenDraft, setTokenDraft] = useState('');
  const tokenRef = useRef<HTMLInputElement>(null);
  const ids = { url: useId(), urlHelp: useId(), token: useId(), tokenHelp: useId(), scopes: useId(), org: useId() };

  const demo = connect.demo.status === 'done' && connect.demo.value.active ? connect.demo.value : null;
  const baseUrl = baseUrlFor(connect.host, connect.customUrl);
  const tokenPage = tokenPageUrl(connect.host, baseUrl);
  const keychain = connect.app.status === 'done' ? connect.app.value.keychain : null;
  const orgSlug = chosenOrgSlug(connect);
  const checking = connect.token.status === 'running';
  const selfHosted = connect.host === 'self-hosted' && !connect.usingDemo;
  // Checked as it is typed with the same policy main applies; said only once something is typed.
  const urlCheck = selfHosted ? checkTypedUrl(connect.host, connect.customUrl) : null;
  const urlProblem = urlCheck && !urlCheck.ok && connect.customUrl.trim() !== '' ? urlCheck.error.message : null;
  // A saved organization needing a new token has its URL already; a new one needs a valid URL.
  const needsUrl = selfHosted && !(connect.profile && connect.profile.orgSlug !== UNCHOSEN_ORG_SLUG);
  const progress = connect.resume.status === 'done' ? connect.resume.value : null;
  const resumable =
    progress !== null && isStepId(progress.step) && progress.step !== 'connect' && nav.completed.length === 0 && orgSlug !== null;

  async function onResetDemo() {
    // Everything this window knows about the demo is stale after a reset: start afresh.
    if (await connect.resetDemo()) window.location.reload();
  }

  async function onSubmitToken(event: FormEvent) {
    event.preventDefault();
    const token = tokenDraft;
    // Gone from the component before it is even sent: it lives only in main from here on.
    setTokenDraft('');
    if (tokenRef.current) tokenRef.current.value = '';
    if (token.trim() === '') return;
    await connect.submitToken(token);
  }

  return (
    <div className="step-body">
      <PortfolioPanel />
      {demo ? (
        <section className="card card-demo" aria-labelledby="demo-title">
          <h2 id="demo-title">
            <span className="demo-tag">Demo</span> Try it on the demo organization
          </h2>
          <p>
            <strong>{demo.orgSlug}</strong> is a simulated organization served by sentry-harden on this machine, full of the problems the
            checks look for. Nothing here touches a real Sentry, and no token is needed.
          </p>
          <button type="button" className="button-primary" onClick={() => void connect.useDemo()} disabled={checking}>
            Use the demo organization{demo.orgSlug ? ` (${demo.orgSlug})` : ''}
          </button>
          {connect.usingDemo && connect.token.status === 'done' ? (
            <p className="notice notice-ok" role="status">
              Connected to the demo organization <strong>{demo.orgSlug}</strong>.
            </p>
          ) : null}
          <p className="hint">
            Changes you apply to the demo stay until you reset it.{' '}
            <button type="button" className="button-link" onClick={() => void onResetDemo()} disabled={connect.demoReset.status === 'running'}>
              Reset the demo organization
            </button>
          </p>
          {connect.demoReset.status === 'failed' ? <ErrorNotice error={connect.demoReset.error} context="Resetting the demo" /> : null}
        </section>
      ) : null}


      <section className="card" aria-labelledby="live-title">
        <h2 id="live-title">{demo ? 'Or connect to your own Sentry' : 'Connect to your Sentry'}</h2>
        {keychain && !keychain.available ? (
          <div className="notice notice-warn" role="note" aria-labelledby="keychain-title">
            <p className="notice-title" id="keychain-title">
              No keychain on this computer: a token cannot be saved
            </p>
            <p>{keychain.message ?? 'No keychain answered. Tokens are kept only in the OS keychain, never in a file.'}</p>
            {keychain.steps && keychain.steps.length > 0 ? (
              <ol className="keychain-steps">
                {keychain.steps.map((step) => (
                  <li key={step}>{step}</li>
                ))}
              </ol>
            ) : null}
            {demo ? <p>The demo organization above works without a keychain.</p> : null}
          </div>
        ) : null}
        <fieldset className="fieldset">
          <legend>Where is your Sentry?</legend>
          {HOST_PRESETS.map((h) => (
            <label key={h.kind} className="radio">
              <input
                type="radio"
                name="sentry-host"
                value={h.kind}
                checked={!connect.usingDemo && connect.host === h.kind}
                onChange={() => connect.chooseHost(h.kind as HostKind)}
              />
              <span>
                <strong>{h.label}</strong> <span className="hint">{h.hint}</span>
              </span>
            </label>
          ))}
          {selfHosted ? (
            <div className="field">
              <label htmlFor={ids.url}>URL of your Sentry server</label>
              <input
                id={ids.url}
                type="url"
                inputMode="url"
                autoComplete="url"
                spellCheck={false}
                placeholder="https://sentry.example.com"
                aria-invalid={urlProblem !== null}
                aria-describedby={ids.urlHelp}
                value={connect.customUrl}
                onChange={(e) => connect.setCustomUrl(e.target.value)}
              />
              <p id={ids.urlHelp} className={urlProblem ? 'field-error' : 'hint'} aria-live="polite">
                {urlProblem ?? 'The address you open Sentry at, like https://sentry.example.com (http:// only for a Sentry on this computer).'}
              </p>
            </div>
          ) : null}
        </fieldset>

        <form className="token-form" onSubmit={(e) => void onSubmitToken(e)} autoComplete="off">
          <div className="field">
            <label htmlFor={ids.token}>Auth token</label>
            <input
              id={ids.token}
              ref={tokenRef}
              name="sentry-token"
              type="password"
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="off"
              aria-describedby={`${ids.tokenHelp} ${ids.scopes}`}
              value={tokenDraft}
              onChange={(e) => setTokenDraft(e.target.value)}
              disabled={checking}
            />
            <p id={ids.tokenHelp} className="hint">
              {tokenPage ? (
                <>
                  Create a personal token at <ExternalLink href={tokenPage}>User Settings › Personal Tokens</ExternalLink>.{' '}
                </>
              ) : (
                'Enter your server URL to get the link to its token page. '
              )}
              It is checked with Sentry, kept in the OS keychain and never shown again.
            </p>
            <div id={ids.scopes} className="hint scopes-needed">
              <p>
                Scopes for an audit only: <ScopeList scopes={AUDIT_SCOPES} empty="" /> (<code>org:write</code> because Sentry
                serves the audit log only to it).
              </p>
              <p>
                Scopes for applying fixes as well: <ScopeList scopes={FIX_SCOPES} empty="" />.
              </p>
            </div>
          </div>
          <button type="submit" className="button-primary" disabled={checking || tokenDraft.trim() === '' || (needsUrl && urlCheck?.ok !== true)}>
            Check and save the token
          </button>
        </form>
      </section>

      <section className="card" aria-labelledby="token-result-title" aria-busy={checking}>
        <h2 id="token-result-title">Token and organization</h2>
        <div aria-live="polite">
          {connect.token.status === 'idle' ? <p className="hint">No token checked yet.</p> : null}
          {connect.token.status === 'running' ? <p role="status">Checking the token with Sentry…</p> : null}
        </div>
        {connect.token.status === 'failed' ? <ErrorNotice error={connect.token.error} context="Nothing was saved" /> : null}
        {connect.token.status === 'done' ? (
          <div className="token-info">
            <p role="status">
              Sentry accepted the token: {TOKEN_KINDS[connect.token.value.kind]}
              {connect.token.value.user?.email ? ` of ${connect.token.value.user.email}` : ''}
              {connect.token.value.user?.has2fa === false ? ' (this user has no two-factor authentication)' : ''}.
            </p>
            {connect.scopeCheck.status === 'running' ? <p role="status">Checking its scopes…</p> : null}
            {connect.scopeCheck.status === 'failed' ? <ErrorNotice error={connect.scopeCheck.error} context="Scope check" /> : null}
            {connect.scopeCheck.status === 'done' ? (
              <>
                <ScopeCheckView check={connect.scopeCheck.value} />
                {!connect.scopeCheck.value.audit.satisfied ? (
                  <p className="notice notice-warn">
                    Checks that need the missing scopes will be reported as errors, never as passes. For a complete review, create a token
                    with the audit scopes and enter it again.
                  </p>
                ) : !connect.scopeCheck.value.fix.satisfied ? (
                  <p className="notice notice-warn">This token can review but not apply fixes: the fixes will be shown for review only.</p>
                ) : null}
              </>
            ) : null}

            {connect.orgs.status === 'running' ? <p role="status">Listing organizations…</p> : null}
            {connect.orgs.status === 'failed' ? <ErrorNotice error={connect.orgs.error} context="Listing organizations" /> : null}
            {connect.orgs.status === 'done' ? (
              <div className="field">
                <label htmlFor={ids.org}>Organization to review</label>
                <select
                  id={ids.org}
                  value={orgSlug ?? ''}
                  onChange={(e) => void connect.chooseOrg(e.target.value)}
                  disabled={connect.org.status === 'running'}
                >
                  <option value="" disabled>
                    Choose an organization
                  </option>
                  {connect.orgs.value
                    .filter((o) => o.slug !== UNCHOSEN_ORG_SLUG)
                    .map((o) => (
                      <option key={o.slug} value={o.slug}>
                        {o.name} ({o.slug})
                      </option>
                    ))}
                </select>
                {connect.orgs.value.length === 0 ? <p className="hint">This token sees no organization.</p> : null}
              </div>
            ) : null}
            {connect.org.status === 'failed' ? <ErrorNotice error={connect.org.error} context="Saving the organization" /> : null}
            {orgSlug ? (
              <p className="notice notice-ok" role="status">
                Ready to review <strong>{orgSlug}</strong>.
              </p>
            ) : null}
            {resumable && progress ? (
              <div className="notice">
                <p>
                  Your last session on {orgSlug} stopped at <strong>{stepTitle(progress.step as StepId)}</strong> (
                  {formatDateTime(progress.updatedAt)}).
                </p>
                <button type="button" className="button-secondary" onClick={() => nav.resume(progress)}>
                  Resume at {stepTitle(progress.step as StepId)}
                </button>
              </div>
            ) : null}
            {connect.resume.status === 'failed' ? <ErrorNotice error={connect.resume.error} context="Reading the saved progress" /> : null}
            {!connect.usingDemo ? (
              <button type="button" className="button-link" onClick={() => void connect.forgetToken()}>
                Forget this token (delete it from the keychain)
              </button>
            ) : null}
          </div>
        ) : null}
        {connect.forget.status === 'failed' ? <ErrorNotice error={connect.forget.error} context="Forgetting the token" /> : null}
        {connect.forget.status === 'done' ? <p role="status">The token was deleted from the keychain.</p> : null}
      </section>
    </div>
  );
}

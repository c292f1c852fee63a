import { ErrorNotice } from '../../components/error-notice';
import type { TerraformExport } from '../../store/dto';
import type { Status } from '../../store/status';

/** Keep the hardened state in code: Terraform for the jianyuan/sentry provider, with import blocks. */
export function TerraformExportPanel(props: { readonly status: Status<TerraformExport>; readonly onExport: () => void }) {
  const s = props.status;
  return (
    <section className="card" aria-labelledby="terraform-title">
      <h2 id="terraform-title">Keep it hardened with Terraform</h2>
      <p>
        Writes Terraform configuration for the <code>jianyuan/sentry</code> provider describing the organization as it is now (client keys and
        their rate limits, projects with their teams, allowed domains and IP blocklist, inbound filters, teams and members), with import blocks
        so existing resources are adopted. Settings the provider cannot express are listed in its README with the manual steps. Nothing is
        changed in Sentry.
      </p>
      <button type="button" className="button-secondary" onClick={props.onExport} disabled={s.status === 'running'}>
        Export Terraform configuration
      </button>
      <div aria-live="polite">
        {s.status === 'running' ? <p role="status">Reading the organization and writing the configuration…</p> : null}
        {s.status === 'done' && s.value.saved ? (
          <div className="notice notice-ok" role="status">
            <p className="notice-title">Terraform configuration saved</p>
            <p>
              Folder: <code className="path">{s.value.path}</code> ({s.value.resources} resources in {s.value.files.join(', ')})
            </p>
            {s.value.gaps.length > 0 ? (
              <p>
                Left out because it could not be read: {s.value.gaps.map((g) => `${g.what} (${g.reason})`).join('; ')}.
              </p>
            ) : null}
          </div>
        ) : null}
        {s.status === 'done' && !s.value.saved ? <p role="status">Not saved.</p> : null}
      </div>
      {s.status === 'failed' ? <ErrorNotice error={s.error} context="Exporting Terraform" onRetry={props.onExport} /> : null}
    </section>
  );
}

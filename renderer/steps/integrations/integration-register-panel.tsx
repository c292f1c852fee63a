import type { FormEvent } from 'react';
import { useEffect, useId, useState } from 'react';
import { levelIncludes } from '../../../shared/levels';
import { ErrorNotice } from '../../components/error-notice';
import type { Finding, Registers } from '../../store/dto';
import { allPagesOf, findingsKey } from '../../store/findings.slice';
import type { RegistersSlice } from '../../store/registers.slice';
import { useWizard } from '../../store/use-wizard';
import type { IntegrationEntryDraft, IntegrationEntryErrors, InventoriedIntegration } from './integration-register';
import { draftFor, entryFor, integrationEntryErrors, inventoriedIntegrations } from './integration-register';

/** Today as yyyy-mm-dd in the person's time zone (what a date input shows). */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Every row of one control in the latest run, as its pages arrive (`audit:findings`). */
function useRowsOf(control: string): Finding[] {
  const latest = useWizard((s) => s.checks.latest);
  const pages = useWizard((s) => s.findings.pages);
  const load = useWizard((s) => s.findings.load);
  const queries = allPagesOf(latest, control);
  const keys = queries.map(findingsKey).join('\n');
  useEffect(() => {
    for (const q of queries) void load(q);
    // The keys name the queries.
  }, [keys, load]);
  return queries.flatMap((q) => {
    const page = pages[findingsKey(q)];
    return page?.status === 'done' ? page.value.groups.flatMap((g) => g.rows) : [];
  });
}

/** One integration's entry: permissions, why, owner and last review, saved on its own. */
function EntryForm(props: {
  readonly item: InventoriedIntegration;
  readonly register: Registers['integrationRegister'];
  readonly registers: RegistersSlice;
  readonly onSaved: () => void;
}) {
  const { item, registers } = props;
  const [draft, setDraft] = useState<IntegrationEntryDraft>(() => draftFor(item, props.register, today()));
  const [errors, setErrors] = useState<IntegrationEntryErrors>({});
  // Only the form that saved shows the save's outcome.
  const [savedHere, setSavedHere] = useState<'saving' | 'saved' | 'failed' | null>(null);
  const base = useId();
  const id = (field: keyof IntegrationEntryDraft) => `${base}-${field}`;
  const recorded = entryFor(props.register, item.key);

  const field = (name: keyof IntegrationEntryDraft) => ({
    id: id(name),
    value: draft[name],
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': [`${id(name)}-hint`, errors[name] ? `${id(name)}-error` : ''].filter(Boolean).join(' '),
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [name]: e.target.value }),
  });
  const fieldError = (name: keyof IntegrationEntryDraft) =>
    errors[name] ? (
      <p id={`${id(name)}-error`} className="field-error">
        {errors[name]}
      </p>
    ) : null;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found = integrationEntryErrors(draft);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      // Focus the first field to fix, so keyboard and screen-reader users land on it.
      const first = (['permissions', 'rationale', 'owner', 'lastReviewed'] as const).find((f) => found[f]);
      if (first) document.getElementById(id(first))?.focus();
      return;
    }
    setSavedHere('saving');
    const ok = await registers.recordIntegration(draft);
    setSavedHere(ok ? 'saved' : 'failed');
    if (ok) props.onSaved();
  }

  return (
    <form className="register-entry" noValidate onSubmit={(e) => void onSubmit(e)}>
      <fieldset className="fieldset">
        <legend>
          {item.name} <span className="hint">({item.type === 'integration' ? 'integration' : 'app'})</span>
          {recorded ? <span className="badge badge-neutral">Recorded</span> : null}
        </legend>
        <div className="field">
          <label htmlFor={id('permissions')}>Permissions granted (comma-separated)</label>
          <input type="text" spellCheck={false} {...field('permissions')} />
          <p className="hint" id={`${id('permissions')}-hint`}>
            {item.permissions === null
              ? 'Sentry does not show what this app holds: read its permissions on its page under Settings > Integrations.'
              : item.permissions.length > 0
                ? `The audit saw it hold: ${item.permissions.join(', ')}.`
                : 'The audit saw no permissions for it.'}
          </p>
          {fieldError('permissions')}
        </div>
        <div className="field">
          <label htmlFor={id('rationale')}>Why it needs them</label>
          <textarea rows={2} {...field('rationale')} />
          <p className="hint" id={`${id('rationale')}-hint`}>
            One reason per permission helps the next review.
          </p>
          {fieldError('rationale')}
        </div>
        <div className="field">
          <label htmlFor={id('owner')}>Owner</label>
          <input type="text" autoComplete="off" {...field('owner')} />
          <p className="hint" id={`${id('owner')}-hint`}>
            The person or team who answers for it.
          </p>
          {fieldError('owner')}
        </div>
        <div className="field">
          <label htmlFor={id('lastReviewed')}>Last reviewed</label>
          <input type="date" {...field('lastReviewed')} />
          <p className="hint" id={`${id('lastReviewed')}-hint`}>
            The day someone last checked these permissions are still needed.
          </p>
          {fieldError('lastReviewed')}
        </div>
        <button type="submit" className="button-secondary" disabled={registers.save.status === 'running' || registers.registers.status !== 'done'}>
          Save<span className="visually-hidden"> the register entry of {item.name}</span>
        </button>
        <div aria-live="polite">
          {savedHere === 'saved' ? <p role="status">Saved to the register.</p> : null}
        </div>
        {savedHere === 'failed' && registers.save.status === 'failed' ? (
          <ErrorNotice error={registers.save.error} context={`Saving the entry of ${item.name}`} />
        ) : null}
      </fieldset>
    </form>
  );
}

/**
 * The integration permission register (INT.4, INT.5): each integration and app the latest audit
 * inventoried (INT.1), with what it holds, why, its owner and its last review; then a re-check
 * so INT.4 and INT.5 read the register.
 */
export function IntegrationRegisterPanel() {
  const registers = useWizard((s) => s.registers);
  const checks = useWizard((s) => s.checks);
  const level = useWizard((s) => s.level.level);
  const [changed, setChanged] = useState(false);
  const headingId = useId();
  const items = inventoriedIntegrations(useRowsOf('INT.1'));
  const register = registers.registers.status === 'done' ? registers.registers.value.integrationRegister : [];

  return (
    <section className="card integration-register" aria-labelledby={headingId}>
      <h2 id={headingId}>Integration permission register</h2>
      <p>
        For each integration: the permissions it was granted, why each is needed, who owns it and when it was last reviewed. Checks INT.4
        (periodic review) and INT.5 (documented permissions) read this register
        {levelIncludes(level, 'L2') ? '' : '; they run from level L2'}.
      </p>
      {registers.registers.status === 'failed' ? (
        <ErrorNotice error={registers.registers.error} context="Loading the registers" onRetry={() => void registers.load()} />
      ) : null}
      {items.length === 0 ? (
        <p className="hint">The latest check inventoried no integration or app (see INT.1 above).</p>
      ) : registers.registers.status === 'done' ? (
        // Keyed by the loaded register so a save elsewhere re-seeds the drafts.
        items.map((item) => <EntryForm key={item.key} item={item} register={register} registers={registers} onSaved={() => setChanged(true)} />)
      ) : (
        <p role="status">Loading the register…</p>
      )}
      {changed ? (
        <p className="notice">
          The register changed.{' '}
          <button type="button" className="button-primary" disabled={checks.run.status === 'running'} onClick={() => void checks.start().then(() => setChanged(false))}>
            Re-check
          </button>{' '}
          so INT.4 and INT.5 reflect it.
        </p>
      ) : null}
    </section>
  );
}

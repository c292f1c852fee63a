import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import type { ControlInfo, Finding } from '../../store/dto';
import { useWizard } from '../../store/use-wizard';
import { formatDate } from '../../format';

/**
 * Accepted risk: an exception for a failing check, with who approved it, why, and until when.
 * Kept in the profile's registers and listed in the report and the summary.
 */
export function ExceptionsPanel(props: {
  readonly title: string;
  readonly controls: readonly ControlInfo[];
  readonly failing: readonly Finding[];
}) {
  const registers = useWizard((s) => s.registers);
  const controlIds = new Set(props.controls.map((c) => c.id));
  for (const f of props.failing) controlIds.add(f.control);
  const exceptions = registers.registers.status === 'done' ? registers.registers.value.exceptions.filter((e) => controlIds.has(e.control)) : [];

  const failingControls = [...new Set(props.failing.map((f) => f.control))];
  const [control, setControl] = useState('');
  const [check, setCheck] = useState('');
  const [resource, setResource] = useState('');
  const [reason, setReason] = useState('');
  const [approvedBy, setApprovedBy] = useState('');
  const [owner, setOwner] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const ids = { owner: useId(), control: useId(), check: useId(), resource: useId(), reason: useId(), by: useId(), expires: useId(), title: useId() };

  const chosenControl = control || failingControls[0] || '';
  const checksOfControl = [...new Set(props.failing.filter((f) => f.control === chosenControl).map((f) => f.check))];
  const resourcesOfCheck = props.failing.filter((f) => f.control === chosenControl && (!check || f.check === check));
  const titleOf = (id: string) => props.controls.find((c) => c.id === id)?.title ?? id;
  // People read check titles and resource names, not the ids the register keeps.
  const checkTitleOf = (control: string, check: string) => props.controls.find((c) => c.id === control)?.checks.find((k) => k.id === check)?.title ?? 'one check';
  const resourceNameOf = (key: string) => {
    const r = props.failing.find((f) => key === f.resource.id || key === `${f.resource.type}:${f.resource.id}`)?.resource;
    return r ? `${r.type} ${r.name}` : key;
  };
  const valid = chosenControl !== '' && reason.trim() !== '' && approvedBy.trim() !== '';

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!valid) return;
    setSubmitted(true);
    const ok = await registers.addException({
      control: chosenControl,
      ...(check ? { check } : {}),
      ...(resource ? { resource } : {}),
      reason,
      ...(owner ? { owner } : {}),
      approvedBy,
      ...(expiresOn ? { expiresOn } : {}),
    });
    if (ok) {
      setReason('');
      setResource('');
      setCheck('');
      setExpiresOn('');
    }
  }

  return (
    <section className="card" aria-labelledby={ids.title}>
      <h2 id={ids.title}>Accepted risk</h2>
      {exceptions.length > 0 ? (
        <ul className="exceptions">
          {exceptions.map((e) => (
            <li key={e.id}>
              <strong>
                {e.control} {titleOf(e.control)}
              </strong>
              {e.check ? ` · ${checkTitleOf(e.control, e.check)}` : ''}
              {e.resource ? ` · ${resourceNameOf(e.resource)}` : ''}: {e.reason} — approved by {e.approvedBy}
              {e.owner ? `, owned by ${e.owner}` : ''}
              {e.expiresAt ? `, until ${formatDate(e.expiresAt)}` : ', no expiry'}{' '}
              <button type="button" className="button-link" onClick={() => void registers.removeException(e.id)}>
                Remove<span className="visually-hidden"> the exception for {e.control}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">No exception recorded for {props.title}.</p>
      )}
      {failingControls.length > 0 ? (
        <form className="exception-form" onSubmit={(e) => void onSubmit(e)} aria-label={`Record an exception in ${props.title}`}>
          <p className="hint">If a failing check is a risk you accept, record who approved it and why. It appears in the report.</p>
          <div className="form-grid">
            <div className="field">
              <label htmlFor={ids.control}>Control</label>
              <select
                id={ids.control}
                value={chosenControl}
                onChange={(e) => {
                  setControl(e.target.value);
                  setCheck('');
                  setResource('');
                }}
              >
                {failingControls.map((c) => (
                  <option key={c} value={c}>
                    {c} {titleOf(c)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={ids.check}>Check (optional)</label>
              <select id={ids.check} value={check} onChange={(e) => setCheck(e.target.value)}>
                <option value="">Every failing check of the control</option>
                {checksOfControl.map((c) => (
                  <option key={c} value={c}>
                    {props.controls.find((x) => x.id === chosenControl)?.checks.find((k) => k.id === c)?.title ?? c}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={ids.resource}>Resource (optional)</label>
              <select id={ids.resource} value={resource} onChange={(e) => setResource(e.target.value)}>
                <option value="">Every resource</option>
                {[...new Map(resourcesOfCheck.map((f) => [`${f.resource.type}:${f.resource.id}`, f.resource])).entries()].map(([k, r]) => (
                  <option key={k} value={k}>
                    {r.type} {r.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={ids.by}>Approved by</label>
              <input id={ids.by} type="text" autoComplete="name" required value={approvedBy} onChange={(e) => setApprovedBy(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.owner}>Risk owner (optional)</label>
              <input id={ids.owner} type="text" autoComplete="name" value={owner} onChange={(e) => setOwner(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.expires}>Review or expiry date (optional)</label>
              <input id={ids.expires} type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} />
            </div>
            <div className="field field-wide">
              <label htmlFor={ids.reason}>Why the risk is accepted</label>
              <textarea id={ids.reason} rows={2} required value={reason} onChange={(e) => setReason(e.target.value)} />
            </div>
          </div>
          <button type="submit" className="button-secondary" disabled={!valid || registers.save.status === 'running'}>
            Record the exception
          </button>
          {submitted && registers.save.status === 'failed' ? <ErrorNotice error={registers.save.error} context="Saving the exception" /> : null}
          {submitted && registers.save.status === 'done' ? (
            <p role="status" className="hint">
              Exception saved.
            </p>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}

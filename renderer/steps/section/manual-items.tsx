import { useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import type { ControlInfo } from '../../store/dto';
import { useWizard } from '../../store/use-wizard';
import { formatDate } from '../../format';

/**
 * What the API cannot show: the ClickOps steps of the control and an attestation that someone
 * checked them by hand, kept in the profile's registers (`register:save`).
 */
export function ManualItems(props: { readonly control: ControlInfo; readonly manualCount: number }) {
  const registers = useWizard((s) => s.registers);
  const [name, setName] = useState('');
  // Only the form that saved shows the save's error.
  const [savedHere, setSavedHere] = useState(false);
  // What the person just chose, shown until the registers answer (then the saved state rules).
  const [pending, setPending] = useState<boolean | null>(null);
  const ids = { name: useId(), check: useId(), steps: useId() };
  const { control } = props;
  const attestation =
    registers.registers.status === 'done' ? registers.registers.value.attestations.find((a) => a.control === control.id) : undefined;
  const saving = registers.save.status === 'running';

  async function onToggle(checked: boolean) {
    setSavedHere(true);
    setPending(checked);
    try {
      await save(checked);
    } finally {
      setPending(null);
    }
  }

  async function save(checked: boolean) {
    if (checked) {
      await registers.attest({
        control: control.id,
        attestedBy: name,
        statement: `Checked by hand in Sentry following the manual steps of control ${control.id} (${control.title}); it meets the control.`,
      });
    } else if (attestation) {
      await registers.withdrawAttestation(attestation.id);
    }
  }

  return (
    <div className="manual-items">
      <h4 id={ids.steps}>
        Check by hand in Sentry ({props.manualCount} {props.manualCount === 1 ? 'item' : 'items'} the API cannot show)
      </h4>
      {control.manualSteps.length > 0 ? (
        <ol className="clickops" aria-labelledby={ids.steps}>
          {control.manualSteps.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
      ) : null}
      <div className="attest">
        {attestation ? null : (
          <div className="field field-inline">
            <label htmlFor={ids.name}>Your name</label>
            <input id={ids.name} type="text" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
          </div>
        )}
        <label className="checkbox">
          <input
            id={ids.check}
            type="checkbox"
            checked={pending ?? attestation !== undefined}
            aria-busy={pending !== null}
            disabled={saving || registers.registers.status !== 'done' || (!attestation && name.trim() === '')}
            onChange={(e) => void onToggle(e.target.checked)}
          />
          <span>
            I checked control {control.id} by hand and it meets the control
            {attestation ? ` (attested by ${attestation.attestedBy} on ${formatDate(attestation.attestedAt)})` : ''}
          </span>
        </label>
        {!attestation && name.trim() === '' ? <p className="hint">Enter your name to attest.</p> : null}
        {registers.registers.status === 'failed' ? <ErrorNotice error={registers.registers.error} context="Loading the registers" onRetry={() => void registers.load()} /> : null}
        {savedHere && registers.save.status === 'failed' ? <ErrorNotice error={registers.save.error} context="Saving the attestation" /> : null}
      </div>
    </div>
  );
}

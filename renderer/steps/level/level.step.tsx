import { levelIncludes } from '../../../shared/levels';
import { ErrorNotice } from '../../components/error-notice';
import { useWizard } from '../../store/use-wizard';
import { LevelChangeDialog } from './level-change-dialog';
import { LEVEL_CHOICES } from './levels';

/** Step 2: L1, L2 or L3, with what each adds (the checks listed from the catalog). */
export function LevelStep() {
  const level = useWizard((s) => s.level);
  const chooseLevel = useWizard((s) => s.session.chooseLevel);
  const catalog = useWizard((s) => s.catalog.catalog);
  const checks = catalog.status === 'done' ? catalog.value.controls.flatMap((c) => c.checks.map((k) => ({ ...k, control: c }))) : [];

  return (
    <div className="step-body">
      <fieldset className="fieldset level-choices">
        <legend>Which profile level should the checks cover?</legend>
        {LEVEL_CHOICES.map((choice) => {
          const added = checks.filter((k) => k.level === choice.level);
          const descId = `level-desc-${choice.level}`;
          return (
            <label key={choice.level} className={`level-card${level.level === choice.level ? ' level-card-chosen' : ''}`}>
              <span className="level-head">
                <input
                  type="radio"
                  name="profile-level"
                  value={choice.level}
                  checked={level.level === choice.level}
                  onChange={() => chooseLevel(choice.level)}
                  aria-describedby={descId}
                />
                <strong>{choice.title}</strong>
              </span>
              <span id={descId} className="level-desc">
                <span>{choice.adds}</span>
                {added.length > 0 ? (
                  <span className="level-adds">
                    {choice.level === 'L1' ? `${added.length} checks` : `${added.length} more checks`}, e.g.{' '}
                    {added
                      .slice(0, 4)
                      .map((k) => k.title)
                      .join('; ')}
                    {added.length > 4 ? '…' : '.'}
                  </span>
                ) : null}
              </span>
            </label>
          );
        })}
      </fieldset>
      {catalog.status === 'failed' ? <ErrorNotice error={catalog.error} context="Loading the list of checks" /> : null}
      {catalog.status === 'done' ? (
        <p className="hint">
          At {level.level}, the checks cover{' '}
          {catalog.value.controls.filter((c) => c.checks.some((k) => levelIncludes(level.level, k.level))).length} controls and{' '}
          {checks.filter((k) => levelIncludes(level.level, k.level)).length} checks. Each level includes the ones below it.
        </p>
      ) : null}
      {level.save.status === 'failed' ? <ErrorNotice error={level.save.error} context="Saving the level" /> : null}
      <p className="hint">Continuing starts the live checks: they only read from Sentry.</p>
      <LevelChangeDialog />
    </div>
  );
}

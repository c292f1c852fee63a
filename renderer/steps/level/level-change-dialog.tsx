import { useId } from 'react';
import { Dialog } from '../../components/dialog';
import { formatDateTime } from '../../format';
import { useWizard } from '../../store/use-wizard';
import { LEVEL_CHOICES } from './levels';

const levelName = (level: string): string => LEVEL_CHOICES.find((c) => c.level === level)?.title ?? level;

/**
 * Changing the level while the session has a before audit: re-check at the new level in this
 * session (the before audit and the change log stay), start a new session, or keep the level.
 */
export function LevelChangeDialog() {
  const session = useWizard((s) => s.session);
  const level = useWizard((s) => s.level.level);
  const baseline = useWizard((s) => s.checks.baseline);
  const changes = useWizard((s) =>
    [s.authentication, s.accessControls, s.dataSecurity, s.monitoring, s.integrations].reduce((n, slice) => n + slice.applied.reduce((m, b) => m + b.results.filter((r) => r.status === 'applied').length, 0), 0),
  );
  const descId = useId();
  const next = session.pendingLevel;
  if (!next || !baseline) return null;
  return (
    <Dialog title={`Change the level to ${levelName(next)}?`} onClose={() => void session.answerLevel('keep')} describedBy={descId}>
      <div id={descId}>
        <p>
          This session has a before audit at {baseline.level} from {formatDateTime(baseline.finishedAt)}
          {changes > 0 ? ` and ${changes} applied change${changes === 1 ? '' : 's'}` : ''}. The checks now run at {level}.
        </p>
        <ul>
          <li>
            <strong>Re-check in this session</strong>: the checks run again at {next}; the before audit and every change stay in
            this session, and its evidence package lists every change. A package compares audits of one level, so its before
            audit is the session&apos;s first check at {next}.
          </li>
          <li>
            <strong>Start a new session</strong>: the checks at {next} become the new before audit; this session&apos;s changes are not
            part of the new one (they stay in the organization and in the journal).
          </li>
        </ul>
      </div>
      <div className="dialog-actions">
        <button type="button" className="button-primary" data-autofocus onClick={() => void session.answerLevel('same-session')}>
          Re-check at {next} in this session
        </button>
        <button type="button" className="button-secondary" onClick={() => void session.answerLevel('new-session')}>
          Start a new session at {next}
        </button>
        <button type="button" className="button-secondary" onClick={() => void session.answerLevel('keep')}>
          Keep {level}
        </button>
      </div>
    </Dialog>
  );
}

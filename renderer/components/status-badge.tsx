import type { FindingStatus } from '../../shared/finding';
import { assertNever } from '../store/status';

export function statusLabel(status: FindingStatus): string {
  switch (status) {
    case 'pass':
      return 'Pass';
    case 'fail':
      return 'Fail';
    case 'error':
      return 'Error';
    case 'manual':
      return 'Manual';
    case 'not_applicable':
      return 'Not applicable';
    default:
      return assertNever(status, 'finding status');
  }
}

const GLYPH: Record<FindingStatus, string> = { pass: '✓', fail: '✗', error: '!', manual: '?', not_applicable: '–' };

/** A verdict as text and a glyph, never as colour alone. */
export function StatusBadge(props: { readonly status: FindingStatus }) {
  return (
    <span className={`badge badge-${props.status}`}>
      <span aria-hidden="true">{GLYPH[props.status]} </span>
      {statusLabel(props.status)}
    </span>
  );
}

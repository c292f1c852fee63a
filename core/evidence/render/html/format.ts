import type { FindingStatus, StatusCounts } from '../../../../shared/finding';
import { FINDING_STATUSES } from '../../../../shared/finding';
import type { OutcomeStatus } from '../../../../shared/plan';
import { html } from './safe-html';
import type { SafeHtml } from './safe-html';

/** Text helpers of the report: labels, colours, dates, counts. Nothing here reads a clock. */

export const STATUS_LABELS: Readonly<Record<FindingStatus, string>> = {
  pass: 'Pass',
  fail: 'Fail',
  error: 'Error',
  manual: 'Manual',
  not_applicable: 'N/A',
};

/** Fills with at least 4.5:1 contrast against white text (WCAG AA). */
export const STATUS_COLORS: Readonly<Record<FindingStatus, string>> = {
  pass: '#1a7f37',
  fail: '#c62828',
  error: '#a15c00',
  manual: '#2f5fa7',
  not_applicable: '#6b7280',
};

export const OUTCOME_LABELS: Readonly<Record<OutcomeStatus, string>> = {
  applied: 'Applied',
  already_applied: 'Already applied',
  drifted: 'Drifted, not sent',
  not_effective: 'Not effective',
  failed: 'Failed',
  declined: 'Declined',
  blocked: 'Blocked',
  not_attempted: 'Not attempted',
  not_applied: 'Not applied',
  uncertain: 'Uncertain',
};

export const OUTCOME_TONE: Readonly<Record<OutcomeStatus, FindingStatus>> = {
  applied: 'pass',
  already_applied: 'pass',
  drifted: 'error',
  not_effective: 'fail',
  failed: 'fail',
  declined: 'not_applicable',
  blocked: 'not_applicable',
  not_attempted: 'not_applicable',
  not_applied: 'not_applicable',
  uncertain: 'error',
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2025-03-04 09:12:05 UTC`, or the input itself when it is not a date. */
export function formatUtc(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

export function formatDate(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Compact JSON for values in tables, cut at `max` characters (report.json keeps the whole value). */
export function compactJson(value: unknown, max = 400): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'undefined';
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function queryString(query: Record<string, string>): string {
  const entries = Object.entries(query);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
}

/** `12,345`: grouped digits without depending on the machine's locale. */
export function num(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${num(n)} ${n === 1 ? word : many}`;
}

export function badge(status: FindingStatus, label = STATUS_LABELS[status]): SafeHtml {
  return html`<span class="badge s-${status}">${label}</span>`;
}

export function emptyCounts(): StatusCounts {
  return { pass: 0, fail: 0, error: 0, manual: 0, not_applicable: 0 };
}

export function countOf(findings: readonly { readonly status: FindingStatus }[]): StatusCounts {
  const c = emptyCounts();
  for (const f of findings) if (f.status in c) c[f.status] += 1;
  return c;
}

export function total(c: StatusCounts): number {
  return FINDING_STATUSES.reduce((n, s) => n + c[s], 0);
}

export function describeCounts(c: StatusCounts): string {
  const parts = FINDING_STATUSES.filter((s) => c[s] > 0).map((s) => `${c[s]} ${STATUS_LABELS[s].toLowerCase()}`);
  return parts.length > 0 ? parts.join(', ') : 'no findings';
}

/** The badges of the statuses that occur, each with its count. */
export function countBadges(c: StatusCounts): SafeHtml {
  const present = FINDING_STATUSES.filter((s) => c[s] > 0);
  if (present.length === 0) return html`<span class="muted">no findings</span>`;
  return html`${present.map((s, i) => html`${i > 0 ? ' ' : ''}${badge(s)} ${num(c[s])}`)}`;
}

export function tokenKindLabel(kind: string): string {
  switch (kind) {
    case 'user':
      return 'personal user token';
    case 'org_auth_token':
      return 'organization auth token';
    case 'internal_integration':
      return 'internal integration token';
    default:
      return 'token of unknown kind';
  }
}

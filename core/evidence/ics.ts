import type { EvidenceReport } from '../../shared/evidence';
import { EvidenceError } from '../primitives/errors';
import { sha256Hex } from '../primitives/hash';

/**
 * `review.ics` of an evidence package: the next review as one all-day event (RFC 5545), so it
 * lands in the calendar of whoever owns the review. The UID depends only on the organization and
 * the date: importing the package of a later session with the same date updates the event
 * instead of adding a second one.
 */

export interface RenderReviewIcsOptions {
  /** DTSTAMP (ISO 8601). Default: the report's finish time, so the file is reproducible. */
  readonly now?: string;
  /** A reminder this many days before; null for none. Default 7. */
  readonly alarmDaysBefore?: number | null;
}

const MAX_OCTETS = 75;

/** RFC 5545 3.1: lines of at most 75 octets, continued on lines that start with one space; never inside a UTF-8 sequence. */
export function foldIcsLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    // The continuation's leading space counts toward its 75 octets.
    const limit = out.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** RFC 5545 3.3.11 TEXT: backslash, semicolon and comma escaped, line breaks as `\n`, other controls dropped. */
export function escapeIcsText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `YYYYMMDD` of a date or a timestamp (its UTC day). */
function icsDate(value: string): string {
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = plain ? new Date(Date.UTC(Number(plain[1]), Number(plain[2]) - 1, Number(plain[3]))) : new Date(value);
  if (Number.isNaN(d.getTime()) || (plain && d.toISOString().slice(0, 10) !== value)) {
    throw new EvidenceError('invalid_input', `The review date "${value}" is not a date such as 2025-06-02.`);
  }
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}

function nextDay(yyyymmdd: string): string {
  const d = new Date(Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8)) + 1));
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}

function icsTimestamp(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new EvidenceError('invalid_input', `"${iso}" is not a timestamp.`);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}

/** Stable per organization (its Sentry, id and slug) and review date. */
export function reviewEventUid(report: Pick<EvidenceReport, 'target' | 'review'>): string {
  const instance = report.target.url.trim().toLowerCase().replace(/\/+$/, '');
  const org = sha256Hex(`${instance}|${report.target.org.id}|${report.target.org.slug}`).slice(0, 24);
  return `review-${icsDate(report.review.nextReviewDate)}-${org}@sentry-harden`;
}

export function renderReviewIcs(report: EvidenceReport, opts: RenderReviewIcsOptions = {}): string {
  const start = icsDate(report.review.nextReviewDate);
  const org = report.target.org;
  const alarm = opts.alarmDaysBefore === undefined ? 7 : opts.alarmDaysBefore;
  const summary = `Sentry hardening review: ${org.name}`;
  const description =
    `Periodic hardening review of the Sentry organization ${org.name} (${org.slug}) at ${report.target.url}, level ${report.level}.\n` +
    `The last session finished ${report.finishedAt}; reviews are due every ${report.review.intervalDays} days.\n` +
    'Audit the organization again and compare with the last evidence package (sentry-harden audit --baseline PACKAGE): ' +
    'newly failing checks, expired exceptions, new integrations and scopes.';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:-//sentry-harden//${escapeIcsText(report.tool.version)}//EN`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${reviewEventUid(report)}`,
    `DTSTAMP:${icsTimestamp(opts.now ?? report.finishedAt)}`,
    `DTSTART;VALUE=DATE:${start}`,
    `DTEND;VALUE=DATE:${nextDay(start)}`,
    `SUMMARY:${escapeIcsText(summary)}`,
    `DESCRIPTION:${escapeIcsText(description)}`,
    'CATEGORIES:Security review',
    'TRANSP:TRANSPARENT',
    'STATUS:CONFIRMED',
    ...(alarm !== null && alarm > 0
      ? ['BEGIN:VALARM', 'ACTION:DISPLAY', `TRIGGER:-P${Math.floor(alarm)}D`, `DESCRIPTION:${escapeIcsText(summary)}`, 'END:VALARM']
      : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map((l) => `${foldIcsLine(l)}\r\n`).join('');
}

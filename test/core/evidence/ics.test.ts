import { describe, expect, it } from 'vitest';
import { EvidenceError } from '../../../core/primitives/errors';
import { escapeIcsText, foldIcsLine, renderReviewIcs, reviewEventUid } from '../../../core/evidence/ics';
import { buildSampleEvidenceReport } from '../../helpers/report-fixture';
import type { EvidenceReport } from '../../../shared/evidence';

/** Physical lines: CRLF-terminated, nothing else. */
function physicalLines(ics: string): string[] {
  expect(ics.endsWith('\r\n')).toBe(true);
  expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  return ics.slice(0, -2).split('\r\n');
}

/** RFC 5545 3.1 unfolding, then NAME[;PARAMS]:VALUE. */
function properties(ics: string): { name: string; params: string; value: string }[] {
  const unfolded = ics.replace(/\r\n[ \t]/g, '');
  return unfolded
    .slice(0, -2)
    .split('\r\n')
    .map((line) => {
      const m = /^([A-Z-]+)((?:;[^:]*)?):(.*)$/.exec(line);
      if (!m) throw new Error(`not a content line: ${line}`);
      return { name: m[1]!, params: m[2]!, value: m[3]! };
    });
}

function unescapeText(v: string): string {
  return v.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

function withOrg(report: EvidenceReport, org: Partial<EvidenceReport['target']['org']>, url?: string): EvidenceReport {
  return { ...report, target: { ...report.target, url: url ?? report.target.url, org: { ...report.target.org, ...org } } };
}

describe('renderReviewIcs', () => {
  const report = buildSampleEvidenceReport();
  const ics = renderReviewIcs(report);

  it('is one calendar with one all-day event on the review date', () => {
    const props = properties(ics);
    expect(props[0]).toEqual({ name: 'BEGIN', params: '', value: 'VCALENDAR' });
    expect(props.at(-1)).toEqual({ name: 'END', params: '', value: 'VCALENDAR' });
    expect(props.filter((p) => p.name === 'BEGIN' && p.value === 'VEVENT')).toHaveLength(1);
    const get = (name: string) => props.find((p) => p.name === name)!;
    expect(get('VERSION').value).toBe('2.0');
    expect(get('PRODID').value).toMatch(/^-\/\/sentry-harden\/\//);
    expect(get('DTSTART')).toEqual({ name: 'DTSTART', params: ';VALUE=DATE', value: '20250602' });
    expect(get('DTEND')).toEqual({ name: 'DTEND', params: ';VALUE=DATE', value: '20250603' });
    expect(get('DTSTAMP').value).toBe('20250304T092344Z');
    expect(unescapeText(get('SUMMARY').value)).toBe('Sentry hardening review: Acme Robotics');
    const description = unescapeText(get('DESCRIPTION').value);
    expect(description).toContain('Acme Robotics (acme-robotics) at https://sentry.io, level L2.\nThe last session');
    expect(description).toContain('every 90 days');
    expect(get('TRIGGER').value).toBe('-P7D');
  });

  it('uses CRLF and folds lines at 75 octets without splitting a character', () => {
    const long = withOrg(report, { name: `Ünïcödé Robotics GmbH & Co. KG; Ärzte, "Zürich" \\ 日本支社 ${'é'.repeat(80)}` });
    for (const text of [ics, renderReviewIcs(long)]) {
      const lines = physicalLines(text);
      for (const line of lines) {
        expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
        // A split inside a UTF-8 sequence or a surrogate pair would not survive a round trip.
        expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
      }
    }
    const lines = physicalLines(renderReviewIcs(long));
    expect(lines.some((l) => l.startsWith(' '))).toBe(true);
    const summary = properties(renderReviewIcs(long)).find((p) => p.name === 'SUMMARY')!;
    expect(unescapeText(summary.value)).toBe(`Sentry hardening review: ${long.target.org.name}`);
  });

  it('escapes text values', () => {
    expect(escapeIcsText('a\\b;c,d\ne\r\nf\u0007g')).toBe('a\\\\b\\;c\\,d\\ne\\nfg');
    const evil = withOrg(report, { name: 'Evil\r\nBEGIN:VEVENT\r\nSUMMARY:injected' });
    const props = properties(renderReviewIcs(evil));
    expect(props.filter((p) => p.name === 'BEGIN' && p.value === 'VEVENT')).toHaveLength(1);
    expect(props.filter((p) => p.name === 'SUMMARY')).toHaveLength(1);
    expect(unescapeText(props.find((p) => p.name === 'SUMMARY')!.value)).toBe('Sentry hardening review: Evil\nBEGIN:VEVENT\nSUMMARY:injected');
  });

  it('folds exactly: 75 octets first, 74 after the leading space, and unfolds to the original', () => {
    const line = `DESCRIPTION:${'x'.repeat(200)}`;
    const folded = foldIcsLine(line).split('\r\n');
    expect(folded.map((l) => l.length)).toEqual([75, 75, 64]);
    expect(folded.slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(foldIcsLine(line).replace(/\r\n /g, '')).toBe(line);
    expect(foldIcsLine('short')).toBe('short');
    // Three-octet characters near the boundary move whole to the next line.
    const cjk = foldIcsLine(`SUMMARY:${'日'.repeat(40)}`).split('\r\n');
    for (const l of cjk) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
    expect(cjk.join('').replace(/ /g, '')).toBe(`SUMMARY:${'日'.repeat(40)}`);
  });

  it('keeps the UID stable per organization and date', () => {
    const uid = reviewEventUid(report);
    expect(uid).toMatch(/^review-20250602-[0-9a-f]{24}@sentry-harden$/);
    expect(properties(ics).find((p) => p.name === 'UID')!.value).toBe(uid);
    // Another session of the same organization, same date: same event.
    const later = { ...withOrg(report, { name: 'Acme Robotics Inc.' }, 'https://sentry.io/'), finishedAt: '2025-03-05T10:00:00Z' };
    expect(reviewEventUid(later)).toBe(uid);
    expect(renderReviewIcs(later)).toContain(`UID:${uid}`);
    // Another date, another organization or another Sentry: another event.
    expect(reviewEventUid({ ...report, review: { ...report.review, nextReviewDate: '2025-06-03' } })).not.toBe(uid);
    expect(reviewEventUid(withOrg(report, { slug: 'acme-labs' }))).not.toBe(uid);
    expect(reviewEventUid(withOrg(report, {}, 'https://sentry.acme.example'))).not.toBe(uid);
  });

  it('accepts a timestamp as the review date, honours options, and refuses a non-date', () => {
    const ts = { ...report, review: { ...report.review, nextReviewDate: '2025-06-02T00:00:00Z' } };
    expect(renderReviewIcs(ts)).toContain('DTSTART;VALUE=DATE:20250602\r\n');
    expect(renderReviewIcs(report, { now: '2025-04-01T08:00:00Z' })).toContain('DTSTAMP:20250401T080000Z\r\n');
    expect(renderReviewIcs(report, { alarmDaysBefore: null })).not.toContain('VALARM');
    // Month ends roll over.
    expect(renderReviewIcs({ ...report, review: { ...report.review, nextReviewDate: '2025-12-31' } })).toContain('DTEND;VALUE=DATE:20260101\r\n');
    expect(() => renderReviewIcs({ ...report, review: { ...report.review, nextReviewDate: '2025-02-30' } })).toThrow(EvidenceError);
    expect(() => renderReviewIcs({ ...report, review: { ...report.review, nextReviewDate: 'next quarter' } })).toThrow(/not a date/);
  });
});

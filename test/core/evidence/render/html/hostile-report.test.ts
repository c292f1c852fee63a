import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../../../../core/evidence/render/html/index';
import { buildSampleEvidenceReport } from '../../../../helpers/report-fixture';
import type { EvidenceReport } from '../../../../../shared/evidence';
import { checkStructure } from '../../../../helpers/html-structure';

/**
 * Every string of a report, hostile at once: each value and each key of every object gets
 * markup appended, in a report large enough that findings and reads fold into lists. Nothing of
 * it may become markup, an attribute, a live link or an unsafe id.
 */

const EVIL = `<script>alert(1)</script>"'><img src=x onerror=alert(2)><a href="javascript:alert(3)">`;
// Values the renderer looks up (statuses, kinds) or links by (hashes) stay as they are; their
// text is rendered elsewhere and is escaped like the rest.
const KEEP = new Set(['status', 'outcome', 'kind', 'type', 'risk', 'host', 'phase', 'sha256', 'level', 'before', 'after']);
const RECORDS = new Set(['settings', 'details', 'query', 'fields']);

function poison(value: unknown, key: string | null): unknown {
  if (typeof value === 'string') return key !== null && KEEP.has(key) ? value : `${value}${EVIL}`;
  if (Array.isArray(value)) return value.map((v) => poison(v, key));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const record = RECORDS.has(key ?? '');
      // Drift and findings have `before`/`after` statuses; a change's before, after and re-check are records of values.
      if (key === 'changes' && (k === 'before' || k === 'after' || k === 'recheck')) return [k, poison(v, 'fields')];
      return [record ? `${k}${EVIL}` : k, poison(v, record ? null : k)];
    }),
  );
}

describe('report.html of a report whose every string is hostile', () => {
  const base = buildSampleEvidenceReport({ findings: 6_000, withDrift: true });
  // More reads than the register shows open, so they fold into one-a-line lists too.
  const extraReads = Array.from({ length: 350 }, (_, i) => ({ ...base.reads[0]!, sha256: (i + 1).toString(16).padStart(64, '0'), endpoint: `/api/0/projects/acme/p-${i}/` }));
  const changes = base.changes.map((c, i) => (i === 0 ? { ...c, kind: 'apply' as const, undoneBy: 'u1' } : c));
  changes.push({ ...base.changes[0]!, id: 'u1', kind: 'undo', undoes: base.changes[0]!.id });
  const report = poison({ ...base, reads: [...base.reads, ...extraReads], changes, demo: true, signer: { keyid: 'k', fingerprint: 'SHA256:x' } }, null) as EvidenceReport;
  const out = renderReportHtml(report);

  it('renders inert: no injected element, attribute, link or id', () => {
    const s = checkStructure(out);
    for (const tag of ['script', 'img', 'iframe', 'object', 'embed']) expect(s.tags).not.toContain(tag);
    expect(s.attributes.filter((a) => a.startsWith('on'))).toEqual([]);
    for (const id of s.ids) expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(new Set(s.ids).size).toBe(s.ids.length);
    for (const h of s.hrefs) expect(h).toMatch(/^(#[A-Za-z0-9_-]+|raw\/[0-9a-f]{64}\.json\.gz)$/);
    expect(out).not.toContain(EVIL);
    expect(out).not.toContain('<script');
  });

  it('still shows the hostile text, escaped, in every part', () => {
    const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;';
    const count = out.split(escaped).length - 1;
    expect(count).toBeGreaterThan(6_000);
    for (const id of ['cover', 'scorecard', 'findings', 'changes', 'drift', 'exceptions', 'attestations', 'integration-register', 'evidence-register', 'about']) {
      const start = out.indexOf(`id="${id}"`);
      expect(start, id).toBeGreaterThan(0);
      expect(out.slice(start, start + 400_000), id).toContain(escaped);
    }
    // The folded parts: names of findings past the open rows, and reads past the open register.
    expect(out).toMatch(/<details class="more"><summary>[\d,]+ more findings/);
    expect(out).toMatch(/<ol class="reads"><li id="r\d+">/);
    expect(out).toContain(`Demo organization, simulated data`);
  });
});

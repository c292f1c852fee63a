import { isIP } from 'node:net';
import type { Finding } from '../../shared/finding';
import { z } from 'zod';
import { projectRef } from '../controls/findings';
import { listParam, opChange, paramsWithPrefix, summariseList } from './build';
import { IP_BLOCKLIST_OPTION as OPTION } from './operations';
import type { ChangeDraft, FixDefinition, FixProposal, OperationRule } from './types';
import { FixParamError } from './types';

const CHECK = '3.3.ip-blocklist';
/** Beyond this many projects the plan offers no editor per project (an audit of thousands would list thousands). */
const MAX_OFFERED = 50;

/** Addresses and ranges only, one a line (validated per range when planned). */
const RULE: OperationRule = { op: 'ip-blocklist', after: z.strictObject({ blockedIps: z.string().max(100_000).regex(/^[0-9a-f.:/\n]*$/i) }), risk: 'low', reversible: true };

/** An IPv4 or IPv6 address, optionally with a prefix length in range; returned lower-cased as Sentry stores it. */
export function parseCidr(value: string, key: string): string {
  const v = value.trim().toLowerCase();
  const [addr = '', prefix, extra] = v.split('/');
  const family = isIP(addr);
  const max = family === 4 ? 32 : 128;
  const ok = family !== 0 && extra === undefined && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max));
  if (!ok) throw new FixParamError(`"${value}" is not an IP address or CIDR range such as 203.0.113.0/24 or 2001:db8::/32`, key);
  return v;
}

/**
 * Adds IP ranges to a project's blocklist (REFERENCE.md 5, 7): the API takes a newline-separated
 * string in `options`; ranges are validated here and merged with the list already there.
 */
export const ipBlocklistFix: FixDefinition = {
  id: 'ip-blocklist',
  title: 'Block IP ranges',
  controls: ['3.3'],
  checks: [CHECK],
  operations: [RULE],
  params: [{ key: 'blockIps.<project>', pattern: /^blockIps\.[^.]+$/, description: 'IP addresses or CIDR ranges (comma-separated) to add to the project\'s blocklist.' }],

  async plan(ctx, findings: readonly Finding[]): Promise<FixProposal> {
    const changes: ChangeDraft[] = [];
    const wanted = paramsWithPrefix(ctx, 'blockIps');
    const notes = offerRanges(findings, wanted);
    for (const [slug, value] of wanted) {
      const ranges = listParam(value).map((r) => parseCidr(r, `blockIps.${slug}`));
      if (ranges.length === 0) throw new FixParamError(`give at least one address or range`, `blockIps.${slug}`);
      const detail = await ctx.data.projectDetail(slug);
      if (!detail.ok) throw new FixParamError(`cannot read project "${slug}" (${detail.error.message})`, `blockIps.${slug}`);
      const raw = detail.value.options[OPTION];
      const current = typeof raw === 'string' ? raw : null;
      const lines = (current ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
      const added = ranges.filter((r) => !lines.includes(r));
      if (added.length === 0) continue;
      const merged = [...lines, ...added].join('\n');
      changes.push(
        opChange(ctx, RULE, { args: { project: detail.value.slug } }, { before: { blockedIps: current }, after: { blockedIps: merged } }, {
          ref: `ips:${slug}`,
          control: '3.3',
          check: CHECK,
          resource: projectRef(detail.value),
          field: 'IP blocklist',
          description: `Block events from ${summariseList(added, 'ranges')} in ${slug} (added to the ${lines.length} range(s) already listed).`,
        }),
      );
    }
    return { changes, notes };
  },
};

/** The review finding lists each project's ranges: one optional list editor per project not chosen yet. */
function offerRanges(findings: readonly Finding[], wanted: ReadonlyMap<string, string>): FixProposal['notes'][number][] {
  const review = findings.find((f) => f.check === CHECK && f.details?.blockedRanges !== undefined);
  const ranges = review?.details?.blockedRanges;
  if (!review || ranges === null || typeof ranges !== 'object' || Array.isArray(ranges)) return [];
  const slugs = Object.keys(ranges).filter((s) => !wanted.has(s));
  if (slugs.length > MAX_OFFERED) {
    return [{ control: '3.3', check: CHECK, kind: 'info', message: `${slugs.length} projects could block IP ranges; block ranges in each project's settings (Inbound Filters) where needed.` }];
  }
  return slugs.map((slug) => {
    const listed = (ranges as Record<string, unknown>)[slug];
    const count = Array.isArray(listed) ? listed.length : 0;
    return {
      control: '3.3',
      check: CHECK,
      resource: { type: 'project', id: slug, name: slug },
      kind: 'info',
      message: `${slug} blocks ${count === 0 ? 'no IP range' : `${count} IP range(s)`}; add addresses or ranges that should never send events, if any.`,
      param: { key: `blockIps.${slug}`, kind: 'cidr_ranges', label: `Addresses or ranges to block in ${slug}`, multiple: true, min: 1 },
    };
  });
}

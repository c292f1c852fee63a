import type { Evidence } from '../../shared/finding';
import type { InboundFilter } from '../sentry/schemas';
import type { CheckDefinition, ControlDefinition } from './types';
import { orgRef, plural, projectRef, readGroup, recorder } from './findings';
import { readProjectDetails } from './project-data';

const ID = '3.3';

const CHECKS = {
  filters: { id: '3.3.inbound-filters', title: 'Inbound filters drop events from untrusted sources', level: 'L2', fields: ['id', 'active'] },
  ipBlocklist: { id: '3.3.ip-blocklist', title: 'IP blocklist reviewed', level: 'L2', fields: ['options.filters:blacklisted_ips'] },
} as const satisfies Record<string, CheckDefinition>;

/**
 * Filters every project should have on. Each drops events that anyone holding a public DSN, or a
 * developer's machine, can produce, and that never describe production faults:
 * - browser-extensions: errors thrown by extensions injected into the page, attacker-controlled text;
 * - web-crawlers: bots replaying pages in bulk, a cheap way to burn the quota;
 * - localhost: events from developer machines, which also carry their local data.
 * legacy-browsers is not required: it trims noise from old browsers, not a source of abuse, and
 * dropping those events can hide real faults for users still on them.
 */
export const REQUIRED_FILTERS = ['browser-extensions', 'web-crawlers', 'localhost'] as const;

function isActive(f: InboundFilter): boolean {
  return Array.isArray(f.active) ? f.active.length > 0 : f.active;
}

/** `filters:blacklisted_ips` is a newline-joined string. */
function blocklistOf(options: Record<string, unknown>): string[] {
  const raw = options['filters:blacklisted_ips'];
  if (typeof raw !== 'string') return [];
  return raw
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export const inboundFiltering: ControlDefinition = {
  id: ID,
  title: 'Filter inbound events by source',
  section: '3',
  level: 'L2',
  // SOC 2 criterion chosen by us (the guide gives none for 3.3).
  mappings: { cis: ['13.5'], nist: ['AC-17'], soc2: ['CC6.6'] },
  rationale:
    'Sentry cannot allow-list sender IPs; it can only drop events by source. Inbound filters and an IP ' +
    'blocklist keep junk and forged events sent with a leaked DSN out of the data people triage and out of ' +
    'the quota; the allow-style control, allowed origins, is checked under 3.2.',
  manualSteps: [
    'In each project\'s Settings > Inbound Filters, turn on the filters for browser extensions, web crawlers and localhost.',
    'Under "IP Addresses" on the same page, block ranges that abuse the DSN and, where internal test networks should not report, those networks.',
    'Write down why each blocked range is there and review the list with the other filters.',
  ],
  requiredScopes: [['org:read', 'org:write', 'org:admin'], ['project:read', 'project:write', 'project:admin']],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    if (!ctx.includes('L2')) return r.findings;
    const [org, projects] = await Promise.all([ctx.data.organization(), ctx.data.projects()]);
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);
    if (!projects.ok) {
      for (const check of Object.values(CHECKS)) r.error(check, orgRes, projects, 'projects');
      return r.findings;
    }
    const unseen = r.invalidItems(Object.values(CHECKS), projects.evidence, 'projects');
    if (projects.value.length === 0) {
      if (unseen > 0) return r.findings;
      for (const check of Object.values(CHECKS)) r.notApplicable(check, orgRes, 'The organization has no projects.', [projects.evidence]);
      return r.findings;
    }

    const filterReads = await Promise.all(
      projects.value.map(async (project) => ({ project, filters: await ctx.data.projectFilters(project.slug) })),
    );
    const filterEv: Evidence[] = [];
    let lacking = 0;
    let errors = 0;
    for (const { project, filters } of filterReads) {
      const res = projectRef(project);
      if (!filters.ok) {
        errors += 1;
        r.error(CHECKS.filters, res, filters, 'projectFilters', { arg: project.slug, evidence: [projects.evidence] });
        continue;
      }
      filterEv.push(filters.evidence);
      const ev = [projects.evidence, filters.evidence];
      const byId = new Map(filters.value.map((f) => [f.id, f]));
      const unknown = REQUIRED_FILTERS.filter((id) => !byId.has(id));
      const off = REQUIRED_FILTERS.filter((id) => byId.has(id) && !isActive(byId.get(id) as InboundFilter));
      const state = Object.fromEntries(filters.value.map((f) => [f.id, f.active]));
      if (off.length > 0) {
        lacking += 1;
        r.fail(CHECKS.filters, res, `Project "${project.slug}" does not filter ${off.join(', ')}.`, ev, { inactive: off, filters: state });
      } else if (r.invalidItems([CHECKS.filters], filters.evidence, 'projectFilters', { resourceOf: () => res }) > 0) {
        // A required filter may be the entry that did not validate: no verdict for this project.
        errors += 1;
      } else if (unknown.length > 0) {
        lacking += 1;
        r.manual(CHECKS.filters, res, `This Sentry does not offer the ${unknown.join(', ')} filter for "${project.slug}"; check the project's inbound filters.`, ev, {
          notOffered: unknown,
          filters: state,
        });
      }
    }
    if (errors === 0 && lacking === 0 && unseen === 0) {
      r.pass(CHECKS.filters, orgRes, `All ${plural(projects.value.length, 'project')} filter ${REQUIRED_FILTERS.join(', ')}.`, [projects.evidence, readGroup('every project\'s inbound filters', filterEv)], {
        required: [...REQUIRED_FILTERS],
      });
    }

    // An empty blocklist is not a weakness in itself; what belongs on it is a judgement call.
    const reads = await readProjectDetails(ctx.data, projects.value);
    const listEv: Evidence[] = [];
    const ranges: Record<string, string[]> = {};
    for (const { project, detail } of reads) {
      if (!detail.ok) {
        r.error(CHECKS.ipBlocklist, projectRef(project), detail, 'projectDetail', { arg: project.slug, evidence: [projects.evidence] });
        continue;
      }
      listEv.push(detail.evidence);
      ranges[project.slug] = blocklistOf(detail.value.options);
    }
    const withList = Object.values(ranges).filter((l) => l.length > 0).length;
    r.manual(
      CHECKS.ipBlocklist,
      orgRes,
      withList === 0
        ? 'No project blocks any IP range. Decide whether abusive sources or internal test networks should be blocked.'
        : `${plural(withList, 'project blocks', 'projects block')} IP ranges; confirm each range is still wanted and documented.`,
      [projects.evidence, readGroup('every project detail', listEv)],
      { blockedRanges: ranges },
    );
    return r.findings;
  },
};

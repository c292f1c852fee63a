import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../shared/finding';
import type { AuditReport } from '../../../shared/report';
import { auditDemo, findingKey, withDemoSimulator } from '../../helpers/demo-audit';
import { SERVER_PROFILES } from '../../../simulator/index';

/**
 * The 2023-2024 sentry.io era, whose org auth token list answered bearer tokens (today's is
 * session-only, simulator/profiles.ts `orgAuthTokenList`), so every list endpoint has items to break.
 */
const TOKENS_READABLE = { profile: { ...SERVER_PROFILES.saas, orgAuthTokenList: 'bearer' as const } };

/**
 * The fault matrix, per item: one malformed item in each list endpoint the audit reads, and each
 * optional field missing. One odd item never sinks a list: the audit completes, the checks about
 * that item are `error` naming the item, the field and the endpoint, every other item is still
 * evaluated, and nothing passes that the item could have refuted. L3 so that every list is read.
 */
const LEVEL = 'L3' as const;

interface ListEndpoint {
  readonly path: string;
  /** A fragment of the endpoint every message about it contains. */
  readonly names: string;
  /** A field the schema requires, set to a value of the wrong type on item 0 only. */
  readonly field: string;
}

const LISTS: readonly ListEndpoint[] = [
  { path: '/api/0/organizations/:org/members/', names: '/members/', field: 'email' },
  { path: '/api/0/organizations/:org/teams/', names: '/teams/', field: 'name' },
  { path: '/api/0/teams/:org/:team/members/', names: '/members/', field: 'email' },
  { path: '/api/0/organizations/:org/projects/', names: '/projects/', field: 'name' },
  { path: '/api/0/organizations/:org/project-keys/', names: '/project-keys/', field: 'isActive' },
  { path: '/api/0/projects/:org/:project/filters/', names: '/filters/', field: 'active' },
  { path: '/api/0/organizations/:org/audit-logs/', names: '/audit-logs/', field: 'event' },
  { path: '/api/0/organizations/:org/integrations/', names: '/integrations/', field: 'status' },
  { path: '/api/0/organizations/:org/sentry-apps/', names: '/sentry-apps/', field: 'scopes' },
  { path: '/api/0/organizations/:org/sentry-app-installations/', names: '/sentry-app-installations/', field: 'status' },
  { path: '/api/0/organizations/:org/org-auth-tokens/', names: '/org-auth-tokens/', field: 'scopes' },
];

/** Checks whose claim is about one item, or about the read itself: they may pass beside an odd item. */
const PER_ITEM_CLAIMS = new Set(['INT.1.inventory', '4.1.audit-log-readable']);

interface MissingField {
  readonly path: string;
  readonly field: string;
  /** `null` instead of removing it (a nullable column). */
  readonly nullInstead?: true;
  /** The check that reads it: it becomes `error` naming the field; every other verdict holds. */
  readonly readBy?: string;
}

const OPTIONAL_FIELDS: readonly MissingField[] = [
  { path: '/api/0/', field: 'version' },
  { path: '/api/0/organizations/:org/project-keys/', field: 'secret', nullInstead: true },
  { path: '/api/0/organizations/:org/project-keys/', field: 'secret' },
  { path: '/api/0/organizations/:org/project-keys/', field: 'dsn' },
  { path: '/api/0/organizations/:org/project-keys/', field: 'label' },
  { path: '/api/0/organizations/:org/project-keys/', field: 'browserSdkVersion' },
  { path: '/api/0/organizations/:org/project-keys/', field: 'rateLimit', readBy: '3.2.rate-limit' },
  { path: '/api/0/organizations/:org/project-keys/', field: 'dateCreated', readBy: '3.2.key-age' },
  { path: '/api/0/organizations/:org/projects/', field: 'hasAccess' },
  { path: '/api/0/organizations/:org/projects/', field: 'platform' },
  { path: '/api/0/organizations/:org/projects/', field: 'dateCreated' },
  { path: '/api/0/organizations/:org/teams/', field: 'memberCount' },
  { path: '/api/0/organizations/:org/teams/', field: 'flags' },
  { path: '/api/0/projects/:org/:project/', field: 'features' },
  { path: '/api/0/projects/:org/:project/', field: 'relayPiiConfig' },
  { path: '/api/0/organizations/:org/integrations/', field: 'configData' },
  { path: '/api/0/organizations/:org/integrations/', field: 'configOrganization' },
  { path: '/api/0/organizations/:org/integrations/', field: 'externalId' },
  { path: '/api/0/organizations/:org/integrations/', field: 'accountType' },
  { path: '/api/0/organizations/:org/sentry-apps/', field: 'isDisabled' },
  { path: '/api/0/organizations/:org/sentry-apps/', field: 'events' },
  { path: '/api/0/organizations/:org/sentry-apps/', field: 'webhookUrl' },
  { path: '/api/0/organizations/:org/sentry-apps/', field: 'owner' },
  { path: '/api/0/organizations/:org/sentry-apps/', field: 'allowedOrigins' },
  { path: '/api/0/organizations/:org/sentry-apps/', field: 'datePublished' },
  { path: '/api/0/organizations/:org/audit-logs/', field: 'actor' },
  { path: '/api/0/organizations/:org/audit-logs/', field: 'ipAddress' },
  { path: '/api/0/organizations/:org/audit-logs/', field: 'note' },
  { path: '/api/0/organizations/:org/audit-logs/', field: 'data' },
  { path: '/api/0/organizations/:org/org-auth-tokens/', field: 'tokenLastCharacters' },
];

let baseline: readonly Finding[] = [];

beforeAll(async () => {
  baseline = await withDemoSimulator(TOKENS_READABLE, async (sim) => (await auditDemo(sim, { level: LEVEL })).report.findings);
  expect(baseline.some((f) => f.status === 'error')).toBe(false);
});

function endpointRegex(path: string): RegExp {
  return new RegExp(`^${path.replace(/:[a-z]+/g, '[^/]+')}$`);
}

function statuses(findings: readonly Finding[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of findings) out.set(findingKey(f), [...(out.get(findingKey(f)) ?? []), f.status].sort());
  return out;
}

/** Ids of the items that did not validate, over every read of the report. */
function invalidIds(report: AuditReport): Set<string> {
  return new Set(report.reads.flatMap((r) => (r.invalid ?? []).flatMap((i) => (i.id === undefined ? [] : [i.id]))));
}

describe('fault matrix: one malformed item per list', () => {
  for (const list of LISTS) {
    it(`item 0 of ${list.path} with a wrong "${list.field}"`, async () => {
      await withDemoSimulator(TOKENS_READABLE, async (sim) => {
        sim.faults.add({ method: 'GET', path: list.path, kind: 'wrong_shape', field: list.field, value: { unexpected: true }, index: 0 });
        const { report } = await auditDemo(sim, { level: LEVEL, timeoutMs: 2_000 });
        const re = endpointRegex(list.path);
        const reads = report.reads.filter((r) => re.test(r.endpoint));
        expect(reads.length, `no read of ${list.path}`).toBeGreaterThan(0);
        expect(reads.some((r) => (r.invalid ?? []).some((i) => i.index === 0 && i.field === list.field)), 'the item is named in the evidence').toBe(true);

        // The checks about that item are errors that name it, the field and the endpoint.
        const errors = report.findings.filter((f) => f.status === 'error');
        const naming = errors.filter((f) => f.message.includes(list.names) && f.message.includes('item 0') && f.message.includes(`"${list.field}"`));
        expect(naming.length, errors.map((f) => f.message).join('\n') || 'no error at all').toBeGreaterThan(0);
        expect(report.findings.filter((f) => f.errorCode === 'malformed_response' && f.resource.type === 'organization' && !f.message.includes('item'))).toEqual([]);

        // Nothing passes that the item could refute.
        const basePass = new Set(baseline.filter((f) => f.status === 'pass').map(findingKey));
        for (const f of report.findings.filter((x) => x.status === 'pass')) {
          expect(basePass.has(findingKey(f)), `new pass: ${findingKey(f)}`).toBe(true);
          if (PER_ITEM_CLAIMS.has(f.check)) continue;
          for (const ev of f.evidence) expect((ev.invalid ?? []).length, `${f.check} passed beside an invalid item of ${ev.endpoint}`).toBe(0);
        }

        // Every other item is still evaluated: its failures are still found.
        const odd = invalidIds(report);
        const now = statuses(report.findings);
        for (const f of baseline.filter((x) => x.status === 'fail' && !odd.has(x.resource.id))) {
          expect(now.get(findingKey(f)) ?? [], `lost verdict ${findingKey(f)}`).toContain('fail');
        }
      });
    });
  }
});

describe('fault matrix: each optional field missing', () => {
  for (const m of OPTIONAL_FIELDS) {
    it(`${m.path} without "${m.field}"${m.nullInstead ? ' (null)' : ''}`, async () => {
      await withDemoSimulator(TOKENS_READABLE, async (sim) => {
        sim.faults.add(
          m.nullInstead
            ? { method: 'GET', path: m.path, kind: 'wrong_shape', field: m.field, value: null }
            : { method: 'GET', path: m.path, kind: 'missing_field', field: m.field },
        );
        const { report } = await auditDemo(sim, { level: LEVEL, timeoutMs: 2_000 });
        const base = statuses(baseline);
        const now = statuses(report.findings);
        for (const [key, was] of base) {
          if (m.readBy && key.startsWith(`${m.readBy}|`)) continue;
          expect(now.get(key), `verdict changed: ${key}`).toEqual(was);
        }
        if (m.readBy) {
          const mine = report.findings.filter((f) => f.check === m.readBy);
          expect(mine.some((f) => f.status === 'pass')).toBe(false);
          const named = mine.filter((f) => f.status === 'error' && f.message.includes(`"${m.field}"`));
          expect(named.length, mine.map((f) => `${f.status}: ${f.message}`).join('\n')).toBeGreaterThan(0);
        }
      });
    });
  }
});

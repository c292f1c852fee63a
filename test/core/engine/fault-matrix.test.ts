import { beforeAll, describe, expect, it } from 'vitest';
import type { FaultSpec } from '../../../simulator/index';
import { DEMO_TOKENS, SERVER_PROFILES } from '../../../simulator/index';
import type { SimulatorOptions } from '../../../simulator/index';

/** The 2023-2024 servers let bearer tokens read the org auth token list, so faults there reach the audit. */
const SIM: SimulatorOptions = { profile: { ...SERVER_PROFILES.saas, orgAuthTokenList: 'bearer' } };
import { isSentryApiError } from '../../../core/sentry/errors';
import type { Finding } from '../../../shared/finding';
import { auditDemo, findingKey, withDemoSimulator } from '../../helpers/demo-audit';

/**
 * Every fault at every endpoint the audit reads: the audit completes (or, for the two reads
 * `connect` needs, stops with an error naming the endpoint), no check passes that it could not
 * prove, and an error finding names the endpoint. L3 so that every endpoint is read.
 */
interface Endpoint {
  readonly path: string;
  /** A fragment every error message about this endpoint contains. */
  readonly names: string;
  readonly paginated: boolean;
  /** Reads that `connect` needs: a fault there stops the audit itself. */
  readonly fatal?: boolean;
  /** For wrong_shape: a field the engine relies on, set to a value of the wrong type. */
  readonly field: string;
  /** The demo answers 204 (no SSO): a shape fault has no body to bend. */
  readonly noBodyInDemo?: boolean;
}

const ENDPOINTS: readonly Endpoint[] = [
  { path: '/api/0/', names: 'GET /api/0/', paginated: false, fatal: true, field: 'auth' },
  { path: '/api/0/organizations/:org/', names: '/organizations/acme-demo/', paginated: false, fatal: true, field: 'require2FA' },
  { path: '/api/0/organizations/:org/auth-provider/', names: '/auth-provider/', paginated: false, field: 'provider_name', noBodyInDemo: true },
  { path: '/api/0/organizations/:org/members/', names: '/members/', paginated: true, field: 'orgRole' },
  { path: '/api/0/organizations/:org/teams/', names: '/teams/', paginated: true, field: 'slug' },
  { path: '/api/0/teams/:org/:team/members/', names: '/members/', paginated: true, field: 'orgRole' },
  { path: '/api/0/organizations/:org/projects/', names: '/projects/', paginated: true, field: 'slug' },
  { path: '/api/0/projects/:org/:project/', names: '/projects/acme-demo/', paginated: false, field: 'dataScrubber' },
  { path: '/api/0/organizations/:org/project-keys/', names: 'keys/', paginated: true, field: 'isActive' },
  { path: '/api/0/projects/:org/:project/filters/', names: '/filters/', paginated: false, field: 'active' },
  // Only the newest page of the audit log is read, by design: there is no later page to lose.
  { path: '/api/0/organizations/:org/audit-logs/', names: '/audit-logs/', paginated: false, field: 'rows' },
  { path: '/api/0/organizations/:org/integrations/', names: '/integrations/', paginated: true, field: 'status' },
  { path: '/api/0/organizations/:org/sentry-apps/', names: '/sentry-apps/', paginated: true, field: 'scopes' },
  { path: '/api/0/organizations/:org/sentry-app-installations/', names: '/sentry-app-installations/', paginated: true, field: 'status' },
  { path: '/api/0/organizations/:org/org-auth-tokens/', names: '/org-auth-tokens/', paginated: false, field: 'scopes' },
];

type FaultCase = Omit<FaultSpec, 'path' | 'method'>;

function faultsFor(e: Endpoint): [string, FaultCase][] {
  const cases: [string, FaultCase][] = [
    ['rate limited', { kind: 'rate_limited', resetInSec: 0 }],
    ['503', { kind: 'server_error', status: 503 }],
    ['hang', { kind: 'hang' }],
    ['reset', { kind: 'reset' }],
    ['malformed JSON', { kind: 'malformed_json' }],
  ];
  if (!e.noBodyInDemo) cases.push(['wrong shape', { kind: 'wrong_shape', field: e.field, value: { unexpected: true } }]);
  if (e.paginated) cases.push(['truncated pagination', { kind: 'truncated_pagination', mode: 'next_page_fails' }]);
  return cases;
}

const LEVEL = 'L3' as const;
let baseline: readonly Finding[] = [];

beforeAll(async () => {
  baseline = await withDemoSimulator(SIM, async (sim) => (await auditDemo(sim, { level: LEVEL })).report.findings);
  expect(baseline.some((f) => f.status === 'pass')).toBe(true);
  expect(baseline.some((f) => f.status === 'error')).toBe(false);
});

function endpointRegex(path: string): RegExp {
  return new RegExp(`^${path.replace(/:[a-z]+/g, '[^/]+')}$`);
}

describe('fault matrix', () => {
  for (const endpoint of ENDPOINTS) {
    for (const [label, fault] of faultsFor(endpoint)) {
      it(`${label} at ${endpoint.path}`, async () => {
        await withDemoSimulator(SIM, async (sim) => {
          sim.faults.add({ method: 'GET', path: endpoint.path, ...fault });
          let outcome;
          try {
            outcome = await auditDemo(sim, { level: LEVEL, timeoutMs: 300 });
          } catch (e) {
            expect(endpoint.fatal, `the audit stopped on a fault at ${endpoint.path}: ${String(e)}`).toBe(true);
            expect(isSentryApiError(e)).toBe(true);
            expect((e as Error).message).toContain(endpoint.names);
            expect((e as Error).message).not.toContain(DEMO_TOKENS.admin);
            return;
          }
          expect(endpoint.fatal ?? false, 'a fault in a read connect needs must stop the audit').toBe(false);
          const findings = outcome.report.findings;
          const basePass = new Set(baseline.filter((f) => f.status === 'pass').map(findingKey));
          const re = endpointRegex(endpoint.path);
          for (const f of findings) {
            if (f.status !== 'pass') continue;
            expect(basePass.has(findingKey(f)), `new pass under fault: ${findingKey(f)}`).toBe(true);
            for (const ev of f.evidence) {
              expect(re.test(ev.endpoint) && !ev.complete, `pass on incomplete ${ev.endpoint}`).toBe(false);
            }
          }
          const errors = findings.filter((f) => f.status === 'error');
          expect(errors.length, `no error finding for a fault at ${endpoint.path}`).toBeGreaterThan(0);
          expect(errors.some((f) => f.message.includes(endpoint.names)), errors.map((f) => f.message).join('\n')).toBe(true);
          expect(JSON.stringify(outcome.report)).not.toContain(DEMO_TOKENS.admin);
        });
      });
    }
  }

  it('latency alone changes no verdict', async () => {
    await withDemoSimulator(SIM, async (sim) => {
      sim.faults.add({ path: /.*/, kind: 'latency', latencyMs: 20 });
      const { report } = await auditDemo(sim, { level: LEVEL });
      const statuses = (fs: readonly Finding[]) => fs.map((f) => `${findingKey(f)}=${f.status}`).sort();
      expect(statuses(report.findings)).toEqual(statuses(baseline));
    });
  });
});

import { describe, expect, it } from 'vitest';
import { dataScrubbing } from '../../../core/controls/c3-1-data-scrubbing';
import { dsnSecurity } from '../../../core/controls/c3-2-dsn-security';
import { inboundFiltering } from '../../../core/controls/c3-3-inbound-filtering';
import { relay } from '../../../core/controls/c3-4-relay';
import { auditLogs, eventTarget } from '../../../core/controls/c4-1-audit-logs';
import { AuditEventsDetailsSchema } from '../../../shared/finding-details';
import { RELAY_MODEL, RELAY_SENSITIVE_COOKIES, defaultsCoverCookie, defaultsCoverKey, effectiveScrubbing, uncoveredFields } from '../../../core/controls/scrubbing';
import { SENSITIVE_FIELD_BASELINE } from '../../../core/controls/settings';
import { of, only, run, statuses } from './run';

describe('3.1 data scrubbing', () => {
  it('passes when the org enforces scrubbing and the baseline is covered', async () => {
    const { findings } = await run(dataScrubbing);
    for (const check of ['3.1.org-data-scrubber', '3.1.org-default-scrubbers', '3.1.org-scrub-ip', '3.1.project-scrubbing', '3.1.project-scrub-ip', '3.1.sensitive-fields']) {
      expect(statuses(findings, check), check).toEqual(['pass']);
    }
    expect(statuses(findings, '3.1.sdk-scrubbing')).toEqual(['manual']);
  });

  it('fails org settings and the projects whose effective value is off', async () => {
    const { findings } = await run(dataScrubbing, {
      mutate: (s) => {
        s.organization.dataScrubber = false;
        s.organization.scrubIPAddresses = false;
        s.projectDetails.api!.dataScrubber = false;
        s.projectDetails.web!.scrubIPAddresses = false;
      },
    });
    expect(statuses(findings, '3.1.org-data-scrubber')).toEqual(['fail']);
    expect(statuses(findings, '3.1.org-scrub-ip')).toEqual(['fail']);
    expect(of(findings, '3.1.project-scrubbing').map((f) => [f.status, f.resource.id])).toEqual([['fail', 'api']]);
    expect(of(findings, '3.1.project-scrub-ip').map((f) => [f.status, f.resource.id])).toEqual([['fail', 'web']]);
    // With the scrubber off, api keeps every baseline field.
    expect(only(findings, '3.1.sensitive-fields').details).toMatchObject({ uncovered: [...SENSITIVE_FIELD_BASELINE] });
  });

  it('credits the org requirement over a project that turned scrubbing off', async () => {
    const { findings } = await run(dataScrubbing, {
      mutate: (s) => {
        s.projectDetails.api!.dataScrubber = false;
        s.projectDetails.api!.dataScrubberDefaults = false;
        s.projectDetails.api!.scrubIPAddresses = false;
      },
    });
    expect(statuses(findings, '3.1.project-scrubbing')).toEqual(['pass']);
    expect(statuses(findings, '3.1.project-scrub-ip')).toEqual(['pass']);
  });

  it('merges org and project sensitive fields and fails the project missing baseline names', async () => {
    const { findings } = await run(dataScrubbing, {
      mutate: (s) => {
        s.organization.sensitiveFields = ['SSN'];
        s.projectDetails.api!.sensitiveFields = ['Cookie', 'session', 'card_number'];
      },
    });
    const f = only(findings, '3.1.sensitive-fields');
    expect([f.status, f.resource.id]).toEqual(['fail', 'web']);
    expect(f.details).toMatchObject({ uncovered: ['cookie', 'session', 'card_number'] });
    expect(f.evidence.map((e) => e.endpoint)).toContain('/api/0/projects/acme/web/');
  });

  it('treats a safe field as uncovered and does not credit defaults that are off', () => {
    const org = { dataScrubber: true, dataScrubberDefaults: false, scrubIPAddresses: true, sensitiveFields: ['auth'], safeFields: [] };
    const project = { dataScrubber: true, dataScrubberDefaults: false, scrubIPAddresses: false, sensitiveFields: [], safeFields: ['Password'] };
    const eff = effectiveScrubbing(org, project);
    expect(eff.scrubIp).toBe(true);
    // "auth" covers "authorization" (Sentry matches substrings); nothing covers the rest without defaults.
    expect(uncoveredFields(eff, ['auth', 'authorization', 'password', 'token'])).toEqual(['password', 'token']);
    const withDefaults = effectiveScrubbing({ ...org, dataScrubberDefaults: true }, project);
    expect(uncoveredFields(withDefaults, ['password', 'access_token', 'ssn'])).toEqual(['password', 'ssn']);
  });

  it("models Relay's default key rules exactly: otp and two-factor only as whole names, token anywhere", () => {
    // Keys Relay's own tests name as sensitive (relay-pii/src/convert.rs sensitive_vars) and ones they do not.
    for (const key of ['password', 'the_secret', 'a_password_here', 'api_key', 'apiKey', 'otp', 'two-factor', 'two_factor', 'OTP', 'access_token', 'x-api-key', 'mysql_pwd', 'privatekey', 'private-key', 'authorization']) {
      expect(defaultsCoverKey(key), key).toBe(true);
    }
    for (const key of ['foo', 'my_otp', 'otp_code', 'twofactor', 'two_factor_code', 'session', 'cookie', 'card_number', 'ssn', 'pwd']) {
      expect(defaultsCoverKey(key), key).toBe(false);
    }
    const eff = effectiveScrubbing(
      { dataScrubber: true, dataScrubberDefaults: true, scrubIPAddresses: true, sensitiveFields: [], safeFields: [] },
      { dataScrubber: true, dataScrubberDefaults: true, scrubIPAddresses: true, sensitiveFields: [], safeFields: [] },
    );
    expect(uncoveredFields(eff, ['otp', 'two_factor', 'my_otp', 'session'])).toEqual(['my_otp', 'session']);
    expect(RELAY_MODEL.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("covers cookies by name only for Relay's fixed list", () => {
    expect(RELAY_SENSITIVE_COOKIES).toHaveLength(23);
    for (const name of ['sentrysid', 'sessionid', 'phpsessid', '_vercel_jwt', 'csrf-token', '_iris_csrf']) expect(defaultsCoverCookie(name), name).toBe(true);
    for (const name of ['not_sensitive', 'jsessionid', 'connect.sid', 'remember_me']) expect(defaultsCoverCookie(name), name).toBe(false);
  });

  it('documents the Relay version the model follows', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../../docs/controls.md', import.meta.url), 'utf8');
    expect(doc).toContain(`Relay ${RELAY_MODEL.version}`);
  });

  it('reports the project whose detail failed and gives no project-level pass', async () => {
    const { findings } = await run(dataScrubbing, { setup: (d) => d.failWith('projectDetail:web', 'forbidden', { status: 403 }) });
    for (const check of ['3.1.project-scrubbing', '3.1.project-scrub-ip', '3.1.sensitive-fields']) {
      const f = only(findings, check);
      expect([f.status, f.resource.id, f.errorCode]).toEqual(['error', 'web', 'forbidden']);
      expect(f.message).toContain('GET /api/0/projects/acme/web/');
    }
    expect(statuses(findings, '3.1.org-data-scrubber')).toEqual(['pass']);
  });

  it('is not applicable without projects, but not on a partly read project list', async () => {
    const none = await run(dataScrubbing, { mutate: (s) => void (s.projects = []) });
    expect(statuses(none.findings, '3.1.project-scrubbing')).toEqual(['not_applicable']);
    const partial = await run(dataScrubbing, { mutate: (s) => void (s.projects = []), setup: (d) => d.incomplete.add('projects') });
    expect(statuses(partial.findings, '3.1.project-scrubbing')).toEqual(['error']);
  });
});

describe('3.2 DSN security', () => {
  it('passes rate-limited single keys, restricted origins and young keys', async () => {
    const { findings } = await run(dsnSecurity, { level: 'L2' });
    for (const check of ['3.2.rate-limit', '3.2.single-active-key', '3.2.allowed-domains', '3.2.key-age']) {
      expect(statuses(findings, check), check).toEqual(['pass']);
    }
  });

  it('fails each unlimited key, each project with several keys, and open origins', async () => {
    const { findings } = await run(dsnSecurity, {
      level: 'L1',
      mutate: (s) => {
        s.projectKeys[1]!.rateLimit = null;
        s.projectKeys.push({ ...s.projectKeys[0]!, id: 'c'.repeat(32), public: 'c'.repeat(32), name: 'second' });
        // An inactive key without a limit receives nothing, so it is not flagged.
        s.projectKeys.push({ ...s.projectKeys[0]!, id: 'd'.repeat(32), public: 'd'.repeat(32), isActive: false, rateLimit: null });
        s.projectDetails.web!.allowedDomains = ['*'];
      },
    });
    const unlimited = only(findings, '3.2.rate-limit');
    expect([unlimited.status, unlimited.resource.type, unlimited.resource.id]).toEqual(['fail', 'key', 'b'.repeat(32)]);
    expect(unlimited.resource.name).toContain('web');
    const several = only(findings, '3.2.single-active-key');
    expect([several.status, several.resource.type, several.resource.id]).toEqual(['fail', 'project', 'api']);
    const open = only(findings, '3.2.allowed-domains');
    expect([open.status, open.resource.id]).toEqual(['fail', 'web']);
    expect(of(findings, '3.2.key-age')).toEqual([]);
  });

  it('never passes key checks while a project is closed to the token (its keys are missing from the org-wide list)', async () => {
    const { findings } = await run(dsnSecurity, {
      level: 'L2',
      mutate: (s) => {
        s.projects[1]!.hasAccess = false;
      },
    });
    for (const check of ['3.2.rate-limit', '3.2.single-active-key', '3.2.key-age']) {
      const fs = of(findings, check);
      expect(fs.map((f) => f.status), check).toEqual(['error']);
      expect(fs[0]!.resource.id).toBe('web');
      expect(fs[0]!.message).toContain('cannot open project');
    }
  });

  it('checks key age only at L2: old keys fail, undated keys go to a person', async () => {
    const { findings } = await run(dsnSecurity, {
      level: 'L2',
      mutate: (s) => {
        s.projectKeys[0]!.dateCreated = '2024-01-01T00:00:00Z';
        s.projectKeys[1]!.dateCreated = null;
      },
    });
    expect(of(findings, '3.2.key-age').map((f) => [f.status, f.resource.id])).toEqual([
      ['fail', 'a'.repeat(32)],
      ['manual', 'b'.repeat(32)],
    ]);
    const tuned = await run(dsnSecurity, { level: 'L2', settings: { keyRotationDays: 5 } });
    expect(statuses(tuned.findings, '3.2.key-age')).toEqual(['fail', 'fail']);
  });

  it('reports a failed key read as errors for the key checks only', async () => {
    const { findings } = await run(dsnSecurity, { setup: (d) => d.failWith('projectKeys', 'missing_scope') });
    expect(only(findings, '3.2.rate-limit').errorCode).toBe('missing_scope');
    expect(only(findings, '3.2.rate-limit').message).toContain('project-keys');
    expect(statuses(findings, '3.2.allowed-domains')).toEqual(['pass']);
  });
});

describe('3.3 inbound filtering', () => {
  it('passes when the required filters are on, and lists blocklists for review', async () => {
    const { findings } = await run(inboundFiltering, {
      level: 'L2',
      mutate: (s) => void (s.projectDetails.api!.options['filters:blacklisted_ips'] = '10.0.0.0/8\n 192.0.2.1 \n'),
    });
    expect(statuses(findings, '3.3.inbound-filters')).toEqual(['pass']);
    const ip = only(findings, '3.3.ip-blocklist');
    expect(ip.status).toBe('manual');
    expect(ip.details).toEqual({ blockedRanges: { api: ['10.0.0.0/8', '192.0.2.1'], web: [] } });
  });

  it('fails a project with a required filter off; legacy browsers are optional', async () => {
    const { findings } = await run(inboundFiltering, {
      level: 'L2',
      mutate: (s) => {
        s.projectFilters.web = [
          { id: 'browser-extensions', active: true },
          { id: 'localhost', active: false },
          { id: 'web-crawlers', active: true },
          { id: 'legacy-browsers', active: ['ie'] },
        ];
      },
    });
    const f = only(findings, '3.3.inbound-filters');
    expect([f.status, f.resource.id]).toEqual(['fail', 'web']);
    expect(f.details).toMatchObject({ inactive: ['localhost'] });
  });

  it('makes no request at L1', async () => {
    const { findings, data } = await run(inboundFiltering, { level: 'L1' });
    expect(findings).toEqual([]);
    expect(data.requests).toEqual([]);
  });
});

describe('3.4 Relay', () => {
  it('passes with a trusted relay at L3 and asks to confirm the deployment', async () => {
    const { findings } = await run(relay, { level: 'L3' });
    expect(statuses(findings, '3.4.trusted-relays')).toEqual(['pass']);
    expect(statuses(findings, '3.4.relay-deployment')).toEqual(['manual']);
  });

  it('fails without trusted relays and asks a person when the field is absent', async () => {
    const none = await run(relay, { level: 'L3', mutate: (s) => void (s.organization.trustedRelays = []) });
    expect(statuses(none.findings, '3.4.trusted-relays')).toEqual(['fail']);
    const absent = await run(relay, { level: 'L3', mutate: (s) => void delete s.organization.trustedRelays });
    expect(statuses(absent.findings, '3.4.trusted-relays')).toEqual(['manual']);
  });

  it('is skipped below L3', async () => {
    const { findings, data } = await run(relay, { level: 'L2' });
    expect(findings).toEqual([]);
    expect(data.requests).toEqual([]);
  });
});

describe('4.1 audit logs', () => {
  it('passes a readable log and summarizes the security-relevant events', async () => {
    const { findings } = await run(auditLogs);
    expect(statuses(findings, '4.1.audit-log-readable')).toEqual(['pass']);
    const ev = only(findings, '4.1.security-events');
    expect(ev.status).toBe('manual');
    expect(ev.details).toMatchObject({ entriesRead: 3, securityEvents: 2, countsByEvent: { 'org.edit': 1, 'member.invite': 1 } });
    expect(statuses(findings, '4.1.retention-forwarding')).toEqual(['manual']);
  });

  it('lists each security-relevant event with its time, actor and target, from the entries\' structure', async () => {
    const { findings } = await run(auditLogs, {
      setup: (d) => {
        d.state.auditLog.push(
          { id: '6', event: 'member.edit', actor: { name: 'bob' }, targetUser: { name: 'Dave', email: 'dave@acme.example' }, data: { email: 'other@acme.example' }, dateCreated: '2025-01-02T00:00:00Z' },
          { id: '5', event: 'projectkey.create', actor: null, data: { public_key: 'abc123' }, dateCreated: '2025-01-01T00:00:00Z' },
        );
      },
    });
    const details = AuditEventsDetailsSchema.parse(only(findings, '4.1.security-events').details);
    expect(details.securityEvents).toBe(4);
    expect(details.recent.map((e) => [e.event, e.actor, e.target ?? null])).toEqual([
      ['org.edit', 'alice', null],
      ['member.invite', 'alice', null],
      ['member.edit', 'bob', 'dave@acme.example'],
      ['projectkey.create', null, 'abc123'],
    ]);
    expect(eventTarget({ id: '1', event: 'member.invite', data: { email: 'e@x', name: 'n' }, dateCreated: '2025-01-01T00:00:00Z' })).toBe('e@x');
  });

  it('reads a page that has more pages behind it as readable', async () => {
    const { findings } = await run(auditLogs, { setup: (d) => d.incomplete.add('auditLog') });
    expect(statuses(findings, '4.1.audit-log-readable')).toEqual(['pass']);
  });

  it('never passes when the token lacks org:write (403): the error names the scope', async () => {
    const { findings } = await run(auditLogs, { setup: (d) => d.failWith('auditLog', 'missing_scope', { status: 403 }) });
    const f = only(findings, '4.1.audit-log-readable');
    expect(f.status).toBe('error');
    expect(f.errorCode).toBe('missing_scope');
    expect(f.message).toContain('org:write');
    expect(f.message).toContain('GET /api/0/organizations/acme/audit-logs/');
    expect(f.details).toMatchObject({ requiredScopes: ['org:write'], status: 403 });
    expect(findings.some((x) => x.status === 'pass')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { integrationInventory } from '../../../core/controls/int-1-inventory';
import { minimalScopes } from '../../../core/controls/int-2-minimal-scopes';
import { integrationSettings } from '../../../core/controls/int-3-integration-settings';
import { periodicReview } from '../../../core/controls/int-4-periodic-review';
import { documentedPermissions } from '../../../core/controls/int-5-documented-permissions';
import { dedicatedCredentials } from '../../../core/controls/int-6-dedicated-credentials';
import { REGISTER } from './fake-org-data';
import type { FakeOrgState } from './fake-org-data';
import { of, only, run, statuses } from './run';

describe('INT.1 inventory', () => {
  it('inventories each integration and app with its permissions', async () => {
    const { findings } = await run(integrationInventory);
    const items = of(findings, 'INT.1.inventory');
    expect(items.map((f) => [f.status, f.resource.type, f.resource.id])).toEqual([
      ['pass', 'integration', '10'],
      ['pass', 'sentry_app', 'deploy-bot'],
    ]);
    expect(items[1]?.details).toMatchObject({ internal: true, scopes: ['project:read', 'event:read'] });
  });

  it('asks a person about apps of other publishers, whose permissions are not visible', async () => {
    const { findings } = await run(integrationInventory, {
      mutate: (s) =>
        void s.sentryAppInstallations.push({ app: { uuid: 'x', slug: 'vendor-app' }, organization: { slug: 'acme' }, uuid: 'i2', status: 'installed' }),
    });
    const f = of(findings, 'INT.1.inventory').find((x) => x.resource.id === 'vendor-app');
    expect(f?.status).toBe('manual');
  });

  it('reports a read it could not make, keeps what it could read, and passes nothing on partial lists', async () => {
    const failed = await run(integrationInventory, { setup: (d) => d.failWith('integrations', 'missing_scope') });
    expect(of(failed.findings, 'INT.1.inventory').map((f) => f.status)).toEqual(['error', 'pass']);
    const partial = await run(integrationInventory, { setup: (d) => d.incomplete.add('sentryApps') });
    expect(of(partial.findings, 'INT.1.inventory').map((f) => f.status)).toEqual(['pass', 'error']);
  });

  it('is not applicable when nothing is installed', async () => {
    const { findings } = await run(integrationInventory, {
      mutate: (s) => {
        s.integrations = [];
        s.sentryApps = [];
        s.sentryAppInstallations = [];
      },
    });
    expect(statuses(findings, 'INT.1.inventory')).toEqual(['not_applicable']);
  });
});

describe('INT.2 minimal scopes', () => {
  it('passes read-only apps', async () => {
    const { findings } = await run(minimalScopes, { level: 'L2' });
    expect(statuses(findings, 'INT.2.admin-scopes')).toEqual(['pass']);
    expect(statuses(findings, 'INT.2.write-scopes')).toEqual(['pass']);
    expect(statuses(findings, 'INT.2.oauth-scopes')).toEqual(['not_applicable']);
  });

  it('fails admin scopes at L1 and write scopes only at L2', async () => {
    const mutate = (s: FakeOrgState) => {
      s.sentryApps.push({ name: 'Ops', slug: 'ops', uuid: 'u2', status: 'internal', scopes: ['org:admin', 'org:read', 'project:write'] });
    };
    const l1 = await run(minimalScopes, { level: 'L1', mutate });
    expect(of(l1.findings, 'INT.2.admin-scopes').map((f) => [f.status, f.resource.id])).toEqual([['fail', 'ops']]);
    expect(only(l1.findings, 'INT.2.admin-scopes').details).toMatchObject({ adminScopes: ['org:admin'] });
    expect(of(l1.findings, 'INT.2.write-scopes')).toEqual([]);
    expect(l1.data.requests).not.toContain('integrations');
    const l2 = await run(minimalScopes, { level: 'L2', mutate });
    expect(of(l2.findings, 'INT.2.write-scopes').map((f) => [f.status, f.resource.id])).toEqual([['fail', 'ops']]);
  });

  it('lists third-party OAuth scopes for review at L2', async () => {
    const { findings } = await run(minimalScopes, { level: 'L2', mutate: (s) => void (s.integrations[0]!.scopes = ['repo', 'admin:org']) });
    const f = only(findings, 'INT.2.oauth-scopes');
    expect([f.status, f.resource.id]).toEqual(['manual', '10']);
    expect(f.message).toContain('admin:org');
  });
});

describe('INT.3 integration settings', () => {
  it('asks a person per integration and names the settings Sentry shows, not their values', async () => {
    const { findings } = await run(integrationSettings, {
      level: 'L2',
      mutate: (s) => void (s.integrations[0]!.configData = { repos: ['acme/api'], webhookSecret: 'shh' }),
    });
    const f = only(findings, 'INT.3.integration-settings');
    expect(f.status).toBe('manual');
    expect(f.details).toMatchObject({ configFields: ['repos', 'webhookSecret'] });
    expect(JSON.stringify(f)).not.toContain('shh');
  });

  it('reports an unreadable integration list as an error and nothing at L1', async () => {
    const failed = await run(integrationSettings, { level: 'L2', setup: (d) => d.failWith('integrations', 'forbidden', { status: 403 }) });
    expect(statuses(failed.findings, 'INT.3.integration-settings')).toEqual(['error']);
    const l1 = await run(integrationSettings, { level: 'L1' });
    expect(l1.findings).toEqual([]);
  });
});

describe('INT.4 periodic review', () => {
  it('passes integrations reviewed within the period', async () => {
    const { findings } = await run(periodicReview, { level: 'L2' });
    expect(statuses(findings, 'INT.4.reviewed')).toEqual(['pass']);
  });

  it('fails every integration when the register is empty, and reviews that are too old', async () => {
    const empty = await run(periodicReview, { level: 'L2', integrationRegister: [] });
    const never = of(empty.findings, 'INT.4.reviewed');
    expect(never.map((f) => [f.status, f.resource.id])).toEqual([
      ['fail', '10'],
      ['fail', 'deploy-bot'],
    ]);
    expect(never[0]?.message).toMatch(/never been reviewed/);
    const old = await run(periodicReview, { level: 'L2', settings: { integrationReviewDays: 40 } });
    expect(of(old.findings, 'INT.4.reviewed').map((f) => [f.status, f.resource.id])).toEqual([['fail', 'deploy-bot']]);
  });
});

describe('INT.5 documented permissions', () => {
  it('passes complete entries that cover what each integration holds', async () => {
    const { findings } = await run(documentedPermissions, { level: 'L2' });
    expect(statuses(findings, 'INT.5.documented')).toEqual(['pass']);
  });

  it('fails missing entries, entries without an owner, and undocumented scopes', async () => {
    const register = [
      { ...REGISTER[0]!, owner: ' ' },
      { ...REGISTER[1]!, permissions: ['project:read'] },
    ];
    const { findings } = await run(documentedPermissions, {
      level: 'L2',
      integrationRegister: register,
      mutate: (s) => void s.integrations.push({ id: '11', name: 'chat', status: 'active', provider: { key: 'slack', name: 'Slack' } }),
    });
    const byId = Object.fromEntries(of(findings, 'INT.5.documented').map((f) => [f.resource.id, f]));
    expect(byId['10']?.message).toMatch(/lacks permissions, a rationale or an owner/);
    expect(byId['deploy-bot']?.details).toMatchObject({ undocumentedScopes: ['event:read'] });
    expect(byId['11']?.message).toMatch(/no entry/);
    expect(Object.values(byId).every((f) => f.status === 'fail')).toBe(true);
  });
});

describe('INT.6 dedicated credentials', () => {
  it('lists internal integrations and token use for a person to confirm', async () => {
    const { findings } = await run(dedicatedCredentials, { level: 'L2' });
    expect(statuses(findings, 'INT.6.dedicated-apps')).toEqual(['manual']);
    expect(statuses(findings, 'INT.6.no-personal-tokens')).toEqual(['manual']);
    const use = only(findings, 'INT.6.org-token-use');
    expect(use.status).toBe('manual');
    expect(use.details).toEqual({ tokens: [{ name: 'CI web', lastUsed: '2026-08-20T10:00:00.000000Z', lastProject: 'web' }] });
  });

  it('reports unreadable apps as errors, session-only tokens as manual, and reads no tokens at L1', async () => {
    const failed = await run(dedicatedCredentials, {
      level: 'L2',
      setup: (d) => {
        d.failWith('sentryApps', 'missing_scope');
        d.failWith('orgAuthTokens', 'session_only');
      },
    });
    expect(statuses(failed.findings, 'INT.6.dedicated-apps')).toEqual(['error']);
    // Session-only token list (organization_auth_tokens.py): a manual review, not an error.
    expect(only(failed.findings, 'INT.6.org-token-use')).toMatchObject({ status: 'manual', details: { reason: 'session_only' } });
    const broken = await run(dedicatedCredentials, { level: 'L2', setup: (d) => d.failWith('orgAuthTokens', 'server_error') });
    expect(only(broken.findings, 'INT.6.org-token-use').errorCode).toBe('server_error');
    const l1 = await run(dedicatedCredentials, { level: 'L1' });
    expect(l1.data.requests).not.toContain('orgAuthTokens');
    expect(of(l1.findings, 'INT.6.org-token-use')).toEqual([]);
  });
});

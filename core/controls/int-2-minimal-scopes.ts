import type { CheckDefinition, ControlDefinition } from './types';
import { orgRef, plural, recorder } from './findings';

const ID = 'INT.2';

const CHECKS = {
  admin: { id: 'INT.2.admin-scopes', title: 'No integration holds admin scopes', level: 'L1' },
  write: { id: 'INT.2.write-scopes', title: 'Write scopes are limited to integrations that write', level: 'L2' },
  oauth: { id: 'INT.2.oauth-scopes', title: 'Third-party OAuth scopes reviewed', level: 'L2' },
} as const satisfies Record<string, CheckDefinition>;

// Admin scopes fail at L1: no integration needs to delete projects or manage members. Write scopes
// fail only at L2, because many integrations write for a living (issue links, releases, alerts).
const isAdmin = (s: string) => s.endsWith(':admin');
/** Scopes that change data; org:integrations manages other integrations, so it counts too. */
const isWrite = (s: string) => s.endsWith(':write') || s === 'org:integrations';

export const minimalScopes: ControlDefinition = {
  id: ID,
  title: 'Grant integrations the narrowest scopes',
  section: 'INT',
  level: 'L1',
  // Mappings chosen by us: the least-privilege analysis names none.
  mappings: { cis: ['5.4', '6.8'], nist: ['AC-6', 'AC-6(5)'], soc2: ['CC6.3'] },
  rationale:
    'An integration\'s token is stored in another system; if that system is breached, the token acts with ' +
    'every scope it holds. Admin scopes let it delete projects, remove members or change SSO, so no ' +
    'integration should hold them; write scopes are for integrations that really change data.',
  manualSteps: [
    'In Settings > Developer Settings, open each internal or public integration and lower its permissions to what its code calls (usually Read).',
    'Remove every Admin permission; when an integration truly needs one, record why in the integration register.',
    'For third-party integrations (GitHub, Slack, Jira...), review the access granted on the other side and reinstall with narrower access where the provider allows.',
  ],
  requiredScopes: [['org:read', 'org:write', 'org:admin'], ['org:read', 'org:write', 'org:admin', 'org:integrations']],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    const l2 = ctx.includes('L2');
    const [org, apps, integrations] = await Promise.all([
      ctx.data.organization(),
      ctx.data.sentryApps(),
      l2 ? ctx.data.integrations() : Promise.resolve(undefined),
    ]);
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);

    const appChecks = l2 ? [CHECKS.admin, CHECKS.write] : [CHECKS.admin];
    if (!apps.ok) {
      for (const check of appChecks) r.error(check, orgRes, apps, 'sentryApps');
    } else if (apps.value.length === 0) {
      for (const check of appChecks) r.notApplicable(check, orgRes, 'The organization owns no internal or public integration.', [apps.evidence]);
    } else {
      const ev = [apps.evidence];
      const unseen = r.invalidItems(appChecks, apps.evidence, 'sentryApps');
      let admins = 0;
      let writers = 0;
      for (const app of apps.value) {
        const res = { type: 'sentry_app' as const, id: app.slug, name: app.name };
        const kind = app.status === 'internal' ? 'Internal integration' : 'Integration';
        const admin = app.scopes.filter(isAdmin);
        if (admin.length > 0) {
          admins += 1;
          r.fail(CHECKS.admin, res, `${kind} "${app.name}" holds admin scopes: ${admin.join(', ')}.`, ev, {
            adminScopes: admin,
            scopes: app.scopes,
            status: app.status,
          });
        }
        const write = app.scopes.filter(isWrite);
        if (l2 && write.length > 0) {
          writers += 1;
          r.fail(CHECKS.write, res, `${kind} "${app.name}" can change data (${write.join(', ')}); confirm it needs to, or lower it to read.`, ev, {
            writeScopes: write,
            scopes: app.scopes,
            status: app.status,
          });
        }
      }
      const n = plural(apps.value.length, 'integration');
      if (admins === 0 && unseen === 0) r.pass(CHECKS.admin, orgRes, `None of the organization's ${n} holds an admin scope.`, ev);
      if (l2 && writers === 0 && unseen === 0) r.pass(CHECKS.write, orgRes, `None of the organization's ${n} holds a write scope.`, ev);
    }

    if (!integrations) return r.findings;
    if (!integrations.ok) {
      r.error(CHECKS.oauth, orgRes, integrations, 'integrations');
      return r.findings;
    }
    const ev = [integrations.evidence];
    const scoped = integrations.value.filter((i) => (i.scopes ?? []).length > 0);
    for (const i of scoped) {
      r.manual(
        CHECKS.oauth,
        { type: 'integration', id: i.id, name: `${i.name} (${i.provider.name})` },
        `${i.provider.name} integration "${i.name}" was granted ${(i.scopes ?? []).join(', ')}; confirm each is needed.`,
        ev,
        { provider: i.provider.key, oauthScopes: i.scopes },
      );
    }
    const unseenIntegrations = r.invalidItems([CHECKS.oauth], integrations.evidence, 'integrations');
    if (scoped.length === 0 && unseenIntegrations === 0) {
      r.notApplicable(CHECKS.oauth, orgRes, 'No installed integration reports third-party OAuth scopes.', ev);
    }
    return r.findings;
  },
};

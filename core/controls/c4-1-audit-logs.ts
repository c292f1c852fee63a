import type { AuditEventSample, AuditEventsDetails } from '../../shared/finding-details';
import type { AuditLogEntry } from '../sentry/schemas';
import type { CheckDefinition, ControlDefinition } from './types';
import { orgRef, plural, recorder } from './findings';

const ID = '4.1';

const CHECKS = {
  readable: { id: '4.1.audit-log-readable', title: 'The audit log can be read', level: 'L1', fields: ['event', 'dateCreated'], claimHoldsOnPartialRead: true },
  events: { id: '4.1.security-events', title: 'Recent security-relevant events reviewed', level: 'L1', fields: ['event', 'actor.name', 'dateCreated'] },
  retention: { id: '4.1.retention-forwarding', title: 'Audit events are kept and forwarded', level: 'L1' },
} as const satisfies Record<string, CheckDefinition>;

/** Event names (or families, ending in `.`) that change who can get in or what data flows where. */
const SECURITY_EVENTS = [
  'member.',
  'org.edit',
  'sso.',
  'sso-identity.',
  'api-key.',
  'projectkey.',
  'integration.',
  'sentry-app.',
  'internal-integration.',
  'org-auth-token.',
];

export function isSecurityEvent(event: string): boolean {
  return SECURITY_EVENTS.some((p) => (p.endsWith('.') ? event.startsWith(p) : event === p));
}

/**
 * How many security-relevant entries to copy into the report, newest first: a whole page of the
 * audit log (Sentry pages it by 100), so the person confirming "each was expected" sees each.
 */
const SAMPLE = 100;

/** Keys of an entry's `data` that name what it is about, most telling first. */
const TARGET_KEYS = ['email', 'name', 'slug', 'public_key', 'team_slug', 'sentry_app', 'provider'];

/** Whom or what an entry is about: its target user, else the first naming key of its data. */
export function eventTarget(e: AuditLogEntry): string | null {
  const u = e.targetUser;
  if (u && typeof u === 'object') {
    const who = u.email ?? u.name;
    if (who) return who;
  }
  for (const key of TARGET_KEYS) {
    const v = e.data?.[key];
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

function summarize(entries: readonly AuditLogEntry[]) {
  const relevant = entries.filter((e) => isSecurityEvent(e.event));
  const counts: Record<string, number> = {};
  for (const e of relevant) counts[e.event] = (counts[e.event] ?? 0) + 1;
  const dates = entries.map((e) => e.dateCreated).sort();
  return {
    entriesRead: entries.length,
    oldest: dates[0] ?? null,
    newest: dates[dates.length - 1] ?? null,
    securityEvents: relevant.length,
    countsByEvent: counts,
    recent: relevant.slice(0, SAMPLE).map(
      (e): AuditEventSample => ({
        date: e.dateCreated,
        event: e.event,
        actor: e.actor?.name ?? null,
        target: eventTarget(e),
        note: e.note ?? null,
      }),
    ),
  } satisfies AuditEventsDetails & Record<string, unknown>;
}

export const auditLogs: ControlDefinition = {
  id: ID,
  title: 'Review and keep the audit log',
  section: '4',
  level: 'L1',
  mappings: { cis: ['8.2'], nist: ['AU-2'], soc2: ['CC7.2'] },
  rationale:
    'Sentry records who changed members, roles, SSO, client keys, tokens and integrations. That record is ' +
    'how a takeover or a quiet loosening of settings is noticed and reconstructed, but only if someone can ' +
    'read it, looks at it, and it is kept beyond what the plan retains.',
  manualSteps: [
    'Open Settings > Audit Log and filter for member, SSO, key, token and integration events.',
    'Agree who reviews these events and how often (weekly for owners\' changes is a good start).',
    'Check how long your plan keeps audit entries; export them on a schedule through the API (a token with org:write) into your SIEM or log archive.',
    'Alert on sensitive events such as sso.disable, org.edit of security settings, member.edit to owner, and new integrations.',
  ],
  requiredScopes: [['org:write', 'org:admin']],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    const [org, log] = await Promise.all([ctx.data.organization(), ctx.data.auditLog()]);
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);
    if (!log.ok) {
      r.error(CHECKS.readable, orgRes, log, 'auditLog');
      r.error(CHECKS.events, orgRes, log, 'auditLog');
    } else {
      const ev = [log.evidence];
      // An entry that did not validate is missing from the summary below: say so, naming it.
      r.invalidItems([CHECKS.events], log.evidence, 'auditLog', { resourceOf: () => orgRes, whole: orgRes });
      const summary = summarize(log.value);
      // Reading the newest page is what this check claims; it needs no later pages.
      r.passOnRead(CHECKS.readable, orgRes, `The audit log is readable (${plural(log.value.length, 'entry', 'entries')} on the newest page).`, ev);
      r.manual(
        CHECKS.events,
        orgRes,
        summary.securityEvents === 0
          ? 'No security-relevant event on the newest page of the audit log; confirm that matches what you expect.'
          : `${plural(summary.securityEvents, 'security-relevant event')} on the newest page; confirm each was expected.`,
        ev,
        summary,
      );
    }
    r.manual(
      CHECKS.retention,
      orgRes,
      'Retention and forwarding are outside the API: confirm how long the plan keeps audit entries and that they are exported to a SIEM or archive.',
      log.ok ? [log.evidence] : [],
    );
    return r.findings;
  },
};

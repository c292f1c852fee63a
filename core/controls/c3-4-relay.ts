import type { CheckDefinition, ControlDefinition } from './types';
import { orgRef, plural, recorder } from './findings';

const ID = '3.4';

const CHECKS = {
  trustedRelays: { id: '3.4.trusted-relays', title: 'Trusted Relays are registered', level: 'L3' },
  deployment: { id: '3.4.relay-deployment', title: 'Events pass through your own Relay', level: 'L3' },
} as const satisfies Record<string, CheckDefinition>;

export const relay: ControlDefinition = {
  id: ID,
  title: 'Scrub inside your network with Relay',
  section: '3',
  level: 'L3',
  // SOC 2 criterion chosen by us (the guide gives none for 3.4).
  mappings: { cis: ['3.1', '13.5'], nist: ['SI-12', 'SC-7'], soc2: ['CC6.7'] },
  rationale:
    'Server-side scrubbing runs after the event has left your network. A Relay you operate applies the same ' +
    'rules before anything crosses the boundary, which regulated environments may require; registering it ' +
    'as trusted lets Sentry accept its signed traffic and its configuration requests.',
  manualSteps: [
    'Run Relay in managed mode inside your network and generate its key pair (relay credentials generate).',
    'In Settings > Relay, add the Relay\'s public key with a name and description.',
    'Point the SDKs\' DSNs at the Relay host and block direct egress to Sentry\'s ingest from application networks.',
    'Keep Relay up to date and watch that it stays connected.',
  ],
  requiredScopes: [['org:read', 'org:write', 'org:admin']],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    if (!ctx.includes('L3')) return r.findings;
    const org = await ctx.data.organization();
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);
    if (!org.ok) {
      r.error(CHECKS.trustedRelays, orgRes, org, 'organization');
      r.error(CHECKS.deployment, orgRes, org, 'organization');
      return r.findings;
    }
    const ev = [org.evidence];
    const relays = org.value.trustedRelays;
    const list = (relays ?? []).map((x) => ({ name: x.name, publicKey: x.publicKey, description: x.description ?? null }));
    if (relays === undefined) {
      // Absent on plans or versions without the feature: unknown, not "none".
      r.manual(CHECKS.trustedRelays, orgRes, 'Sentry did not report trusted Relays (plan or version); check Settings > Relay.', ev);
    } else if (relays.length === 0) {
      r.fail(CHECKS.trustedRelays, orgRes, 'No Relay is registered as trusted: every event is scrubbed only after leaving your network.', ev, {
        trustedRelays: [],
      });
    } else {
      r.pass(CHECKS.trustedRelays, orgRes, `${plural(relays.length, 'Relay is', 'Relays are')} registered as trusted.`, ev, { trustedRelays: list });
    }
    r.manual(
      CHECKS.deployment,
      orgRes,
      'Whether SDKs really send through the Relay, and what rules it applies, is only visible in your network: confirm the DSNs point at the Relay and direct egress is blocked.',
      ev,
      { trustedRelays: list },
    );
    return r.findings;
  },
};

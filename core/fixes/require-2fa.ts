import { z } from 'zod';
import type { Finding, ResourceRef } from '../../shared/finding';
import { memberRef, orgRef } from '../controls/findings';
import { fieldPut, summariseList } from './build';
import type { FixDefinition, FixProposal, OperationRule } from './types';

const CHECK = '1.2.require-2fa';

const RULE: OperationRule = { op: 'org-fields', after: z.strictObject({ require2FA: z.literal(true) }), risk: 'high', confirmSlug: true, reversible: true };

/**
 * Require 2FA (REFERENCE.md 1): Sentry refuses it while SSO is configured or when the token's own
 * user has no 2FA, and once on it detaches, asynchronously, every member without 2FA (they become
 * pending invites and get an email). The pre-flight refuses the first two and lists the third.
 */
export const require2faFix: FixDefinition = {
  id: 'require-2fa',
  title: 'Require two-factor authentication',
  controls: ['1.2'],
  checks: [CHECK],
  params: [],
  operations: [RULE],

  async plan(ctx, findings: readonly Finding[]): Promise<FixProposal> {
    if (!findings.some((f) => f.check === CHECK && f.status === 'fail')) return { changes: [], notes: [] };
    const refuse = (message: string): FixProposal => ({ changes: [], notes: [{ control: '1.2', check: CHECK, kind: 'refused', message }] });
    const provider = await ctx.data.authProvider();
    if (!provider.ok) return refuse(`Cannot tell whether SSO is configured (${provider.error.message}); not proposing require2FA.`);
    if (provider.value !== null) return refuse('SSO is configured: Sentry refuses to require its own 2FA; enforce MFA in the identity provider.');
    if (ctx.token.kind !== 'user' || !ctx.token.user) return refuse('Requiring 2FA needs a token that belongs to a user (Sentry checks that user\'s own 2FA).');
    if (ctx.token.user.has2fa !== true) {
      return refuse(`The token's user (${ctx.token.user.email ?? ctx.token.user.id}) has no 2FA: Sentry refuses require2FA; enable 2FA on that account first.`);
    }
    const members = await ctx.data.members();
    if (!members.ok) return refuse(`Cannot list the members who would be detached (${members.error.message}); not proposing require2FA.`);
    const detached = members.value.filter((m) => m.user !== null && !m.user.has2fa);
    const names = detached.map((m) => `${m.user?.email ?? m.email ?? m.id} (${m.orgRole}, member ${m.id})`);
    const affected: ResourceRef[] = detached.map((m) => memberRef(m));
    const who = summariseList(names, 'members');
    const change = fieldPut(ctx, RULE, {}, { require2FA: { before: false, after: true } }, {
      ref: 'require2FA',
      control: '1.2',
      check: CHECK,
      resource: orgRef(ctx.orgSlug, ctx.org.name),
      description:
        `Require two-factor authentication of every member. ${detached.length === 0 ? 'No member lacks 2FA.' : `${detached.length} member(s) without 2FA will be detached from the organization shortly after (listed below).`}`,
      notes: [
        ...(detached.length > 0 ? [`Without 2FA, detached: turned into pending invites and emailed: ${who}.`] : []),
        'Sentry detaches them asynchronously, a few seconds after the change; verification re-reads the flag only.',
      ],
      ...(detached.length > 0 ? { affected } : {}),
      undoNote: 'Undo turns the requirement off again; detached members stay pending invites until they accept their new invite.',
    });
    return {
      changes: [change],
      notes: detached.length > 0 ? [{ control: '1.2', check: CHECK, kind: 'info', message: `Members who would be detached (no 2FA): ${who}.`, items: affected }] : [],
    };
  },
};

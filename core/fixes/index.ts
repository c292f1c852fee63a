import { allowedDomainsFix } from './allowed-domains';
import { dataScrubbingFix } from './data-scrubbing';
import { expiredInvitesFix } from './expired-invites';
import { inboundFiltersFix } from './inbound-filters';
import { ipBlocklistFix } from './ip-blocklist';
import { keyDeactivateFix } from './key-deactivate';
import { keyRateLimitFix } from './key-rate-limit';
import { keyRotateFix } from './key-rotate';
import { memberRoleFix } from './member-role';
import { orgSettingsFix } from './org-settings';
import { require2faFix } from './require-2fa';
import { teamAccessFix } from './team-access';
import type { FixDefinition } from './types';

/** Every fix, in the order their changes appear in a plan (the guide's order of controls). */
export const FIXES: readonly FixDefinition[] = [
  require2faFix,
  orgSettingsFix,
  teamAccessFix,
  memberRoleFix,
  expiredInvitesFix,
  dataScrubbingFix,
  keyRateLimitFix,
  keyRotateFix,
  keyDeactivateFix,
  allowedDomainsFix,
  inboundFiltersFix,
  ipBlocklistFix,
];

export type { ChangeDraft, FixContext, FixDefinition, FixParamDoc, FixParams, FixProposal } from './types';
export { FixParamError } from './types';

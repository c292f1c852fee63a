import type { ControlDefinition } from './types';
import { samlSso } from './c1-1-saml-sso';
import { enforce2fa } from './c1-2-enforce-2fa';
import { teamAccess } from './c2-1-team-access';
import { projectAccess } from './c2-2-project-access';
import { adminAccess } from './c2-3-admin-access';
import { tokens } from './c2-4-tokens';
import { dataScrubbing } from './c3-1-data-scrubbing';
import { dsnSecurity } from './c3-2-dsn-security';
import { inboundFiltering } from './c3-3-inbound-filtering';
import { relay } from './c3-4-relay';
import { auditLogs } from './c4-1-audit-logs';
import { integrationInventory } from './int-1-inventory';
import { minimalScopes } from './int-2-minimal-scopes';
import { integrationSettings } from './int-3-integration-settings';
import { periodicReview } from './int-4-periodic-review';
import { documentedPermissions } from './int-5-documented-permissions';
import { dedicatedCredentials } from './int-6-dedicated-credentials';

/** The catalog, in the guide's order and then the integration controls. Reports rely on the ids. */
export const CONTROLS: readonly ControlDefinition[] = [
  samlSso,
  enforce2fa,
  teamAccess,
  projectAccess,
  adminAccess,
  tokens,
  dataScrubbing,
  dsnSecurity,
  inboundFiltering,
  relay,
  auditLogs,
  integrationInventory,
  minimalScopes,
  integrationSettings,
  periodicReview,
  documentedPermissions,
  dedicatedCredentials,
];

export { DEFAULT_AUDIT_SETTINGS, SENSITIVE_FIELD_BASELINE } from './settings';
export type { AuditSettings, CheckDefinition, ControlContext, ControlDefinition, IntegrationRegisterEntry, TokenInfo } from './types';

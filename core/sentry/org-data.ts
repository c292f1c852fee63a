import type { Evidence } from '../../shared/finding';
import type { SentryApiError } from './errors';
import type {
  ApiIndex,
  AuditLogEntry,
  AuthProvider,
  InboundFilter,
  Integration,
  Member,
  OrgAuthToken,
  Organization,
  ProjectDetail,
  ProjectKey,
  ProjectSummary,
  SentryApp,
  SentryAppInstallation,
  Team,
  TeamMember,
} from './schemas';

/**
 * The outcome of one logical read. Reads never throw: a control must look at `ok` and turn a
 * failure into an `error` finding. `evidence.complete` is false when pagination stopped early.
 */
export type Loaded<T> =
  | { ok: true; value: T; evidence: Evidence }
  | { ok: false; error: SentryApiError; evidence?: Evidence };

/**
 * Read access to one organization, memoized: each read is made at most once per audit, however
 * many controls need it (the audit-scale benchmark holds us to the minimum request count).
 */
export interface OrgData {
  readonly orgSlug: string;
  /** GET /api/0/ : the token's scopes and user. */
  tokenInfo(): Promise<Loaded<ApiIndex>>;
  /** GET /organizations/{org}/?include_feature_flags=1 */
  organization(): Promise<Loaded<Organization>>;
  /** GET /organizations/{org}/auth-provider/ ; `null` when Sentry answers 204 (no SSO). */
  authProvider(): Promise<Loaded<AuthProvider | null>>;
  /** GET /organizations/{org}/members/ (all pages). */
  members(): Promise<Loaded<Member[]>>;
  /** GET /organizations/{org}/teams/ (all pages, with projects). */
  teams(): Promise<Loaded<Team[]>>;
  /** GET /teams/{org}/{team}/members/ (all pages). */
  teamMembers(teamSlug: string): Promise<Loaded<TeamMember[]>>;
  /** GET /organizations/{org}/projects/ (all pages). */
  projects(): Promise<Loaded<ProjectSummary[]>>;
  /** GET /projects/{org}/{project}/ */
  projectDetail(projectSlug: string): Promise<Loaded<ProjectDetail>>;
  /** Every client key of every project (org-wide list when available, else per project). */
  projectKeys(): Promise<Loaded<ProjectKey[]>>;
  /** GET /projects/{org}/{project}/filters/ (unpaginated). */
  projectFilters(projectSlug: string): Promise<Loaded<InboundFilter[]>>;
  /** GET /organizations/{org}/audit-logs/ : the most recent page. */
  auditLog(): Promise<Loaded<AuditLogEntry[]>>;
  /** GET /organizations/{org}/integrations/ (all pages). */
  integrations(): Promise<Loaded<Integration[]>>;
  /** GET /organizations/{org}/sentry-apps/ (all pages). */
  sentryApps(): Promise<Loaded<SentryApp[]>>;
  /** GET /organizations/{org}/sentry-app-installations/ (all pages). */
  sentryAppInstallations(): Promise<Loaded<SentryAppInstallation[]>>;
  /** GET /organizations/{org}/org-auth-tokens/ (unpaginated). */
  orgAuthTokens(): Promise<Loaded<OrgAuthToken[]>>;
}

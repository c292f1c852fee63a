import type { AuditReport } from '../../shared/report';
import type { Level } from '../../shared/levels';
import { CONTROLS, DEFAULT_AUDIT_SETTINGS } from '../controls/index';
import type { AuditSettings, ControlDefinition, IntegrationRegisterEntry } from '../controls/types';
import { connect, type ConnectOptions, type SentryConnection } from '../sentry/connect';
import type { ResponseSpool } from '../sentry/response-spool';
import type { OrgData } from '../sentry/org-data';
import type { ResponseRecord } from '../sentry/transport';
import { runAudit, type AuditProgress } from './audit';
import { buildAuditReport } from './report';
import { classifyToken, toTokenInfo } from './token-kind';

export interface AuditOrganizationOptions extends Omit<ConnectOptions, 'onResponse'> {
  readonly level: Level;
  /** Only the token's prefix (`sntryu_`/`sntrys_`) ever reaches the engine. */
  readonly tokenPrefix: 'sntryu_' | 'sntrys_' | null;
  readonly settings?: AuditSettings;
  readonly controls?: readonly ControlDefinition[];
  readonly integrationRegister?: readonly IntegrationRegisterEntry[];
  readonly onProgress?: (event: AuditProgress) => void;
  readonly onResponse?: (record: ResponseRecord) => void;
  /**
   * Where response bodies go as they arrive, so memory stays flat at any size (issue 10); the
   * caller disposes of it once the package is written. Without one, bodies stay in memory.
   */
  readonly spool?: ResponseSpool;
  /**
   * Runs after the audit on the same memoized reads, before the connection closes (exports read
   * what the audit already read instead of asking Sentry again).
   */
  readonly inspect?: (data: OrgData, report: AuditReport) => Promise<void>;
}

export interface AuditOutcome {
  readonly report: AuditReport;
  /** Every HTTP response seen, for the evidence package (bodies are not yet redacted). */
  readonly responses: readonly ResponseRecord[];
}

/**
 * One audit of one organization, as every front runs it: connect (token scopes, org, region),
 * classify the token, evaluate the controls, build and validate the report. Throws
 * `SentryApiError` only when the audit cannot run at all (bad URL, bad token, wrong org).
 */
export async function auditOrganization(options: AuditOrganizationOptions): Promise<AuditOutcome> {
  const responses: ResponseRecord[] = [];
  const connection: SentryConnection = await connect({
    ...options,
    onResponse: (record, bytes) => {
      responses.push(options.spool ? options.spool.keep(record, bytes) : record);
      options.onResponse?.(record);
    },
  });
  try {
    const org = connection.organization.value;
    const kind = classifyToken(options.tokenPrefix, connection.tokenInfo.value, org);
    const token = toTokenInfo(kind, connection.tokenInfo.value);
    const run = await runAudit({
      data: connection.data,
      controls: options.controls ?? CONTROLS,
      level: options.level,
      settings: options.settings ?? DEFAULT_AUDIT_SETTINGS,
      token,
      integrationRegister: options.integrationRegister ?? [],
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const stats = connection.client.stats();
    const report = buildAuditReport(
      run,
      {
        url: connection.client.base.url,
        regionUrl: connection.regionUrl,
        org: { slug: org.slug, id: org.id, name: org.name },
      },
      token,
      { requests: stats.requestsSent, rateLimited: stats.rateLimited },
    );
    if (options.inspect) await options.inspect(connection.data, report);
    return { report, responses };
  } finally {
    connection.client.close();
  }
}

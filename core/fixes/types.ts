import type { Finding } from '../../shared/finding';
import type { Change, PlanNote } from '../../shared/plan';
import type { AuditSettings, TokenInfo } from '../controls/types';
import type { SentryClient } from '../sentry/client';
import type { OrgData } from '../sentry/org-data';
import type { Organization } from '../sentry/schemas';

/** `--set key=value` parameters, by key. */
export type FixParams = Readonly<Record<string, string>>;

/** What a fix sees while planning: reads only, never a write. */
export interface FixContext {
  readonly client: SentryClient;
  readonly data: OrgData;
  readonly org: Organization;
  readonly orgSlug: string;
  readonly token: TokenInfo;
  readonly params: FixParams;
  readonly settings: AuditSettings;
  readonly now: Date;
}

/**
 * A change as a fix proposes it: the planner assigns ids. `ref` names it within the fix and
 * `dependsOn` lists refs of the same fix (e.g. the old key is disabled after the new one exists).
 */
export interface ChangeDraft extends Omit<Change, 'id' | 'dependsOn' | 'fix'> {
  readonly ref: string;
  readonly dependsOn: readonly string[];
}

export interface FixProposal {
  readonly changes: readonly ChangeDraft[];
  readonly notes: readonly Omit<PlanNote, 'fix'>[];
}

export interface FixParamDoc {
  /** e.g. `rateLimit.<key or project>` */
  readonly key: string;
  readonly pattern: RegExp;
  readonly description: string;
}

export interface FixDefinition {
  readonly id: string;
  readonly title: string;
  /** Controls whose checks it fixes. */
  readonly controls: readonly string[];
  /** The check ids whose failing findings it acts on. */
  readonly checks: readonly string[];
  readonly params: readonly FixParamDoc[];
  /** Read-only: proposes changes for the failing findings of its checks. */
  plan(ctx: FixContext, findings: readonly Finding[]): Promise<FixProposal>;
}

/** A parameter that does not parse: the message names the key and what is expected. */
export class FixParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixParamError';
  }
}

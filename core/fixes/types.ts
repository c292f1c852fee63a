import type { Finding } from '../../shared/finding';
import type { z } from 'zod';
import type { Change, Operation, PlanNote } from '../../shared/plan';
import type { AuditSettings, TokenInfo } from '../controls/types';
import type { SentryClient } from '../sentry/client';
import type { OrgData } from '../sentry/org-data';
import type { Organization } from '../sentry/schemas';
import { CodedError } from '../../shared/errors';

/** The choices fixes need (`addTeam.backend` -> `platform`), by key. */
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

/**
 * An operation a fix may use, and what it may write with it: apply refuses a change whose
 * operation or after-values no rule of its fix allows, and takes risk and confirmation from here.
 */
export interface OperationRule {
  readonly op: Operation;
  /** The after-values this fix may write (strict: an unknown field is refused). */
  readonly after: z.ZodType;
  /**
   * The before-values it may start from, when they decide what the write does (an invitation
   * is deleted only while it is one: no user, expired). Otherwise the re-read checks them.
   */
  readonly before?: z.ZodType;
  readonly risk: 'low' | 'high';
  /** Confirmation needs the organization slug typed. */
  readonly confirmSlug?: boolean;
  readonly reversible: boolean;
  /** Response fields kept in the journal (never secrets). */
  readonly record?: readonly string[];
}

export interface FixDefinition {
  readonly id: string;
  readonly title: string;
  /** Controls whose checks it fixes. */
  readonly controls: readonly string[];
  /** The check ids whose failing findings it acts on. */
  readonly checks: readonly string[];
  readonly params: readonly FixParamDoc[];
  /** Every operation its changes may use (the catalog apply rebuilds requests from). */
  readonly operations: readonly OperationRule[];
  /** Read-only: proposes changes for the failing findings of its checks. */
  plan(ctx: FixContext, findings: readonly Finding[]): Promise<FixProposal>;
}

/**
 * A parameter that does not parse or that the fix refuses. `key` names the parameter as data
 * (a form shows `reason` next to its field); `message` is `key: reason` for the command line.
 */
export class FixParamError extends CodedError {
  readonly key: string | undefined;
  readonly reason: string;

  constructor(reason: string, key?: string) {
    super('invalid_input', key === undefined ? reason : `${key}: ${reason}`);
    this.name = 'FixParamError';
    this.key = key;
    this.reason = reason;
  }
}

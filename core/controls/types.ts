import type { Evidence, Finding } from '../../shared/finding';
import type { Level } from '../../shared/levels';
import type { TokenInfo } from '../../shared/token-info';
import type { OrgData } from '../sentry/org-data';

/**
 * A set of reads many findings rest on together (every team roster): pass the same object to
 * each finding, and the report stores it once as an evidence group that findings cite by id.
 */
export interface ReadGroup {
  readonly label: string;
  readonly reads: readonly Evidence[];
}

/** What a control may cite: a read, or a group of reads shared by many findings. */
export type EvidenceItem = Evidence | ReadGroup;

export function isReadGroup(item: EvidenceItem): item is ReadGroup {
  return 'reads' in item && Array.isArray(item.reads);
}

/** A finding as a control returns it: with the full reads, which the engine stores once. */
export type ControlFinding = Omit<Finding, 'evidence' | 'evidenceGroups'> & { evidence: Evidence[]; groups?: ReadGroup[] };

export type ControlSection = '1' | '2' | '3' | '4' | 'INT';

export interface FrameworkMappings {
  readonly cis: readonly string[];
  readonly nist: readonly string[];
  readonly soc2: readonly string[];
}

export interface CheckDefinition {
  /** Stable id, e.g. `3.2.rate-limit`. The report and other tools rely on it. */
  readonly id: string;
  readonly title: string;
  readonly level: Level;
  /**
   * The check's claim is about the read itself ("the audit log answers"), so a pass may rest on
   * a read that stopped early on purpose. Only such checks may; every other pass needs complete
   * reads (the audit runner enforces it).
   */
  readonly claimHoldsOnPartialRead?: true;
  /**
   * Each finding of this check is about its own resource only (INT.1: "this integration is
   * inventoried"), so an item elsewhere in the list that did not validate does not touch it. Every
   * other pass is refused while a read behind it has invalid items (the audit runner enforces it).
   */
  readonly claimPerItem?: true;
  /**
   * The fields of the response items the verdict reads (dot paths into one item, e.g.
   * `require2FA`, `user.has2fa`, `rateLimit`): the wizard's evidence view highlights them.
   */
  readonly fields?: readonly string[];
}

/** How the token this session runs with looks (never the token itself): shared/token-info.ts, read-only. */
export type { TokenInfo };

/** Thresholds a consultant may tune; defaults live in `core/controls/settings.ts`. */
export interface AuditSettings {
  readonly maxOwners: number;
  readonly maxTeamsPerProject: number;
  readonly keyRotationDays: number;
  readonly integrationReviewDays: number;
  readonly sensitiveFieldBaseline: readonly string[];
  readonly orgAuthTokenStaleDays: number;
}

/** Entries of the integration permission register (INT.4, INT.5), kept per profile and edited in the wizard's integrations step. */
export interface IntegrationRegisterEntry {
  readonly integration: string;
  readonly permissions: readonly string[];
  readonly rationale: string;
  readonly owner: string;
  readonly lastReviewed: string;
}

/** The narrow world a control sees: reads, the level, a clock, thresholds. No host, no writes. */
export interface ControlContext {
  readonly data: OrgData;
  readonly level: Level;
  readonly now: Date;
  readonly settings: AuditSettings;
  readonly token: TokenInfo;
  /** Scopes the session needs: for an audit only, and for applying fixes. */
  readonly sessionScopes: { readonly audit: readonly string[]; readonly fix: readonly string[] };
  readonly integrationRegister: readonly IntegrationRegisterEntry[];
  /** True when checks of `level` belong to this audit: skip reads that only they need. */
  includes(level: Level): boolean;
}

export interface ControlDefinition {
  /** The guide's id (`1.1` ... `4.1`) or `INT.1` ... `INT.6`. Fixed: reports rely on it. */
  readonly id: string;
  readonly title: string;
  readonly section: ControlSection;
  /** The lowest level of any of its checks. */
  readonly level: Level;
  readonly mappings: FrameworkMappings;
  /** Why it matters, in two or three sentences. */
  readonly rationale: string;
  /** What to check or change by hand in Sentry's web UI. */
  readonly manualSteps: readonly string[];
  /** Scopes the checks read with (any one of each group suffices). */
  readonly requiredScopes: readonly (readonly string[])[];
  readonly checks: readonly CheckDefinition[];
  /** How the checks model Sentry (and its sources), for docs/controls.md. */
  readonly docNotes?: readonly string[];
  /** Read-only. Returns findings only for checks whose level the audit includes. */
  evaluate(ctx: ControlContext): Promise<ControlFinding[]>;
}

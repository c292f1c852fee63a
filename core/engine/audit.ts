import type { z } from 'zod';
import { countByStatus, EvidenceSchema, FindingSchema, type Evidence, type EvidenceGroup, type Finding } from '../../shared/finding';
import { levelIncludes, type Level } from '../../shared/levels';
import { AUDIT_SCOPES, FIX_SCOPES } from '../../shared/scopes';
import type {
  AuditSettings,
  ControlContext,
  ControlFinding,
  ControlDefinition,
  IntegrationRegisterEntry,
  ReadGroup,
  TokenInfo,
} from '../controls/types';
import type { OrgData } from '../sentry/org-data';
import { ReadRegistry } from './evidence-refs';
import { mapLimit } from '../primitives/map-limit';

export interface AuditProgress {
  readonly kind: 'control-start' | 'control-done';
  readonly control: string;
  readonly title: string;
  readonly index: number;
  readonly total: number;
  readonly counts?: ReturnType<typeof countByStatus>;
}

export interface RunAuditOptions {
  readonly data: OrgData;
  readonly controls: readonly ControlDefinition[];
  readonly level: Level;
  readonly settings: AuditSettings;
  readonly token: TokenInfo;
  readonly integrationRegister?: readonly IntegrationRegisterEntry[];
  readonly now?: () => Date;
  /** Controls evaluated at once; their reads are throttled by the client's scheduler anyway. */
  readonly concurrency?: number;
  readonly onProgress?: (event: AuditProgress) => void;
  readonly signal?: AbortSignal;
}

export interface AuditRun {
  readonly level: Level;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly controls: readonly ControlDefinition[];
  readonly findings: readonly Finding[];
  /** Every read a finding points at (by `sha256`), each once. */
  readonly reads: readonly (Evidence & { sha256: string })[];
  /** Sets of reads many findings cite together (by id), each once. */
  readonly evidenceGroups: readonly EvidenceGroup[];
}

/**
 * Runs every control whose lowest check level the audit includes. One control's failure
 * (an exception, a bad finding) becomes an `error` finding for that control alone.
 */
export async function runAudit(options: RunAuditOptions): Promise<AuditRun> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const selected = options.controls.filter((c) => levelIncludes(options.level, c.level));
  const ctx: ControlContext = {
    data: options.data,
    level: options.level,
    now: now(),
    settings: options.settings,
    token: options.token,
    sessionScopes: { audit: AUDIT_SCOPES, fix: FIX_SCOPES },
    integrationRegister: options.integrationRegister ?? [],
    includes: (level) => levelIncludes(options.level, level),
  };

  const registry = new ReadRegistry();
  let started = 0;
  let done = 0;
  const perControl = await mapLimit(selected, options.concurrency ?? selected.length, async (control) => {
    options.signal?.throwIfAborted();
    started += 1;
    options.onProgress?.({ kind: 'control-start', control: control.id, title: control.title, index: started, total: selected.length });
    const findings = await evaluateSafely(control, ctx, registry);
    done += 1;
    options.onProgress?.({
      kind: 'control-done',
      control: control.id,
      title: control.title,
      index: done,
      total: selected.length,
      counts: countByStatus(findings),
    });
    return findings;
  });

  return {
    level: options.level,
    startedAt,
    finishedAt: now().toISOString(),
    controls: selected,
    findings: perControl.flat(),
    reads: registry.all(),
    evidenceGroups: registry.groups(),
  };
}

/** A control's finding, minus the reads and groups (validated separately, once per object). */
const ControlFindingShape = FindingSchema.omit({ evidence: true, evidenceGroups: true });

/**
 * A finding built field by field in one order: spread from zod's output, each finding got a hidden
 * class of its own (21,000 maps and descriptor arrays, about a fifth of the heap after an audit of
 * 3,000 projects), and every reader of the findings ran megamorphic.
 */
function shaped(d: z.infer<typeof ControlFindingShape>, evidence: Finding['evidence'], groups: Finding['evidenceGroups']): Finding {
  const finding: Finding = { control: d.control, check: d.check, level: d.level, status: d.status, resource: d.resource, message: d.message, evidence };
  if (groups !== undefined) finding.evidenceGroups = groups;
  if (d.errorCode !== undefined) finding.errorCode = d.errorCode;
  if (d.details !== undefined) finding.details = d.details;
  return finding;
}

async function evaluateSafely(control: ControlDefinition, ctx: ControlContext, registry: ReadRegistry): Promise<Finding[]> {
  let raw: ControlFinding[];
  try {
    raw = await control.evaluate(ctx);
  } catch (e) {
    return [crashFinding(control, ctx, e)];
  }
  const checks = new Map(control.checks.map((c) => [c.id, c]));
  const out: Finding[] = [];
  const validReads = new WeakSet<Evidence>();
  const validRead = (e: Evidence): boolean => validReads.has(e) || (EvidenceSchema.safeParse(e).success && Boolean(validReads.add(e)));
  const validGroups = new WeakSet<ReadGroup>();
  const validGroup = (g: ReadGroup): boolean =>
    validGroups.has(g) || (typeof g.label === 'string' && Array.isArray(g.reads) && g.reads.every(validRead) && Boolean(validGroups.add(g)));
  for (const f of raw) {
    const parsed = ControlFindingShape.safeParse(f);
    const evidenceOk =
      Array.isArray(f.evidence) && f.evidence.every(validRead) && (f.groups === undefined || (Array.isArray(f.groups) && f.groups.every(validGroup)));
    const check = parsed.success ? checks.get(parsed.data.check) : undefined;
    if (!parsed.success || !evidenceOk || parsed.data.control !== control.id || !check) {
      out.push(crashFinding(control, ctx, new Error(`control ${control.id} produced an invalid finding`)));
      continue;
    }
    // zod strips `groups` (not in the shape): the engine turns them into group references here.
    const finding = shaped(parsed.data, f.evidence.map((e) => registry.ref(e)), f.groups && f.groups.length > 0 ? f.groups.map((g) => registry.group(g)) : undefined);
    // A check above the audit's level never reaches the report, whatever the control did.
    if (!levelIncludes(ctx.level, check.level)) continue;
    const invalidItemsAllowed = check.claimPerItem === true || check.claimHoldsOnPartialRead === true;
    const guarded = guardPass(finding, check.claimHoldsOnPartialRead === true, invalidItemsAllowed);
    // The same for the reads of the finding's groups (a roster with an item that did not validate).
    const groupInvalid = f.groups?.find((g) => g.reads.some((e) => (e.invalid?.length ?? 0) > 0));
    if (guarded.status === 'pass' && groupInvalid && !invalidItemsAllowed) {
      out.push({ ...guarded, status: 'error', errorCode: 'malformed_response', message: `Could not be proven: items of ${groupInvalid.label} did not have the expected shape, so the claim cannot cover them.` });
      continue;
    }
    out.push(guarded);
  }
  return out;
}

/**
 * Defence in depth for "never a false pass": a pass resting on an incomplete read, on a list with
 * items that did not validate (unless the claim is about one item only), or on no read at all, is
 * turned into an error here even if a control forgot to.
 */
export function guardPass(finding: Finding, partialReadSuffices = false, invalidItemsAllowed = false): Finding {
  if (finding.status !== 'pass') return finding;
  if (finding.evidence.length === 0 && (finding.evidenceGroups ?? []).length === 0) {
    return { ...finding, status: 'error', errorCode: 'internal', message: `${finding.message} (no evidence was recorded, so this cannot count as a pass)` };
  }
  const incomplete = finding.evidence.find((e) => !e.complete);
  const incompleteGroup = (finding.evidenceGroups ?? []).find((g) => !g.complete);
  if (incompleteGroup && !incomplete && !partialReadSuffices) {
    return {
      ...finding,
      status: 'error',
      errorCode: 'incomplete_pagination',
      message: `Could not be proven: a read of ${incompleteGroup.label} was incomplete.`,
    };
  }
  if (incomplete && !partialReadSuffices) {
    return {
      ...finding,
      status: 'error',
      errorCode: 'incomplete_pagination',
      message: `Could not be proven: the read of ${incomplete.endpoint} was incomplete (${incomplete.pages} page(s) fetched).`,
    };
  }
  const withInvalid = invalidItemsAllowed ? undefined : finding.evidence.find((e) => (e.invalid?.length ?? 0) > 0);
  if (withInvalid?.invalid) {
    const first = withInvalid.invalid[0];
    const n = withInvalid.invalid.length;
    return {
      ...finding,
      status: 'error',
      errorCode: 'malformed_response',
      message:
        `Could not be proven: ${n} item${n === 1 ? '' : 's'} of ${withInvalid.method} ${withInvalid.endpoint} did not have the expected shape` +
        (first ? ` (item ${first.index}${first.id === undefined ? '' : ` "${first.id}"`}: field "${first.field}": ${first.message})` : '') +
        ', so the claim cannot cover them.',
    };
  }
  return finding;
}

function crashFinding(control: ControlDefinition, ctx: ControlContext, e: unknown): Finding {
  const reason = e instanceof Error ? e.message : String(e);
  return {
    control: control.id,
    check: control.checks[0]?.id ?? `${control.id}.evaluate`,
    level: control.level,
    status: 'error',
    resource: { type: 'organization', id: ctx.data.orgSlug, name: ctx.data.orgSlug },
    message: `The check could not be completed: ${reason}`,
    evidence: [],
    errorCode: 'internal',
  };
}

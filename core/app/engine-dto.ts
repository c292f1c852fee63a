import type { ErrorInfo } from '../../shared/errors';
import type { FindingStatus } from '../../shared/finding';
import { FINDING_STATUSES } from '../../shared/finding';
import type { HandlerResponseOf } from '../../shared/ipc/contract';
import type { Change, OutcomeStatus, PlanNote } from '../../shared/plan';
import type { ChangeResult } from '../engine/apply';
import type { FixDefinition } from '../fixes/types';

/** How the engine's plans, changes and outcomes reach the contract's DTOs (core/app/engine.ts). */

export type AuditRunDto = HandlerResponseOf<'audit:run'>;
export type FixStepDto = HandlerResponseOf<'fix:plan'>['steps'][number];
export type StepResultDto = HandlerResponseOf<'fix:apply'>['results'][number];
export interface RecheckDto {
  readonly recheck: AuditRunDto | null;
  readonly recheckError: ErrorInfo | null;
}

/** `applied`, `failed` or `skipped`, for people who do not need the engine's precise outcome. */
export function coarseStatus(outcome: OutcomeStatus): StepResultDto['status'] {
  switch (outcome) {
    case 'applied':
    case 'already_applied':
      return 'applied';
    case 'failed':
    case 'not_effective':
    case 'uncertain':
      return 'failed';
    default:
      return 'skipped';
  }
}

function errorCodeFor(result: ChangeResult): ErrorInfo['code'] {
  const status = result.response?.status ?? null;
  if (status === null) return 'unreachable';
  if (status === 400) return 'bad_request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'internal';
}

export function toStepResult(result: ChangeResult, stepId: string): StepResultDto {
  const status = coarseStatus(result.status);
  return {
    stepId,
    status,
    outcome: result.status,
    message: result.message,
    observed: result.observed ?? null,
    error: result.status === 'failed' ? { code: errorCodeFor(result), message: result.message, retryable: false } : null,
  };
}

/** A plan change as the wizard previews it. */
export function toFixStep(change: Change, fixTitle: string): FixStepDto {
  const fields = [...new Set([...Object.keys(change.before), ...Object.keys(change.after)])];
  return {
    id: change.id,
    control: change.control,
    check: change.check,
    resource: change.resource,
    title: fixTitle,
    description: change.description,
    changes: fields.map((field) => ({ field, before: change.before[field] ?? null, after: change.after[field] ?? null })),
    reversible: change.reversible,
    requiredScopes: [...requiredScopesFor(change)],
    fix: change.fix,
    field: change.field,
    before: change.before,
    after: change.after,
    request: { ...change.request },
    risk: change.risk,
    confirmSlug: needsSlug(change),
    verify: change.verify,
    undoNote: change.undoNote ?? null,
    dependsOn: [...change.dependsOn],
    notes: [...change.notes],
  };
}

/** High-risk steps, and those the fix marks, are confirmed by typing the organization slug. */
export function needsSlug(change: Pick<Change, 'risk' | 'confirmSlug'>): boolean {
  return change.risk === 'high' || change.confirmSlug;
}

/** The admin scope of the family a write touches (REFERENCE.md 10). */
function requiredScopesFor(change: Change): string[] {
  const p = change.request.path;
  if (/^\/api\/0\/projects\//.test(p)) return ['project:admin'];
  if (/^\/api\/0\/teams\//.test(p)) return ['team:admin'];
  if (/\/members\//.test(p)) return /\/teams\//.test(p) ? ['team:admin', 'member:admin'] : ['member:admin'];
  return ['org:admin'];
}

/** A note as the wizard gets it: the choice it needs (or offers) comes from the plan's data, never from its words. */
export function noteDto(note: PlanNote, fixes: readonly FixDefinition[]): HandlerResponseOf<'fix:plan'>['notes'][number] {
  const p = note.param;
  const doc = p ? (fixes.find((f) => f.id === note.fix)?.params ?? []).find((d) => d.pattern.test(p.key)) : undefined;
  return {
    fix: note.fix,
    control: note.control,
    check: note.check ?? null,
    resource: note.resource ?? null,
    kind: note.kind,
    message: note.message,
    param: p
      ? {
          key: p.key,
          kind: p.kind,
          label: p.label,
          description: doc?.description ?? p.label,
          choices: [...(p.choices ?? [])],
          multiple: p.multiple ?? false,
          min: p.min ?? null,
          max: p.max ?? null,
          pattern: p.pattern ?? null,
          // Every choice in words: the fix's own labels, else the value itself.
          options: (p.choices ?? []).map((value, i) => {
            const o = p.options?.[i]?.value === value ? p.options[i] : p.options?.find((x) => x.value === value);
            return { value, label: o?.label ?? value, detail: o?.detail ?? null };
          }),
          suggested: p.suggested ?? null,
          maxWindow: p.maxWindow ?? null,
        }
      : null,
    items: [...(note.items ?? [])],
  };
}

/** Every status, zero where the report has none. */
export function fullCounts(counts: Partial<Record<FindingStatus, number>>): Record<FindingStatus, number> {
  const out: Record<FindingStatus, number> = { pass: 0, fail: 0, error: 0, manual: 0, not_applicable: 0 };
  for (const s of FINDING_STATUSES) out[s] = counts[s] ?? 0;
  return out;
}

type NoteDto = HandlerResponseOf<'fix:plan'>['notes'][number];
type OptionDto = NonNullable<NoteDto['param']>['options'][number];

/** Lists shorter than this stay inline: sharing them saves less than the index costs. */
const SHARED_OPTIONS_MIN = 8;

/**
 * Sends each long option list once (`optionSets`), the notes pointing at it: at 5,000 members the
 * plan's 1,233 "which team" notes each carried the same 200 teams (15 MB for one step).
 */
export function shareOptionSets(notes: readonly NoteDto[]): { notes: NoteDto[]; optionSets: OptionDto[][] } {
  const sets: OptionDto[][] = [];
  const index = new Map<string, number>();
  const out = notes.map((n) => {
    const p = n.param;
    if (!p || p.options.length < SHARED_OPTIONS_MIN) return n;
    // Only when the options are exactly the choices, in order: the window rebuilds one from the other.
    if (p.options.length !== p.choices.length || p.options.some((o, i) => o.value !== p.choices[i])) return n;
    const key = JSON.stringify(p.options);
    let id = index.get(key);
    if (id === undefined) {
      id = sets.length;
      sets.push(p.options);
      index.set(key, id);
    }
    return { ...n, param: { ...p, choices: [], options: [], optionSet: id } };
  });
  return { notes: out, optionSets: sets };
}

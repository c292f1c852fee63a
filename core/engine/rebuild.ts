import type { Change } from '../../shared/plan';
import { canonicalize } from '../primitives/canonical-json';
import { FIXES } from '../fixes/index';
import { buildOperation, forwardValuesOfUndo } from '../fixes/operations';
import type { FixDefinition, OperationRule } from '../fixes/types';
import { FixParamError } from '../fixes/types';
import { isCanonicalApiPath } from '../sentry/api-path';
import { CodedError } from '../../shared/errors';

/** A change that is not what the fix catalog builds from its intent (an edited plan or journal). */
export class RebuildError extends CodedError {
  constructor(message: string) {
    super('invalid_input', message);
    this.name = 'RebuildError';
  }
}

function same(a: unknown, b: unknown): boolean {
  return canonicalize(a ?? null) === canonicalize(b ?? null);
}

function ruleFor(change: Change, fixes: readonly FixDefinition[], before: Change['before'], after: Change['after']): OperationRule {
  const fix = fixes.find((f) => f.id === change.fix);
  if (!fix) throw new RebuildError(`change ${change.id}: no fix "${change.fix}" in this version's catalog`);
  const rule = fix.operations.find((r) => r.op === change.intent.op && r.after.safeParse(after).success && (r.before?.safeParse(before).success ?? true));
  if (!rule) {
    throw new RebuildError(`change ${change.id}: fix ${fix.id} does not make a "${change.intent.op}" change writing ${canonicalize(after).slice(0, 200)}`);
  }
  return rule;
}

/**
 * The change as the catalog builds it from its intent: fix, operation, path arguments and
 * before/after values. Method, host, path, body, probe, inverse, risk and confirmation all come
 * from the catalog; only the words for people (description, notes) come from the change itself.
 * An undo step (`undoes`) is the catalog's inverse of the forward change it names.
 */
export function rebuildChange(change: Change, orgSlug: string, fixes: readonly FixDefinition[] = FIXES): Change {
  const undo = change.undoes !== undefined;
  const forward = undo ? forwardValuesOfUndo(change.intent.op, change.before, change.after) : { before: change.before, after: change.after };
  const rule = ruleFor(change, fixes, forward.before, forward.after);
  let built;
  try {
    built = buildOperation(orgSlug, change.intent, forward.before, forward.after);
  } catch (e) {
    if (e instanceof FixParamError) throw new RebuildError(`change ${change.id}: ${e.message}`);
    throw e;
  }
  let rebuilt: Change;
  if (!undo) {
    if (change.intent.args.created !== undefined) throw new RebuildError(`change ${change.id}: only an undo names a created resource`);
    rebuilt = {
      ...change,
      request: built.request,
      probe: built.probe,
      verify: built.verify,
      risk: rule.risk,
      reversible: rule.reversible,
      inverse: rule.reversible ? built.inverse : null,
      confirmSlug: rule.confirmSlug ?? false,
      record: [...(rule.record ?? [])],
    };
  } else {
    const inv = rule.reversible ? built.inverse : null;
    if (!inv) throw new RebuildError(`change ${change.id}: ${change.undoes} cannot be undone (fix ${change.fix})`);
    const created = change.intent.args.created;
    if (inv.fromResponse !== undefined && created === undefined) throw new RebuildError(`change ${change.id}: the undo does not name what was created`);
    const fill = (p: string): string => p.split('{created}').join(encodeURIComponent(created ?? ''));
    rebuilt = {
      ...change,
      before: inv.before,
      after: inv.after,
      request: { ...inv.request, path: fill(inv.request.path) },
      probe: { ...inv.probe, path: fill(inv.probe.path) },
      verify: `Re-read GET ${fill(inv.probe.path)} and expect ${JSON.stringify(inv.after)}.`,
      risk: inv.risk === 'high' || rule.risk === 'high' ? 'high' : 'low',
      reversible: false,
      inverse: null,
      confirmSlug: rule.confirmSlug ?? false,
      record: [],
    };
  }
  for (const p of [rebuilt.request.path, rebuilt.probe.path]) {
    if (!isCanonicalApiPath(p)) throw new RebuildError(`change ${change.id}: ${p} is not a canonical API path`);
  }
  return rebuilt;
}

/** Fields that decide what is sent or how it is confirmed: the file must agree with the catalog on each. */
const BINDING = ['before', 'after', 'request', 'probe', 'risk', 'reversible', 'confirmSlug', 'record'] as const;

/**
 * Rebuilds every change and refuses one whose file disagrees with the catalog (a request, probe,
 * inverse or risk that was edited): what is then sent is the rebuilt change, never the file's.
 */
export function rebuildChanges(changes: readonly Change[], orgSlug: string, fixes: readonly FixDefinition[] = FIXES): Change[] {
  return changes.map((c) => {
    const rebuilt = rebuildChange(c, orgSlug, fixes);
    for (const field of BINDING) {
      if (!same(c[field], rebuilt[field])) throw new RebuildError(`change ${c.id}: its ${field} is not what fix ${c.fix} builds for this change (the file was edited, or made by another version)`);
    }
    const invDiff = c.inverse === null || rebuilt.inverse === null ? c.inverse !== rebuilt.inverse : !same({ ...c.inverse, description: '' }, { ...rebuilt.inverse, description: '' });
    if (invDiff) throw new RebuildError(`change ${c.id}: its inverse is not what fix ${c.fix} builds for this change`);
    return rebuilt;
  });
}

import type { Finding } from '../../shared/finding';
import type { Level } from '../../shared/levels';
import type { Change, Plan, PlanNote, PlanTarget } from '../../shared/plan';
import { PLAN_SCHEMA_VERSION, PlanSchema } from '../../shared/plan';
import { CONTROLS, DEFAULT_AUDIT_SETTINGS } from '../controls/index';
import type { AuditSettings, ControlDefinition } from '../controls/types';
import { canonicalize } from '../primitives/canonical-json';
import { sha256Hex } from '../primitives/hash';
import { FIXES } from '../fixes/index';
import type { FixContext, FixDefinition, FixParams, FixProposal } from '../fixes/types';
import { FixParamError } from '../fixes/types';
import { belongsToOrg } from '../sentry/api-path';
import { connect, type ConnectOptions } from '../sentry/connect';
import { createReuseTransport } from '../sentry/reuse-transport';
import { createHttpTransport, type ResponseRecord } from '../sentry/transport';
import { runAudit } from './audit';
import { rebuildChanges, RebuildError } from './rebuild';
import { TOOL_NAME, TOOL_VERSION } from './report';
import { classifyToken, toTokenInfo } from './token-kind';
import { CodedError } from '../../shared/errors';

export class PlanError extends CodedError {
  constructor(message: string) {
    super('invalid_input', message);
    this.name = 'PlanError';
  }
}

export interface MakePlanOptions extends ConnectOptions {
  readonly level: Level;
  /** Control ids (`2.1`, `3.2`); null or empty: every control with a fix. */
  readonly only?: readonly string[] | null;
  readonly params?: FixParams;
  readonly tokenPrefix: 'sntryu_' | 'sntrys_' | null;
  readonly settings?: AuditSettings;
  readonly controls?: readonly ControlDefinition[];
  readonly fixes?: readonly FixDefinition[];
  /**
   * The responses of an audit that just ran: the plan is made from its reads instead of reading
   * the organization again (reads it did not make still go to Sentry). See createReuseTransport.
   */
  readonly reuse?: readonly ResponseRecord[];
  /**
   * `throw` (default, the CLI): a refused parameter stops the plan. `collect` (the wizard): the
   * fix plans again without it and the refusal is returned with its key, so a form can show the
   * reason next to the field while the rest of the plan stands.
   */
  readonly paramErrors?: 'throw' | 'collect';
}

/** A chosen value a fix refused, by parameter key; the plan was made without it. */
export interface ParamRefusal {
  readonly key: string;
  readonly message: string;
}

export interface PlanOutcome {
  readonly plan: Plan;
  /** The fresh audit's findings the plan was made from. */
  readonly findings: readonly Finding[];
  /** `collect` mode: the parameters left out, and why. */
  readonly paramErrors: readonly ParamRefusal[];
}

export function planDigest(plan: Pick<Plan, 'target' | 'writeHosts' | 'changes'>): string {
  return sha256Hex(canonicalize({ target: plan.target, writeHosts: plan.writeHosts, changes: plan.changes }));
}

/** Refuses parameter keys no fix declares, naming them and the keys that exist. */
export function checkParams(params: FixParams, fixes: readonly FixDefinition[]): void {
  const key = unknownParams(params, fixes)[0];
  if (key !== undefined) throw new FixParamError(`unknown parameter "${key}"; known: ${fixes.flatMap((f) => f.params).map((d) => d.key).join(', ')}`);
}

function unknownParams(params: FixParams, fixes: readonly FixDefinition[]): string[] {
  const docs = fixes.flatMap((f) => f.params);
  return Object.keys(params).filter((key) => !docs.some((d) => d.pattern.test(key)));
}

/**
 * One fix's proposal. In collect mode a FixParamError about a chosen key drops that key and
 * plans again (at most once per key), recording why.
 */
async function proposeCollecting(fix: FixDefinition, ctx: FixContext, findings: readonly Finding[], collect: boolean, refused: ParamRefusal[]): Promise<FixProposal> {
  let params = ctx.params;
  for (;;) {
    try {
      return await fix.plan({ ...ctx, params }, findings);
    } catch (e) {
      if (!collect || !(e instanceof FixParamError) || e.key === undefined || !Object.hasOwn(params, e.key)) throw e;
      refused.push({ key: e.key, message: e.reason });
      const { [e.key]: _dropped, ...rest } = params;
      params = rest;
    }
  }
}

/**
 * `plan`: a fresh audit of the selected controls, then every fix of those controls proposes its
 * changes from the findings. Read-only: nothing is written. Throws SentryApiError when the audit
 * cannot run, FixParamError for a parameter that does not parse.
 */
export async function makePlan(options: MakePlanOptions): Promise<PlanOutcome> {
  const fixes = options.fixes ?? FIXES;
  const collect = options.paramErrors === 'collect';
  const refused: ParamRefusal[] = [];
  let params = options.params ?? {};
  if (collect) {
    for (const key of unknownParams(params, fixes)) refused.push({ key, message: 'no fix takes this choice; it was left out' });
    params = Object.fromEntries(Object.entries(params).filter(([k]) => !refused.some((r) => r.key === k)));
  } else {
    checkParams(params, fixes);
  }
  const only = options.only && options.only.length > 0 ? new Set(options.only) : null;
  const allControls = options.controls ?? CONTROLS;
  if (only) {
    const known = new Set(allControls.map((c) => c.id));
    for (const id of only) if (!known.has(id)) throw new FixParamError(`no control "${id}" among the controls to plan`);
  }
  const connection = await connect(
    options.reuse && !options.transport
      ? { ...options, transport: createReuseTransport(options.reuse, createHttpTransport({ getToken: options.getToken, ...(options.caFile ? { caFile: options.caFile } : {}) })) }
      : options,
  );
  try {
    const detail = await connection.data.organization();
    // Fixes read the org's settings; the summary (no org:read) cannot be planned against.
    if (!detail.ok) throw detail.error;
    const org = detail.value;
    const token = toTokenInfo(classifyToken(options.tokenPrefix, connection.tokenInfo.value, org), connection.tokenInfo.value);
    const settings = options.settings ?? DEFAULT_AUDIT_SETTINGS;
    const controls = allControls.filter((c) => (only ? only.has(c.id) : fixes.some((f) => f.controls.includes(c.id))));
    const run = await runAudit({ data: connection.data, controls, level: options.level, settings, token });
    const ctx = {
      client: connection.client,
      data: connection.data,
      org,
      orgSlug: org.slug,
      token,
      params,
      settings,
      now: new Date(),
    };
    const changes: Change[] = [];
    const notes: PlanNote[] = [];
    for (const fix of fixes) {
      if (!fix.controls.some((c) => controls.some((x) => x.id === c))) continue;
      const findings = run.findings.filter((f) => fix.checks.includes(f.check));
      const proposal = await proposeCollecting(fix, ctx, findings, collect, refused);
      const ids = new Map<string, string>();
      for (const draft of proposal.changes) {
        if (only && !only.has(draft.control)) continue;
        const missing = draft.dependsOn.filter((d) => !ids.has(d));
        if (missing.length > 0) {
          notes.push({ fix: fix.id, control: draft.control, check: draft.check, resource: draft.resource, kind: 'info', message: `Left out: "${draft.description}" depends on a change of a control not planned here.` });
          continue;
        }
        const id = `c${String(changes.length + 1).padStart(3, '0')}`;
        ids.set(draft.ref, id);
        const { ref: _ref, dependsOn, ...rest } = draft;
        const change: Change = { ...rest, id, fix: fix.id, dependsOn: dependsOn.map((d) => ids.get(d) as string) };
        // What apply will rebuild must be what the plan shows: a fix that disagrees with its own rules is a bug.
        rebuildChanges([change], org.slug, fixes);
        changes.push(change);
      }
      for (const n of proposal.notes) if (!only || only.has(n.control)) notes.push({ ...n, fix: fix.id });
    }
    const target: PlanTarget = {
      url: connection.client.base.url,
      regionUrl: connection.regionUrl,
      controlUrl: connection.controlUrl,
      org: { slug: org.slug, id: org.id, name: org.name },
    };
    const writeHosts = [...new Set([connection.regionUrl, connection.controlUrl])];
    const plan: Plan = {
      schemaVersion: PLAN_SCHEMA_VERSION,
      kind: 'sentry-harden-plan',
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      createdAt: new Date().toISOString(),
      target,
      writeHosts,
      level: options.level,
      only: only ? [...only] : null,
      params: Object.fromEntries(Object.entries(params).filter(([k]) => !refused.some((r) => r.key === k))),
      changes,
      notes,
      digest: planDigest({ target, writeHosts, changes }),
    };
    return { plan: PlanSchema.parse(plan), findings: run.findings, paramErrors: refused };
  } finally {
    connection.client.close();
  }
}

export { belongsToOrg } from '../sentry/api-path';

/** Checks that every path of every change belongs to the target organization (on decoded segments). */
export function checkChangesBelong(changes: readonly Change[], orgSlug: string): void {
  for (const c of changes) {
    const paths = [c.request.path, c.probe.path, ...(c.inverse ? [c.inverse.request.path, c.inverse.probe.path].map((p) => p.split('{created}').join('created')) : [])];
    const bad = paths.find((p) => !belongsToOrg(p, orgSlug));
    if (bad !== undefined) throw new PlanError(`change ${c.id}: ${bad} is not an endpoint of organization ${orgSlug}`);
  }
}

/**
 * Reads a plan file's text: JSON, the schema (the message names the first problems and where),
 * the digest, paths of the target organization, and every change rebuilt from the fix catalog
 * (a change whose request, probe, inverse or risk is not what its fix builds is refused). The
 * signature is checked separately (`checkPlanSignature`), once the target has been shown.
 */
export function parsePlan(text: string): Plan {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PlanError('the plan is not valid JSON');
  }
  const version = json !== null && typeof json === 'object' ? (json as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (typeof version === 'number' && version !== PLAN_SCHEMA_VERSION) {
    throw new PlanError(`the plan has format ${version}; this version reads format ${PLAN_SCHEMA_VERSION}: make a new plan with \`sentry-harden plan\``);
  }
  const parsed = PlanSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.length === 0 ? '(root)' : i.path.join('.')}: ${i.message}`);
    throw new PlanError(`the plan is invalid: ${issues.join('; ')}${parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more)` : ''}`);
  }
  const plan = parsed.data;
  if (planDigest(plan) !== plan.digest) {
    throw new PlanError('the plan was modified after it was made (its digest does not match its changes); make a new plan with `sentry-harden plan`');
  }
  checkChangesBelong(plan.changes, plan.target.org.slug);
  try {
    // Refused early here; apply rebuilds again and sends only what it rebuilt.
    rebuildChanges(plan.changes, plan.target.org.slug);
    return plan;
  } catch (e) {
    if (e instanceof RebuildError) throw new PlanError(e.message);
    throw e;
  }
}

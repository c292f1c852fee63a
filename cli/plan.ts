import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Change, Plan, PlanNote, PlanParam } from '../shared/plan';
import { makePlan } from '../core/engine/plan';
import { signPlan } from '../core/evidence/plan-signature';
import { tokenPrefix } from '../core/engine/token-kind';
import { FixParamError } from '../core/fixes/types';
import { isSentryApiError } from '../core/sentry/errors';
import { CliUsageError, EXIT } from './cli-error';
import type { CliIo } from './io';
import { CONNECTION_OPTIONS, parseLevel, parseTimeout, readToken, requireOrg, withUsageErrors } from './options';
import { planSigningKey } from './plan-trust';
import { joinLines, line } from './terminal';
import { levelLabel } from '../shared/levels';

const PLAN_OPTIONS = {
  ...CONNECTION_OPTIONS,
  level: { type: 'string', default: 'L1' },
  only: { type: 'string' },
  out: { type: 'string' },
  set: { type: 'string', multiple: true },
  params: { type: 'string' },
  'sign-key': { type: 'string' },
} as const;

/** `--set key=value` (repeatable) and `--params file.json` (a flat object; arrays are joined with commas). */
export async function readParams(io: CliIo, sets: readonly string[] | undefined, file: string | undefined): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (file) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path.resolve(io.cwd, file), 'utf8'));
    } catch (e) {
      throw new CliUsageError(`--params ${file}: cannot read a JSON object (${e instanceof Error ? e.message : String(e)})`);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new CliUsageError(`--params ${file}: expected a JSON object of parameters`);
    for (const [k, v] of Object.entries(json)) {
      if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
      else if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) out[k] = v.join(',');
      else throw new CliUsageError(`--params ${file}: "${k}" must be a string, a number or a list of them`);
    }
  }
  for (const s of sets ?? []) {
    const i = s.indexOf('=');
    if (i <= 0) throw new CliUsageError(`--set "${s}": expected key=value`);
    out[s.slice(0, i).trim()] = s.slice(i + 1).trim();
  }
  return out;
}

export function formatValue(v: unknown): string {
  const s = JSON.stringify(v) ?? 'null';
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

/** One change as `plan` and `apply` show it: what, where, before -> after, the exact request. */
export function formatChange(c: Change, current?: Change['before']): string {
  const lines: string[] = [];
  lines.push(`${c.id} [${c.risk === 'high' ? 'HIGH RISK' : 'low risk'}] ${c.control} ${c.check}  ${c.resource.type} ${c.resource.name}`);
  lines.push(`     ${c.description}`);
  for (const name of new Set([...Object.keys(c.before), ...Object.keys(c.after)])) {
    const before = (current ?? c.before)[name];
    const after = c.after[name];
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    lines.push(`     ${name}: ${formatValue(before)} -> ${formatValue(after)}`);
  }
  lines.push(`     request: ${c.request.method} ${c.request.path}${c.request.body === undefined ? '' : ` ${formatValue(c.request.body)}`}`);
  lines.push(`     verify: ${c.verify}`);
  if (c.dependsOn.length > 0) lines.push(`     after: ${c.dependsOn.join(', ')}`);
  lines.push(`     undo: ${c.reversible ? (c.inverse?.description ?? 'yes') : 'not possible'}${c.undoNote ? ` (${c.undoNote})` : ''}`);
  for (const n of c.notes) lines.push(`     note: ${n}`);
  return joinLines(lines);
}

const PLACEHOLDER: Readonly<Record<PlanParam['kind'], string>> = {
  team: 'TEAM',
  member: 'MEMBER_ID',
  role: 'ROLE',
  rate_limit: 'COUNT/WINDOW',
  client_keys: 'PUBLIC_KEY',
  domains: 'https://app.example.com',
  cidr_ranges: '203.0.113.0/24',
  scope: 'VALUE',
  project: 'PROJECT',
};

/** The command-line form of a choice, from its data: `--set addTeam.web=TEAM[,...] (choices: a, b)`. */
export function setHint(param: PlanParam): string {
  const value = `${PLACEHOLDER[param.kind]}${param.multiple ? '[,...]' : ''}`;
  const choices = param.choices ?? [];
  const shown = choices.length > 8 ? `${choices.slice(0, 8).join(', ')}, ... (${choices.length})` : choices.join(', ');
  const suggested = param.suggested === undefined ? '' : ` (default ${param.suggested})`;
  return `--set ${param.key}=${value}${shown ? ` (choices: ${shown})` : ''}${suggested}`;
}

function formatNote(n: PlanNote): string {
  const hint = n.param ? `\n      ${n.param.label}: ${setHint(n.param)}` : '';
  return `  [${n.kind}] ${n.control}${n.check ? ` ${n.check}` : ''}: ${n.message}${hint}`;
}

export function formatPlan(plan: Plan, file: string | null): string {
  const lines: string[] = [];
  lines.push(`Plan for "${plan.target.org.name}" (${plan.target.org.slug}) at ${plan.target.url}, level ${levelLabel(plan.level)}${plan.only ? `, controls ${plan.only.join(', ')}` : ''}`);
  lines.push(`Writes only to: ${plan.writeHosts.join(', ')}`);
  lines.push('');
  if (plan.changes.length === 0) lines.push('No change to propose.');
  for (const c of plan.changes) lines.push(...formatChange(c).trimEnd().split('\n'));
  if (plan.notes.length > 0) {
    lines.push('', 'Not proposed:');
    for (const n of plan.notes) lines.push(formatNote(n));
  }
  const high = plan.changes.filter((c) => c.risk === 'high').length;
  lines.push('', `${plan.changes.length} change(s), ${high} high risk.${file ? ` Plan: ${file}` : ''}`);
  if (file) lines.push(`Apply with: sentry-harden apply ${file}`);
  return joinLines(lines);
}

/** `sentry-harden plan`: audit, propose changes, write the plan file. Exit 0 made, 2 could not run. */
export async function runPlanCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = withUsageErrors(() => parseArgs({ args: argv, options: PLAN_OPTIONS, allowPositionals: true, strict: true }));
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}"`);
  const orgSlug = requireOrg(values.org);
  if (!values.out) throw new CliUsageError('--out plan.json is required');
  const level = parseLevel(values.level);
  const timeoutMs = parseTimeout(values.timeout);
  const params = await readParams(io, values.set, values.params);
  const only = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : null;
  const keyFile = values['sign-key'] === undefined ? undefined : path.resolve(io.cwd, values['sign-key']);
  // The key is settled before the audit: a bad key file fails before any request.
  const key = await planSigningKey(io, keyFile);
  const getToken = await readToken(io, values['token-stdin']);
  io.stderr.write(`Auditing ${orgSlug} at ${values.url}, level ${level}, to plan fixes\n`);
  try {
    const { plan: made } = await makePlan({
      baseUrl: values.url,
      orgSlug,
      getToken,
      tokenPrefix: tokenPrefix(getToken()),
      level,
      timeoutMs,
      only,
      params,
      ...(values['ca-file'] ? { caFile: values['ca-file'] } : {}),
    });
    const plan = key ? signPlan(made, key) : made;
    if (key) io.stderr.write(`Plan signed by ${key.fingerprint}\n`);
    else io.stderr.write('warning: no signing key (no OS keychain, no --sign-key FILE): the plan is unsigned, and apply will refuse it without --allow-unsigned-plan\n');
    const file = path.resolve(io.cwd, values.out);
    await writeFile(file, `${JSON.stringify(plan, null, 2)}\n`, { mode: 0o600 });
    io.stdout.write(formatPlan(plan, file));
    return EXIT.ok;
  } catch (e) {
    if (e instanceof FixParamError) throw new CliUsageError(e.message);
    if (isSentryApiError(e)) {
      io.stderr.write(line(`sentry-harden plan: could not make a plan: ${e.message}`));
      return EXIT.couldNotRun;
    }
    throw e;
  }
}

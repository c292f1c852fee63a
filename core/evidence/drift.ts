import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Drift, DriftFinding, EvidenceReport } from '../../shared/evidence';
import { parseReportFile } from './report-file';
import type { Finding, ResourceRef } from '../../shared/finding';
import { EvidenceError } from '../primitives/errors';
import { sha256Hex } from '../primitives/hash';
import { verifyPackage } from './package';
import { isUnsignedLayout, verifyUnsignedPackage } from './unsigned';
import { openPackage, REPORT_FILE } from './package-files';
import { findingKey, isExceptionActive } from './registers';

/** A previous package, read and checked, to compare a new session with. */
export interface BaselinePackage {
  readonly report: EvidenceReport;
  /** SHA-256 of its report.json bytes. */
  readonly reportSha256: string;
  /** Fingerprint of the key its signature verified with. */
  readonly signer: string | null;
}

/**
 * Reads a previous package (folder or .zip) for `--baseline`. Its signature and every file hash
 * must verify (with `expectedPublicKeyPem` when given, else the key inside it): drift against a
 * package that was edited would be drift against fiction. Throws EvidenceError: `not_found` when
 * the path does not exist, `invalid_input` when the package fails verification or is not one.
 */
export async function loadBaselinePackage(target: string, options: { expectedPublicKeyPem?: string } = {}): Promise<BaselinePackage> {
  const opened = await openPackage(target);
  try {
    // An unsigned baseline (last week's CI run without a key) counts when every file matches its manifest.
    const unsigned = await isUnsignedLayout(opened.dir);
    const verification = unsigned ? await verifyUnsignedPackage(opened.dir) : await verifyPackage(opened.dir, options);
    if (unsigned ? verification.problems.length > 0 || options.expectedPublicKeyPem !== undefined : !verification.valid) {
      throw new EvidenceError('invalid_input', `The baseline ${target} fails verification: ${verification.problems.slice(0, 3).join('; ')}.`);
    }
    const bytes = await readFile(path.join(opened.dir, REPORT_FILE));
    const parsed = parseReportFile(bytes.toString('utf8'));
    if (!parsed.ok) throw new EvidenceError('invalid_input', `The baseline ${target} has no evidence report.json (${parsed.reason}).`);
    return { report: parsed.report, reportSha256: sha256Hex(bytes), signer: verification.signature.fingerprint };
  } finally {
    await opened.close();
  }
}

type Keyed = Map<string, Finding>;

function byKey(findings: readonly Finding[]): Keyed {
  const m: Keyed = new Map();
  for (const f of findings) {
    const k = `${f.control}|${findingKey(f)}`;
    const known = m.get(k);
    // One resource reported twice by a check: the failure is what drift is about.
    if (!known || f.status === 'fail') m.set(k, f);
  }
  return m;
}

function item(f: Finding, before: Finding['status'] | null, after: Finding['status'] | null, message: string): DriftFinding {
  return { control: f.control, check: f.check, resource: { ...f.resource }, before, after, message };
}

const INVENTORY_CHECK = 'INT.1.inventory';

/** Integrations, apps and installations the inventory listed, with the scopes it saw. */
function inventory(report: EvidenceReport): Map<string, { resource: ResourceRef; scopes: string[] }> {
  const out = new Map<string, { resource: ResourceRef; scopes: string[] }>();
  for (const f of report.findings) {
    if (f.check !== INVENTORY_CHECK || f.resource.type === 'organization') continue;
    const d = f.details ?? {};
    const raw = Array.isArray(d.scopes) ? d.scopes : Array.isArray(d.oauthScopes) ? d.oauthScopes : [];
    const scopes = raw.filter((s): s is string => typeof s === 'string');
    const k = `${f.resource.type}|${f.resource.id}`;
    const known = out.get(k);
    out.set(k, { resource: { ...f.resource }, scopes: [...new Set([...(known?.scopes ?? []), ...scopes])].sort() });
  }
  return out;
}

/**
 * What changed since the baseline: findings newly failing, regressed (pass to fail), fixed (fail
 * to pass), no longer reported; integrations and scopes that are new (the session token's scopes
 * included); exceptions that counted then and have expired by this session's end. Throws
 * EvidenceError('invalid_input') when the baseline is of another organization.
 */
export function computeDrift(baseline: BaselinePackage, current: EvidenceReport): Drift {
  const base = baseline.report;
  if (base.target.org.id !== current.target.org.id) {
    throw new EvidenceError(
      'invalid_input',
      `The baseline is of organization ${base.target.org.slug} (id ${base.target.org.id}), not ${current.target.org.slug} (id ${current.target.org.id}).`,
    );
  }
  const notes: string[] = [];
  if (base.level !== current.level) {
    notes.push(`The baseline was audited at ${base.level} and this session at ${current.level}: checks of one level only appear as new or no longer reported.`);
  }
  if (base.catalog.digest !== current.catalog.digest) {
    notes.push(`The control catalog changed since the baseline (${base.catalog.version} → ${current.catalog.version}): some differences may come from the checks, not from the organization.`);
  }
  if (Date.parse(base.finishedAt) > Date.parse(current.startedAt)) notes.push('The baseline is newer than this session.');

  const was = byKey(base.findings);
  const now = byKey(current.findings);
  const newlyFailing: DriftFinding[] = [];
  const regressed: DriftFinding[] = [];
  const fixed: DriftFinding[] = [];
  const noLongerReported: DriftFinding[] = [];
  for (const [k, f] of now) {
    if (f.status !== 'fail') continue;
    const b = was.get(k);
    if (b?.status === 'pass') regressed.push(item(f, 'pass', 'fail', 'Passed at the last review; fails now.'));
    else if (b?.status !== 'fail') {
      newlyFailing.push(item(f, b?.status ?? null, 'fail', b ? `Was ${b.status.replace('_', ' ')} at the last review; fails now.` : 'Not in the last review; fails now.'));
    }
  }
  // Controls report failures per resource but a clean result once for the organization, so a
  // fixed resource usually disappears rather than turning to pass: it counts as fixed when its
  // check was evaluated this time (some pass or fail) and reports no failure for it.
  const evaluated = new Set(current.findings.filter((f) => f.status === 'pass' || f.status === 'fail').map((f) => f.check));
  for (const [k, b] of was) {
    if (b.status !== 'fail') continue;
    const f = now.get(k);
    if (f?.status === 'pass') fixed.push(item(f, 'fail', 'pass', 'Failed at the last review; passes now.'));
    else if (!f && evaluated.has(b.check)) {
      fixed.push(item(b, 'fail', null, 'Failed at the last review; the check reports no failure for it now (fixed, or the resource was removed).'));
    } else if (!f) noLongerReported.push(item(b, 'fail', null, 'Failed at the last review; the check was not evaluated now (another level, or it could not run).'));
    else if (f.status !== 'fail') noLongerReported.push(item(f, 'fail', f.status, `Failed at the last review; ${f.status.replace('_', ' ')} now.`));
  }

  const baseInv = inventory(base);
  const newIntegrations: Drift['newIntegrations'] = [];
  const newScopes: Drift['newScopes'] = [];
  for (const [k, entry] of inventory(current)) {
    const old = baseInv.get(k);
    if (!old) newIntegrations.push(entry);
    else {
      const added = entry.scopes.filter((s) => !old.scopes.includes(s));
      if (added.length > 0) newScopes.push({ resource: entry.resource, scopes: added });
    }
  }
  const tokenAdded = current.token.scopes.filter((s) => !base.token.scopes.includes(s));
  if (tokenAdded.length > 0) {
    newScopes.push({ resource: { type: 'token', id: 'session', name: 'the token this session ran with' }, scopes: [...tokenAdded].sort() });
  }

  const end = new Date(current.finishedAt);
  const currentById = new Map(current.exceptions.map((e) => [e.id, e]));
  const expiredExceptions: Drift['expiredExceptions'] = base.exceptions
    .filter((e) => e.active)
    .filter((e) => {
      const later = currentById.get(e.id);
      return later ? !later.active : !isExceptionActive(e, end);
    })
    .map((e) => {
      const expiresAt = currentById.get(e.id)?.expiresAt ?? e.expiresAt;
      return { id: e.id, control: e.control, reason: e.reason, ...(expiresAt ? { expiresAt } : {}) };
    });

  return {
    baseline: {
      startedAt: base.session?.startedAt ?? base.startedAt,
      finishedAt: base.finishedAt,
      level: base.level,
      reportSha256: baseline.reportSha256,
      signer: baseline.signer,
    },
    newlyFailing,
    regressed,
    fixed,
    noLongerReported,
    newIntegrations,
    newScopes,
    expiredExceptions,
    notes,
  };
}

import type { Evidence, ResourceRef } from '../../shared/finding';
import type { Loaded } from '../sentry/org-data';
import type { Integration, SentryApp, SentryAppInstallation } from '../sentry/schemas';
import type { CheckDefinition, ControlContext, IntegrationRegisterEntry } from './types';
import type { LoadFailure, ReadName, Recorder } from './findings';

/** One thing that holds access to the organization on someone else's behalf. */
export interface InventoryItem {
  readonly kind: 'integration' | 'sentry_app' | 'installed_app';
  readonly resource: ResourceRef;
  /** Lower-case names a register entry may use for it (id, name, slug, provider key). */
  readonly names: readonly string[];
  /** Sentry scopes (apps) or third-party OAuth scopes (integrations); null when not visible. */
  readonly permissions: readonly string[] | null;
  readonly details: Record<string, unknown>;
  readonly evidence: readonly Evidence[];
}

export interface Inventory {
  readonly items: readonly InventoryItem[];
  readonly failures: readonly { readonly read: ReadName; readonly failure: LoadFailure }[];
  /** Reads that answered with items that did not validate (see `reportInvalidItems`). */
  readonly partial: readonly { readonly read: ReadName; readonly evidence: Evidence }[];
  /** Evidence of every read that succeeded. */
  readonly evidence: readonly Evidence[];
  readonly integrations: Loaded<Integration[]>;
  readonly sentryApps: Loaded<SentryApp[]>;
  readonly installations: Loaded<SentryAppInstallation[]>;
}

function lowerNames(...names: (string | null | undefined)[]): string[] {
  return [...new Set(names.filter((n): n is string => !!n).map((n) => n.trim().toLowerCase()))];
}

function integrationItem(i: Integration, evidence: Evidence): InventoryItem {
  return {
    kind: 'integration',
    resource: { type: 'integration', id: i.id, name: `${i.name} (${i.provider.name})` },
    names: lowerNames(i.id, i.name, i.provider.key, i.provider.slug, i.provider.name, i.domainName),
    permissions: i.scopes ?? null,
    details: {
      provider: i.provider.key,
      name: i.name,
      domain: i.domainName ?? null,
      status: i.status,
      accountType: i.accountType ?? null,
      oauthScopes: i.scopes ?? null,
    },
    evidence: [evidence],
  };
}

function sentryAppItem(a: SentryApp, evidence: Evidence): InventoryItem {
  return {
    kind: 'sentry_app',
    resource: { type: 'sentry_app', id: a.slug, name: a.name },
    names: lowerNames(a.slug, a.name, a.uuid),
    permissions: a.scopes,
    details: {
      status: a.status,
      internal: a.status === 'internal',
      scopes: a.scopes,
      events: a.events ?? [],
      webhookHost: hostOf(a.webhookUrl),
      // SentryAppSerializer sends no isDisabled: unknown unless an older server says so.
      disabled: a.isDisabled ?? null,
    },
    evidence: [evidence],
  };
}

function installedAppItem(inst: SentryAppInstallation, evidence: Evidence): InventoryItem {
  return {
    kind: 'installed_app',
    resource: { type: 'sentry_app', id: inst.app.slug, name: inst.app.slug },
    names: lowerNames(inst.app.slug, inst.app.uuid),
    permissions: null,
    details: { installation: inst.uuid, status: inst.status, ownedByThisOrganization: false },
    evidence: [evidence],
  };
}

/** Only the host: a webhook URL may carry a secret in its path or query. */
function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/**
 * Integrations, the organization's own Sentry apps (internal integrations included), and apps of
 * other publishers installed here. Installed apps owned by this organization are listed once.
 */
export async function loadInventory(ctx: ControlContext): Promise<Inventory> {
  const [integrations, sentryApps, installations] = await Promise.all([
    ctx.data.integrations(),
    ctx.data.sentryApps(),
    ctx.data.sentryAppInstallations(),
  ]);
  const items: InventoryItem[] = [];
  const failures: { read: ReadName; failure: LoadFailure }[] = [];
  const evidence: Evidence[] = [];
  const partial: { read: ReadName; evidence: Evidence }[] = [];
  for (const [read, l] of [['integrations', integrations], ['sentryApps', sentryApps], ['sentryAppInstallations', installations]] as const) {
    if (l.ok && (l.evidence.invalid?.length ?? 0) > 0) partial.push({ read, evidence: l.evidence });
  }

  if (integrations.ok) {
    evidence.push(integrations.evidence);
    for (const i of integrations.value) items.push(integrationItem(i, integrations.evidence));
  } else failures.push({ read: 'integrations', failure: integrations });

  const owned = new Set<string>();
  if (sentryApps.ok) {
    evidence.push(sentryApps.evidence);
    for (const a of sentryApps.value) {
      owned.add(a.slug);
      items.push(sentryAppItem(a, sentryApps.evidence));
    }
  } else failures.push({ read: 'sentryApps', failure: sentryApps });

  if (installations.ok) {
    evidence.push(installations.evidence);
    const seen = new Set<string>();
    for (const inst of installations.value) {
      if (owned.has(inst.app.slug) || seen.has(inst.app.slug)) continue;
      seen.add(inst.app.slug);
      items.push(installedAppItem(inst, installations.evidence));
    }
  } else failures.push({ read: 'sentryAppInstallations', failure: installations });

  return { items, failures, partial, evidence, integrations, sentryApps, installations };
}

/** Errors for the inventory's items that did not validate; returns how many there were. */
export function reportInvalidItems(r: Recorder, checks: readonly CheckDefinition[], inv: Inventory): number {
  let n = 0;
  for (const { read, evidence } of inv.partial) n += r.invalidItems(checks, evidence, read);
  return n;
}

/** Register entries naming this item (case-insensitive match on any of its names). */
export function registerEntriesFor(item: InventoryItem, register: readonly IntegrationRegisterEntry[]): IntegrationRegisterEntry[] {
  return register.filter((e) => item.names.includes(e.integration.trim().toLowerCase()));
}

import type { Finding, Registers } from '../../store/dto';

type IntegrationRegisterEntry = Registers['integrationRegister'][number];

/**
 * The integration permission register (INT.4, INT.5): for each integration and app the latest
 * audit inventoried (INT.1), the permissions it holds, why, who owns it and when it was last
 * reviewed. Pure helpers; the registers slice saves the entries.
 */

/** One integration or app of the INT.1 inventory. */
export interface InventoriedIntegration {
  /** What the register entry names it by: the integration id or the app slug (INT.4/INT.5 match it). */
  readonly key: string;
  readonly name: string;
  readonly type: string;
  /** The permissions the audit saw it hold; null when they are not visible (apps of other publishers). */
  readonly permissions: readonly string[] | null;
}

/** What the person types for one integration. */
export interface IntegrationEntryDraft {
  readonly integration: string;
  /** Comma-separated. */
  readonly permissions: string;
  readonly rationale: string;
  readonly owner: string;
  /** yyyy-mm-dd. */
  readonly lastReviewed: string;
}

export type IntegrationEntryErrors = Partial<Record<keyof IntegrationEntryDraft, string>>;

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
}

/** The inventory from the run's INT.1 rows (one per integration; the organization row left out). */
export function inventoriedIntegrations(rows: readonly Finding[]): InventoriedIntegration[] {
  const out = new Map<string, InventoriedIntegration>();
  for (const f of rows) {
    if (f.control !== 'INT.1' || f.resource.type === 'organization' || out.has(f.resource.id)) continue;
    // Sentry apps carry `scopes`, integrations their third-party `oauthScopes` (core/controls/inventory.ts).
    const permissions = stringList(f.details?.['scopes']) ?? stringList(f.details?.['oauthScopes']);
    out.set(f.resource.id, { key: f.resource.id, name: f.resource.name, type: f.resource.type, permissions });
  }
  return [...out.values()];
}

const sameKey = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The entry recorded for an integration, if any. */
export function entryFor(register: readonly IntegrationRegisterEntry[], key: string): IntegrationRegisterEntry | undefined {
  return register.find((e) => sameKey(e.integration, key));
}

/** The form's starting values: the recorded entry, else what the integration holds, reviewed today. */
export function draftFor(item: InventoriedIntegration, register: readonly IntegrationRegisterEntry[], today: string): IntegrationEntryDraft {
  const entry = entryFor(register, item.key);
  if (entry) {
    return { integration: item.key, permissions: entry.permissions.join(', '), rationale: entry.rationale, owner: entry.owner, lastReviewed: entry.lastReviewed };
  }
  return { integration: item.key, permissions: (item.permissions ?? []).join(', '), rationale: '', owner: '', lastReviewed: today };
}

export function parsePermissions(text: string): string[] {
  return [...new Set(text.split(',').map((p) => p.trim()).filter((p) => p !== ''))];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What is wrong with a draft, by field; empty when it can be saved. */
export function integrationEntryErrors(draft: IntegrationEntryDraft): IntegrationEntryErrors {
  const errors: IntegrationEntryErrors = {};
  if (draft.integration.trim() === '') errors.integration = 'Choose the integration.';
  if (draft.rationale.trim() === '') errors.rationale = 'Say why it needs these permissions.';
  else if (draft.rationale.length > 4000) errors.rationale = 'Keep the reason under 4000 characters.';
  if (draft.owner.trim() === '') errors.owner = 'Name the person or team who answers for it.';
  else if (draft.owner.length > 200) errors.owner = 'Keep the owner under 200 characters.';
  if (!DATE.test(draft.lastReviewed) || Number.isNaN(Date.parse(draft.lastReviewed))) errors.lastReviewed = 'Enter the date of the last review (yyyy-mm-dd).';
  const perms = parsePermissions(draft.permissions);
  if (perms.length > 100 || perms.some((p) => p.length > 100)) errors.permissions = 'At most 100 permissions of 100 characters each.';
  return errors;
}

export function toRegisterEntry(draft: IntegrationEntryDraft): IntegrationRegisterEntry {
  return {
    integration: draft.integration.trim(),
    permissions: parsePermissions(draft.permissions),
    rationale: draft.rationale.trim(),
    owner: draft.owner.trim(),
    lastReviewed: draft.lastReviewed,
  };
}

/** The register with this integration's entry replaced (the other entries kept as they are). */
export function withEntry(register: readonly IntegrationRegisterEntry[], entry: IntegrationRegisterEntry): IntegrationRegisterEntry[] {
  return [...register.filter((e) => !sameKey(e.integration, entry.integration)), entry];
}

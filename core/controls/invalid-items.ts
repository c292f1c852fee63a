import type { Evidence, InvalidItem, ResourceRef } from '../../shared/finding';
import { invalidItemLabel, invalidItemText } from '../sentry/items';
import type { ReadName } from './findings';
import type { CheckDefinition, ControlFinding as Finding } from './types';

/** How many invalid items a finding lists in its details. */
export const MAX_LISTED = 20;

/** Resource types of the items of each list read. */
const ITEM_TYPES: Partial<Record<ReadName, ResourceRef['type']>> = {
  members: 'member',
  teamMembers: 'member',
  teams: 'team',
  projects: 'project',
  projectKeys: 'key',
  integrations: 'integration',
  sentryApps: 'sentry_app',
  sentryAppInstallations: 'sentry_app',
  orgAuthTokens: 'token',
};

export interface InvalidItemsSpec {
  readonly control: string;
  readonly checks: readonly CheckDefinition[];
  readonly read: ReadName;
  readonly orgSlug: string;
  /** The list read whose `invalid` items are reported. */
  readonly evidence: Evidence;
  /** The item's resource; by default its type from the read, its id or position. */
  readonly resourceOf?: (item: InvalidItem) => ResourceRef;
  /** The resource of the collapsed finding (many invalid items); default the organization. */
  readonly whole?: ResourceRef;
}

/**
 * The `error` findings for the items of a list that did not validate: one per item and check,
 * naming the item, the field and the endpoint. Past MAX_LISTED items, one finding per check
 * lists the first of them (a server whose every item differs is one problem, not thousands).
 */
export function invalidItemFindings(spec: InvalidItemsSpec): Finding[] {
  const items = spec.evidence.invalid ?? [];
  if (items.length === 0) return [];
  const endpoint = `${spec.evidence.method} ${spec.evidence.endpoint}`;
  const out: Finding[] = [];
  const base = (check: CheckDefinition, resource: ResourceRef, message: string, details: Record<string, unknown>): Finding => ({
    control: spec.control,
    check: check.id,
    level: check.level,
    status: 'error',
    resource,
    message,
    evidence: [spec.evidence],
    errorCode: 'malformed_response',
    details,
  });
  if (items.length > MAX_LISTED) {
    const shown = items.slice(0, 3).map(invalidItemText).join('; ');
    for (const check of spec.checks) {
      out.push(
        base(
          check,
          spec.whole ?? { type: 'organization', id: spec.orgSlug, name: spec.orgSlug },
          `${check.title}: could not be evaluated for ${items.length} items of ${endpoint} that did not have the expected shape (${shown}; ...).`,
          { endpoint, invalidItems: items.slice(0, MAX_LISTED), invalidCount: items.length },
        ),
      );
    }
    return out;
  }
  const type = ITEM_TYPES[spec.read] ?? 'organization';
  const resourceOf =
    spec.resourceOf ??
    ((item: InvalidItem): ResourceRef => ({ type, id: item.id ?? `#${item.index}`, name: item.id ?? `item ${item.index} of ${endpoint}` }));
  for (const item of items) {
    for (const check of spec.checks) {
      out.push(
        base(
          check,
          resourceOf(item),
          `${check.title}: could not be evaluated for ${invalidItemLabel(item)} of ${endpoint}: its field "${item.field}" does not have the expected shape (${item.message}).`,
          { endpoint, field: item.field, index: item.index, ...(item.id === undefined ? {} : { id: item.id }), problem: item.message },
        ),
      );
    }
  }
  return out;
}

import { z } from 'zod';
import { EvidenceReportSchema } from './evidence';
import { AuditReportSchema } from './report';
import { RegistersSchema } from './settings';

/**
 * The JSON Schema (2020-12) of the audit fields every report.json carries, as published in
 * schemas/report.schema.json. Open at the top level: an evidence package's report.json adds the
 * session (before audit, changes, registers...), described in full by schemas/evidence.schema.json.
 */
/**
 * From layout 3 a package's report.json cites a finding's evidence group by its id alone (see
 * `evidenceSchemaVersion`): the published schemas describe the file, so a finding's
 * `evidenceGroups` item is a whole reference (layouts 1 and 2) or a SHA-256 id.
 */
function allowGroupIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowGroupIds);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = allowGroupIds(v);
  const groups = (out['properties'] as Record<string, { type?: string; items?: { properties?: Record<string, unknown> } }> | undefined)?.['evidenceGroups'];
  if (groups?.type === 'array' && groups.items?.properties?.['size'] !== undefined && groups.items.properties['reads'] === undefined) {
    groups.items = { anyOf: [groups.items, { type: 'string', pattern: '^[0-9a-f]{64}$' }] } as typeof groups.items;
  }
  return out;
}

export function reportJsonSchemaText(): string {
  const schema = allowGroupIds(z.toJSONSchema(AuditReportSchema.loose(), { target: 'draft-2020-12' })) as Record<string, unknown>;
  return `${JSON.stringify({ ...schema, $id: 'https://sentry-harden.dev/schemas/report.schema.json', title: 'sentry-harden audit report' }, null, 2)}\n`;
}

/** The JSON Schema (2020-12) of an evidence package's report.json, as published in schemas/evidence.schema.json. */
export function evidenceJsonSchemaText(): string {
  const schema = allowGroupIds(z.toJSONSchema(EvidenceReportSchema, { target: 'draft-2020-12' })) as Record<string, unknown>;
  return `${JSON.stringify({ ...schema, $id: 'https://sentry-harden.dev/schemas/evidence.schema.json', title: 'sentry-harden evidence package report' }, null, 2)}\n`;
}

/** The JSON Schema (2020-12) of a `--registers FILE`, as published in schemas/registers.schema.json. */
export function registersJsonSchemaText(): string {
  const schema = z.toJSONSchema(RegistersSchema, { target: 'draft-2020-12', io: 'input' });
  return `${JSON.stringify({ ...schema, $id: 'https://sentry-harden.dev/schemas/registers.schema.json', title: 'sentry-harden registers (exceptions, integration register, attestations)' }, null, 2)}\n`;
}

import { z } from 'zod';
import { EvidenceReportSchema } from './evidence';
import { AuditReportSchema } from './report';
import { RegistersSchema } from './settings';

/**
 * The JSON Schema (2020-12) of the audit fields every report.json carries, as published in
 * schemas/report.schema.json. Open at the top level: an evidence package's report.json adds the
 * session (before audit, changes, registers...), described in full by schemas/evidence.schema.json.
 */
export function reportJsonSchemaText(): string {
  const schema = z.toJSONSchema(AuditReportSchema.loose(), { target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, $id: 'https://sentry-harden.dev/schemas/report.schema.json', title: 'sentry-harden audit report' }, null, 2)}\n`;
}

/** The JSON Schema (2020-12) of an evidence package's report.json, as published in schemas/evidence.schema.json. */
export function evidenceJsonSchemaText(): string {
  const schema = z.toJSONSchema(EvidenceReportSchema, { target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, $id: 'https://sentry-harden.dev/schemas/evidence.schema.json', title: 'sentry-harden evidence package report' }, null, 2)}\n`;
}

/** The JSON Schema (2020-12) of a `--registers FILE`, as published in schemas/registers.schema.json. */
export function registersJsonSchemaText(): string {
  const schema = z.toJSONSchema(RegistersSchema, { target: 'draft-2020-12', io: 'input' });
  return `${JSON.stringify({ ...schema, $id: 'https://sentry-harden.dev/schemas/registers.schema.json', title: 'sentry-harden registers (exceptions, integration register, attestations)' }, null, 2)}\n`;
}

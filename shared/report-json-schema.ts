import { z } from 'zod';
import { AuditReportSchema } from './report';

/** The JSON Schema (2020-12) of report.json, as published in schemas/report.schema.json. */
export function reportJsonSchemaText(): string {
  const schema = z.toJSONSchema(AuditReportSchema, { target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, $id: 'https://sentry-harden.dev/schemas/report.schema.json', title: 'sentry-harden audit report' }, null, 2)}\n`;
}

// Writes schemas/report.schema.json from the zod schema the CLI validates its own output with.
// A test fails when the committed file differs, so the published schema cannot drift.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { reportJsonSchemaText } from '../shared/report-json-schema';

const out = path.resolve(import.meta.dirname, '..', 'schemas', 'report.schema.json');
writeFileSync(out, reportJsonSchemaText());
console.log(`wrote ${out}`);

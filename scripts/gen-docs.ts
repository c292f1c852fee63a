// Regenerates the documents derived from code: docs/controls.md, schemas/report.schema.json and
// schemas/evidence.schema.json, schemas/registers.schema.json.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderControlCatalog } from '../core/controls/catalog-doc';
import { CONTROLS } from '../core/controls/index';
import { FIXES } from '../core/fixes/index';
import { evidenceJsonSchemaText, registersJsonSchemaText, reportJsonSchemaText } from '../shared/report-json-schema';

const root = path.resolve(import.meta.dirname, '..');
writeFileSync(path.join(root, 'docs', 'controls.md'), renderControlCatalog(CONTROLS, FIXES));
writeFileSync(path.join(root, 'schemas', 'report.schema.json'), reportJsonSchemaText());
writeFileSync(path.join(root, 'schemas', 'evidence.schema.json'), evidenceJsonSchemaText());
writeFileSync(path.join(root, 'schemas', 'registers.schema.json'), registersJsonSchemaText());
console.log('wrote docs/controls.md and schemas/{report,evidence,registers}.schema.json');

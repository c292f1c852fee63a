// Regenerates the documents derived from code: docs/controls.md and schemas/report.schema.json.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderControlCatalog } from '../core/controls/catalog-doc';
import { CONTROLS } from '../core/controls/index';
import { reportJsonSchemaText } from '../shared/report-json-schema';

const root = path.resolve(import.meta.dirname, '..');
writeFileSync(path.join(root, 'docs', 'controls.md'), renderControlCatalog(CONTROLS));
writeFileSync(path.join(root, 'schemas', 'report.schema.json'), reportJsonSchemaText());
console.log('wrote docs/controls.md and schemas/report.schema.json');

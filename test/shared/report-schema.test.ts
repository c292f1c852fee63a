import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportJsonSchemaText } from '../../shared/report-json-schema';

describe('published report schema', () => {
  it('matches the zod schema the CLI validates with (run npm run gen:docs after a change)', () => {
    const committed = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'schemas', 'report.schema.json'), 'utf8');
    expect(committed).toBe(reportJsonSchemaText());
  });
});

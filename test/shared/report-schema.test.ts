import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evidenceJsonSchemaText, registersJsonSchemaText, reportJsonSchemaText } from '../../shared/report-json-schema';

describe('published report schema', () => {
  it('matches the zod schema the CLI validates with (run npm run gen:docs after a change)', () => {
    const committed = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'schemas', 'report.schema.json'), 'utf8');
    expect(committed).toBe(reportJsonSchemaText());
  });

  it('publishes the evidence report schema too (run npm run gen:docs after a change)', () => {
    const committed = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'schemas', 'evidence.schema.json'), 'utf8');
    expect(committed).toBe(evidenceJsonSchemaText());
  });

  it('publishes the registers schema of --registers FILE', () => {
    const committed = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'schemas', 'registers.schema.json'), 'utf8');
    expect(committed).toBe(registersJsonSchemaText());
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderControlCatalog } from '../../../core/controls/catalog-doc';
import { CONTROLS } from '../../../core/controls/index';

describe('docs/controls.md', () => {
  it('is the catalog as the code defines it (run npm run gen:docs after a change)', () => {
    const committed = readFileSync(path.resolve(import.meta.dirname, '..', '..', '..', 'docs', 'controls.md'), 'utf8');
    expect(committed).toBe(renderControlCatalog(CONTROLS));
  });

  it('lists every control and check', () => {
    const doc = renderControlCatalog(CONTROLS);
    for (const c of CONTROLS) {
      expect(doc).toContain(`## ${c.id} `);
      for (const check of c.checks) expect(doc).toContain(`\`${check.id}\``);
    }
  });
});

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderControlCatalog } from '../../../core/controls/catalog-doc';
import { CONTROLS } from '../../../core/controls/index';
import { FIXES } from '../../../core/fixes/index';

describe('docs/controls.md', () => {
  it('is the catalog as the code defines it (run npm run gen:docs after a change)', () => {
    const committed = readFileSync(path.resolve(import.meta.dirname, '..', '..', '..', 'docs', 'controls.md'), 'utf8');
    expect(committed).toBe(renderControlCatalog(CONTROLS, FIXES));
  });

  it('lists every control and check', () => {
    const doc = renderControlCatalog(CONTROLS);
    for (const c of CONTROLS) {
      expect(doc).toContain(`## ${c.id} `);
      for (const check of c.checks) expect(doc).toContain(`\`${check.id}\``);
    }
  });

  it('names each control\'s fixes and their files, which exist', () => {
    const doc = renderControlCatalog(CONTROLS, FIXES);
    for (const f of FIXES) {
      expect(existsSync(path.resolve(import.meta.dirname, '..', '..', '..', 'core', 'fixes', `${f.id}.ts`)), f.id).toBe(true);
      for (const control of f.controls) {
        const start = doc.indexOf(`\n## ${control} `);
        expect(start, control).toBeGreaterThan(-1);
        const next = doc.indexOf('\n## ', start + 1);
        const section = doc.slice(start, next === -1 ? undefined : next);
        expect(section, `${control} lists ${f.id}`).toContain(`- \`${f.id}\` (core/fixes/${f.id}.ts)`);
      }
    }
    expect(doc).toContain('## Control to fixes');
  });
});

import { describe, expect, it } from 'vitest';
import { CONTROLS } from '../../../core/controls/index';
import { catalogIdentity, catalogMetadata } from '../../../core/evidence/catalog-digest';
import { TOOL_VERSION } from '../../../core/engine/report';

describe('catalog digest', () => {
  it('is the tool version and a stable SHA-256 of the control metadata, which moves with a mapping or a check', () => {
    const id = catalogIdentity();
    expect(id.version).toBe(TOOL_VERSION);
    expect(id.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(catalogIdentity(CONTROLS)).toEqual(id);
    const first = CONTROLS[0];
    if (!first) throw new Error('no control');
    const remapped = [{ ...first, mappings: { ...first.mappings, soc2: [...first.mappings.soc2, 'CC9.9'] } }, ...CONTROLS.slice(1)];
    expect(catalogIdentity(remapped).digest).not.toBe(id.digest);
    const recheck = [{ ...first, checks: first.checks.map((c, i) => (i === 0 ? { ...c, level: 'L3' as const } : c)) }, ...CONTROLS.slice(1)];
    expect(catalogIdentity(recheck).digest).not.toBe(id.digest);
    // Prose is not part of it: a reworded rationale is the same catalog.
    expect(catalogIdentity([{ ...first, rationale: 'reworded' }, ...CONTROLS.slice(1)]).digest).toBe(id.digest);
    expect(JSON.stringify(catalogMetadata())).not.toContain(first.rationale);
  });
});

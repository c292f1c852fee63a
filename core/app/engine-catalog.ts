import type { HandlerResponseOf } from '../../shared/ipc/contract';
import { REPORT_SECTIONS as SECTIONS } from '../../shared/sections';
import type { ControlDefinition } from '../controls/types';
import type { FixDefinition } from '../fixes/types';

/** `catalog:get`: the controls, their sections in the guide's order, and the fixes each has. */
export function catalogDto(controls: readonly ControlDefinition[], fixes: readonly FixDefinition[]): HandlerResponseOf<'catalog:get'> {
  return {
    sections: SECTIONS.map((s) => ({ ...s })),
    controls: controls.map((c) => ({
      id: c.id,
      title: c.title,
      section: c.section,
      level: c.level,
      rationale: c.rationale,
      manualSteps: [...c.manualSteps],
      requiredScopes: c.requiredScopes.map((g) => [...g]),
      mappings: { cis: [...c.mappings.cis], nist: [...c.mappings.nist], soc2: [...c.mappings.soc2] },
      checks: c.checks.map((k) => ({ id: k.id, title: k.title, level: k.level, ...(k.fields ? { fields: [...k.fields] } : {}) })),
      fixes: fixes
        .filter((f) => f.controls.includes(c.id))
        .map((f) => ({ id: f.id, title: f.title, params: f.params.map((p) => ({ key: p.key, description: p.description })) })),
    })),
  };
}

import type { CatalogTexts } from '../../shared/evidence';
import { REPORT_SECTIONS } from '../../shared/sections';
import { CONTROLS } from '../controls/index';
import type { ControlDefinition } from '../controls/types';

/**
 * The catalog's words as a package records them (report.json `catalogTexts`): section and control
 * titles, rationale, manual steps and check titles. The renderers read these, never the live
 * catalog, so a package reads the same in every later version of the tool.
 */
export function catalogTexts(controls: readonly ControlDefinition[] = CONTROLS): CatalogTexts {
  return {
    sections: REPORT_SECTIONS.map((s) => ({ id: s.id, title: s.title })),
    controls: controls.map((c) => ({
      id: c.id,
      title: c.title,
      section: c.section,
      level: c.level,
      rationale: c.rationale,
      manualSteps: [...c.manualSteps],
      checks: c.checks.map((k) => ({ id: k.id, title: k.title, level: k.level })),
    })),
  };
}

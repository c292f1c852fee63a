import { SectionStep } from '../section/section.step';
import { sectionStepDef } from '../steps';

const STEP = sectionStepDef('data-security');

/** Data security: the live results, why they matter, the fixes and the manual items of section 3. */
export function DataSecurityStep() {
  return <SectionStep step={STEP} />;
}

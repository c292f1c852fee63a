import { SectionStep } from '../section/section.step';
import { sectionStepDef } from '../steps';

const STEP = sectionStepDef('access-controls');

/** Access controls: the live results, why they matter, the fixes and the manual items of section 2. */
export function AccessControlsStep() {
  return <SectionStep step={STEP} />;
}

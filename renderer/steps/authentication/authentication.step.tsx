import { SectionStep } from '../section/section.step';
import { sectionStepDef } from '../steps';

const STEP = sectionStepDef('authentication');

/** Authentication & SSO: the live results, why they matter, the fixes and the manual items of section 1. */
export function AuthenticationStep() {
  return <SectionStep step={STEP} />;
}

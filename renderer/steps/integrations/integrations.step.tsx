import { SectionStep } from '../section/section.step';
import { sectionStepDef } from '../steps';

const STEP = sectionStepDef('integrations');

/** Integrations review: the live results, why they matter, the fixes and the manual items of section INT. */
export function IntegrationsStep() {
  return <SectionStep step={STEP} />;
}

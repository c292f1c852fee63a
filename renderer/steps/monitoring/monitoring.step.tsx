import { SectionStep } from '../section/section.step';
import { sectionStepDef } from '../steps';

const STEP = sectionStepDef('monitoring');

/** Monitoring & audit logs: the live results, why they matter, the fixes and the manual items of section 4. */
export function MonitoringStep() {
  return <SectionStep step={STEP} />;
}

import { SectionStep } from '../section/section.step';
import { sectionStepDef } from '../steps';
import { IntegrationRegisterPanel } from './integration-register-panel';

const STEP = sectionStepDef('integrations');

/**
 * Integrations review: the live results, why they matter, the fixes and the manual items of
 * section INT, then the permission register INT.4 and INT.5 read.
 */
export function IntegrationsStep() {
  return (
    <>
      <SectionStep step={STEP} />
      <div className="step-body">
        <IntegrationRegisterPanel />
      </div>
    </>
  );
}

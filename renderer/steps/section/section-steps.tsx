import type { ComponentType } from 'react';
import type { SectionStep as SectionStepDef, SectionStepId } from '../../store/steps';
import { IntegrationRegisterPanel } from '../integrations/integration-register-panel';
import { SectionStep } from './section.step';

/**
 * What a section step shows below its results, fixes and manual items: the integrations review
 * adds the permission register INT.4 and INT.5 read. The other section steps add nothing.
 */
const EXTRA_PANELS: Partial<Record<SectionStepId, ComponentType>> = {
  integrations: IntegrationRegisterPanel,
};

/** A section step of the table in store/steps.ts: the live results, why they matter, the fixes, the manual items. */
export function SectionStepView(props: { readonly step: SectionStepDef }) {
  const Extra = EXTRA_PANELS[props.step.id];
  return (
    <>
      <SectionStep step={props.step} />
      {Extra ? (
        <div className="step-body">
          <Extra />
        </div>
      ) : null}
    </>
  );
}

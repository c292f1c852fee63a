import { useEffect, useRef } from 'react';
import { ConnectStep } from './steps/connect/connect.step';
import { LevelStep } from './steps/level/level.step';
import { SectionStepView } from './steps/section/section-steps';
import { SummaryStep } from './steps/summary/summary.step';
import { advanceBlocker, busy, canOpenStep, chosenOrgSlug } from './store/selectors';
import type { StepId } from './store/steps';
import { STEPS, STEP_IDS, sectionStepDef, stepIndex, stepTitle } from './store/steps';
import { assertNever } from './store/status';
import { useWizard, useWizardApi } from './store/use-wizard';

function StepView(props: { readonly step: StepId }) {
  switch (props.step) {
    case 'connect':
      return <ConnectStep />;
    case 'level':
      return <LevelStep />;
    case 'authentication':
    case 'access-controls':
    case 'data-security':
    case 'monitoring':
    case 'integrations':
      return <SectionStepView step={sectionStepDef(props.step)} />;
    case 'summary':
      return <SummaryStep />;
    default:
      return assertNever(props.step, 'step');
  }
}

/** The wizard's frame: header, the list of steps, the current step, Back and Continue. */
export function App(props: { readonly mode: 'electron' | 'web' }) {
  const state = useWizard((s) => s);
  const { nav, connect } = state;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  const api = useWizardApi();
  useEffect(() => {
    void api
      .getState()
      .connect.init()
      // A reload (or a restart) resumes the session the app was last working on.
      .then(() => api.getState().session.restoreLast());
    void api.getState().catalog.load();
  }, [api]);

  // A new step: move focus to its heading so keyboard and screen-reader users start there.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [nav.current]);

  const index = stepIndex(nav.current);
  const blocker = advanceBlocker(state, nav.current);
  const isLast = index === STEP_IDS.length - 1;
  const orgSlug = chosenOrgSlug(connect);

  return (
    <div className="app">
      <header className="app-header">
        <p className="brand">sentry-harden</p>
        <p className="connection">
          {connect.usingDemo ? (
            <span className="demo-tag" title="A simulated organization on this machine">
              Demo organization: simulated data
            </span>
          ) : null}
          {orgSlug ? <span className="org">{orgSlug}</span> : <span className="hint">Not connected</span>}
          {props.mode === 'web' ? <span className="mode">web mode</span> : null}
        </p>
        {state.session.restore.status === 'running' ? (
          <p className="busy" role="status">
            Restoring your session…
          </p>
        ) : busy(state) ? (
          <p className="busy" role="status">
            Working…
          </p>
        ) : null}
      </header>
      <div className="app-body">
        <nav className="steps-nav" aria-label="Wizard steps">
          <ol>
            {STEPS.map((s, i) => {
              const id = s.id;
              const current = id === nav.current;
              const completed = nav.completed.includes(id);
              return (
                <li key={id} className={current ? 'step-current' : completed ? 'step-completed' : undefined}>
                  <button
                    type="button"
                    aria-current={current ? 'step' : undefined}
                    disabled={!canOpenStep(state, id)}
                    onClick={() => nav.goTo(id)}
                  >
                    <span className="step-number" aria-hidden="true">
                      {completed && !current ? '✓' : i + 1}
                    </span>
                    <span>{s.title}</span>
                    {completed && !current ? <span className="visually-hidden"> (done)</span> : null}
                  </button>
                </li>
              );
            })}
          </ol>
        </nav>
        <main className="step" aria-labelledby="step-heading">
          {state.session.problem ? (
            <p className="notice" role="status">
              {state.session.problem}
            </p>
          ) : null}
          <p className="step-count">
            Step {index + 1} of {STEP_IDS.length}
          </p>
          <h1 id="step-heading" ref={headingRef} tabIndex={-1}>
            {stepTitle(nav.current)}
          </h1>
          <StepView step={nav.current} />
          <div className="step-actions">
            {index > 0 ? (
              <button type="button" className="button-secondary" onClick={() => nav.back()}>
                Back
              </button>
            ) : null}
            {!isLast ? (
              <>
                <button
                  type="button"
                  className="button-primary"
                  onClick={() => nav.next()}
                  disabled={blocker !== null}
                  aria-describedby={blocker ? 'advance-blocker' : undefined}
                >
                  Continue to {stepTitle(STEP_IDS[index + 1] ?? nav.current)}
                </button>
                {blocker ? (
                  <p id="advance-blocker" className="hint">
                    {blocker}
                  </p>
                ) : null}
              </>
            ) : null}
          </div>
        </main>
      </div>
    </div>
  );
}

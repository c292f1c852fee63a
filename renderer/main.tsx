import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { resolveBridge } from './bridge';
import { createWizardStore } from './store/create-store';
import { WizardStoreContext } from './store/use-wizard';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
const root = createRoot(container);

const resolved = resolveBridge(window);
if (!resolved.ok) {
  root.render(
    <main className="fatal" role="alert">
      <h1>sentry-harden cannot start</h1>
      <p>{resolved.message}</p>
    </main>,
  );
} else {
  const store = createWizardStore(resolved.bridge);
  root.render(
    <StrictMode>
      <WizardStoreContext.Provider value={store.api}>
        <App mode={resolved.mode} />
      </WizardStoreContext.Provider>
    </StrictMode>,
  );
}

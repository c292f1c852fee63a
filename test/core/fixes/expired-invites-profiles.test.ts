import { afterEach, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../simulator/index';
import { startProfileSim } from '../../helpers/profiles';
import { planDemo } from './helpers';

// Invites on Sentry's new invite model live at /invited-members/ (organization_member_invite/):
// their id is not a member id, so the fix must not DELETE /members/{id}/ for them.
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

it('leaves new-model invites to the UI with a refused note; old-model ones get a DELETE', async () => {
  sim = await startProfileSim('saas', { tweak: (s) => s.organizations[0]?.features.push('new-organization-member-invite') });
  const { plan } = await planDemo(sim, { only: ['2.3'] });
  expect(plan.changes.filter((c) => c.fix === 'expired-invites')).toEqual([]);
  expect(plan.notes.filter((n) => n.fix === 'expired-invites').map((n) => [n.kind, n.resource?.id])).toEqual([['refused', '3014']]);
  await sim.close();
  sim = await startProfileSim('saas');
  const old = await planDemo(sim, { only: ['2.3'] });
  expect(old.plan.changes.filter((c) => c.fix === 'expired-invites').map((c) => [c.request.method, c.request.path])).toEqual([['DELETE', '/api/0/organizations/acme-demo/members/3014/']]);
});

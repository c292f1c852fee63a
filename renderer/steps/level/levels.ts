import type { Level } from '../../../shared/levels';
import { LEVEL_NAMES } from '../../../shared/levels';

/**
 * The three profile levels (named once, in shared/levels.ts LEVEL_NAMES), with what each adds. Each includes the ones below it; the exact
 * checks a level adds are listed from the catalog next to these.
 */
export const LEVEL_CHOICES: readonly { readonly level: Level; readonly title: string; readonly adds: string }[] = [
  {
    level: 'L1',
    title: `L1: ${LEVEL_NAMES.L1}`,
    adds: 'What every organization should have: strong sign-in, few owners, team-based access, scrubbed event data, protected client keys, a readable audit log and an inventory of integrations.',
  },
  {
    level: 'L2',
    title: `L2: ${LEVEL_NAMES.L2}`,
    adds: 'Adds project-level separation, client key rotation, inbound filtering, and a documented, periodically reviewed, least-privilege set of integrations.',
  },
  {
    level: 'L3',
    title: `L3: ${LEVEL_NAMES.L3}`,
    adds: 'Adds scrubbing inside your own network with trusted Relays, for regulated or highly sensitive data.',
  },
];

import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../../core/engine/journal';
import { changeRecordsFromJournal } from '../../../core/evidence/changes';
import type { RunningSimulator } from '../../../simulator/index';
import { planDemo, runChanges, startDemoSim, tempDir } from '../fixes/helpers';

describe('changes from the journal', () => {
  let sim: RunningSimulator | undefined;
  const dirs: { cleanup: () => void }[] = [];
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    dirs.splice(0).forEach((d) => d.cleanup());
  });

  it('records applied changes with request, answer and re-check, and declined ones with no answer', async () => {
    sim = await startDemoSim();
    const { plan } = await planDemo(sim, { only: ['2.1'] });
    const changes = plan.changes.filter((c) => c.fix === 'org-settings');
    expect(changes.length).toBe(2);
    const journal = tempDir();
    dirs.push(journal);
    let n = 0;
    const { result } = await runChanges({ ...plan, changes }, { journalDir: journal.dir, confirm: async () => ++n === 1 });
    const records = changeRecordsFromJournal(readJournal(result.journalFile));
    expect(records.map((r) => [r.id, r.outcome])).toEqual([
      [changes[0]?.id, 'applied'],
      [changes[1]?.id, 'declined'],
    ]);
    const [applied, declined] = records;
    expect(applied).toMatchObject({ request: changes[0]?.request, recheck: changes[0]?.after, message: 'Applied and verified.' });
    expect(applied?.response?.status).toBe(200);
    expect(Date.parse(applied?.at ?? '')).not.toBeNaN();
    expect(declined).toMatchObject({ response: null, recheck: null, message: 'Not confirmed; nothing sent.' });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../../core/engine/journal';
import { planUndo } from '../../../core/engine/undo';
import { changeRecordsFromJournal, changeRecordsFromJournals } from '../../../core/evidence/changes';
import { renderReportHtml } from '../../../core/evidence/render/html/index';
import { buildSampleEvidenceReport } from '../../helpers/report-fixture';
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

  it('gives a session of several runs unique ids and ties each undo to the change it reversed', async () => {
    sim = await startDemoSim();
    const { plan } = await planDemo(sim, { only: ['2.1'] });
    const changes = plan.changes.filter((c) => c.fix === 'org-settings');
    expect(changes.length).toBe(2);
    const journal = tempDir();
    dirs.push(journal);
    const apply = await runChanges({ ...plan, changes }, { journalDir: journal.dir });
    const undo = planUndo(readJournal(apply.result.journalFile));
    // Undo only the first change: the second stays applied.
    const first = undo.changes.filter((c) => c.field === changes[0]!.field);
    expect(first).toHaveLength(1);
    const undone = await runChanges({ target: undo.target, writeHosts: undo.writeHosts, changes: first }, { journalDir: journal.dir, kind: 'undo' });
    const records = changeRecordsFromJournals([readJournal(apply.result.journalFile), readJournal(undone.result.journalFile)]);
    const ids = records.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(records.map((r) => [r.id, r.journalId, r.kind, r.outcome])).toEqual([
      [`r1.${changes[0]!.id}`, changes[0]!.id, 'apply', 'applied'],
      [`r1.${changes[1]!.id}`, changes[1]!.id, 'apply', 'applied'],
      [`r2.${first[0]!.id}`, first[0]!.id, 'undo', 'applied'],
    ]);
    expect(records[0]!.undoneBy).toBe(records[2]!.id);
    expect(records[2]!.undoes).toBe(records[0]!.id);
    expect(records[1]!.undoneBy).toBeUndefined();
    // One run alone keeps the journal's ids.
    expect(changeRecordsFromJournals([readJournal(apply.result.journalFile)]).map((r) => r.id)).toEqual(changes.map((c) => c.id));

    // The report shows the undone change as undone, and does not count it as applied.
    const html = renderReportHtml({ ...buildSampleEvidenceReport(), changes: records });
    const cover = html.slice(0, html.indexOf('</header>'));
    expect(cover).toContain('2 changes planned, 1 applied, 1 undone');
    const log = html.slice(html.indexOf('id="changes"'), html.indexOf('id="exceptions"'));
    expect(log).toContain('2 changes planned, 1 applied and in place, 1 undone.');
    expect(log).toMatch(new RegExp(`<code>r1\\.${changes[0]!.id}</code>[\\s\\S]*?>Undone</span>[\\s\\S]*?undone by <a href="#[^"]+"><code>r2\\.${first[0]!.id}</code>`));
    expect(log).toMatch(new RegExp(`<code>r2\\.${first[0]!.id}</code><br><span class="muted">undo</span>[\\s\\S]*?>Undo applied</span>[\\s\\S]*?undoes <a href="#[^"]+"><code>r1\\.${changes[0]!.id}</code>`));
  });
});

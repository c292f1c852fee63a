import { describe, expect, it } from 'vitest';
import { shareOptionSets } from '../../../core/app/engine-dto';
import type { HandlerResponseOf } from '../../../shared/ipc/contract';
import { withOptionSets } from '../../../renderer/steps/section/plan-options';

type Note = HandlerResponseOf<'fix:plan'>['notes'][number];

const teams = Array.from({ length: 200 }, (_, i) => ({ value: `team-${i}`, label: `Team ${i}`, detail: null }));

function note(key: string, options: Note['param'] extends infer P ? (P extends { options: infer O } ? O : never) : never): Note {
  return {
    fix: 'team-access',
    control: '2.1',
    check: '2.1.members-without-team',
    resource: { type: 'member', id: key, name: key },
    kind: 'needs_parameter',
    message: 'Choose a team.',
    param: { key: `addTeam.${key}`, kind: 'team', label: 'Team', description: 'Team', choices: options.map((o) => o.value), multiple: true, min: null, max: null, pattern: null, options, suggested: null, maxWindow: null },
    items: [],
  };
}

describe('option lists a plan shares', () => {
  it('sends 1,000 notes choosing from the same 200 teams with the list once, and the window gets every note back as it was', () => {
    const notes = Array.from({ length: 1000 }, (_, i) => note(`m${i}`, teams));
    const roles = note('owner', [{ value: 'member', label: 'Member', detail: null }]);
    const shared = shareOptionSets([...notes, roles]);
    expect(shared.optionSets).toHaveLength(1);
    expect(shared.notes[0]!.param).toMatchObject({ choices: [], options: [], optionSet: 0 });
    // A short list stays inline.
    expect(shared.notes[1000]!.param).toEqual(roles.param);
    const wire = JSON.stringify(shared).length;
    expect(wire).toBeLessThan(JSON.stringify(notes).length / 20);

    const plan = { planId: 'plan_1', runId: 'run_1', orgSlug: 'acme', level: 'L1' as const, createdAt: '2026-03-01T10:00:00.000Z', steps: [], ...shared };
    const back = withOptionSets(plan);
    // Equal but for the index itself.
    const plain = (n: Note) => ({ ...n, param: n.param && { ...n.param, optionSet: undefined } });
    expect(back.notes.map(plain)).toEqual([...notes, roles].map(plain));
  });

  it('keeps options inline when they are not exactly the choices, and an index past the lists leaves a free choice', () => {
    const odd = note('x', teams);
    const mismatched = { ...odd, param: { ...odd.param!, choices: odd.param!.choices.slice(1) } };
    expect(shareOptionSets([mismatched]).optionSets).toEqual([]);
    const broken = { ...odd, param: { ...odd.param!, choices: [], options: [], optionSet: 5 } };
    const plan = { planId: 'plan_1', runId: 'run_1', orgSlug: 'acme', level: 'L1' as const, createdAt: '2026-03-01T10:00:00.000Z', steps: [], notes: [broken], optionSets: [teams] };
    expect(withOptionSets(plan).notes[0]!.param).toMatchObject({ choices: [], options: [] });
  });
});

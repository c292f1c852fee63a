import type { FixPlan } from '../../store/dto';

/**
 * A plan as the form reads it: each choice with its own `choices` and `options`, the lists main
 * sent once (`optionSets`) put back in place. Notes share the same arrays, so the window holds
 * each list once as well.
 */
export function withOptionSets(plan: FixPlan): FixPlan {
  const sets = plan.optionSets ?? [];
  if (sets.length === 0) return plan;
  const choicesOf = sets.map((set) => set.map((o) => o.value));
  return {
    ...plan,
    notes: plan.notes.map((n) => {
      const id = n.param?.optionSet;
      if (!n.param || id === null || id === undefined) return n;
      const options = sets[id];
      const choices = choicesOf[id];
      // An index past the lists is main's mistake: the choice is offered as free input rather than lost.
      return options && choices ? { ...n, param: { ...n.param, choices, options } } : n;
    }),
  };
}

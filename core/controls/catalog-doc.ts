import type { ControlDefinition } from './types';

/**
 * The user-facing control catalog (docs/controls.md), rendered from the controls themselves so
 * the documentation cannot drift from what the audit does.
 */
export function renderControlCatalog(controls: readonly ControlDefinition[]): string {
  const out: string[] = [
    '# Control catalog',
    '',
    'Generated from `core/controls/` by `npm run gen:docs`; a test fails when this file is out of date.',
    'Levels: L1 baseline, L2 hardened, L3 maximum; an audit at a level runs every check at or below it.',
    'Mappings marked in the source as ours (where the guide names no SOC 2 criterion) are our reading.',
    '',
    '| id | control | level | CIS Controls | NIST 800-53 | SOC 2 |',
    '|---|---|---|---|---|---|',
    ...controls.map(
      (c) => `| ${c.id} | ${c.title} | ${c.level} | ${c.mappings.cis.join(', ')} | ${c.mappings.nist.join(', ')} | ${c.mappings.soc2.join(', ')} |`,
    ),
  ];
  for (const c of controls) {
    out.push('', `## ${c.id} ${c.title} (${c.level})`, '', c.rationale, '', 'Checks:', '');
    for (const check of c.checks) out.push(`- \`${check.id}\` (${check.level}): ${check.title}`);
    if (c.docNotes && c.docNotes.length > 0) out.push('', 'How it models Sentry:', '', ...c.docNotes.map((n) => `- ${n}`));
    out.push('', `Token scopes read with: ${c.requiredScopes.map((g) => g.join(' or ')).join('; ') || 'none'}.`, '', 'By hand in Sentry:', '');
    c.manualSteps.forEach((step, i) => out.push(`${i + 1}. ${step}`));
  }
  return `${out.join('\n')}\n`;
}

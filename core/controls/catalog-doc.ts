import type { ControlDefinition } from './types';
import { levelLabel, LevelSchema } from '../../shared/levels';

const LEVELS = LevelSchema.options;

/** What the catalog says of a fix (core/fixes FixDefinition; controls may not import fixes). */
export interface CatalogFix {
  readonly id: string;
  readonly title: string;
  readonly controls: readonly string[];
  readonly checks: readonly string[];
}

/**
 * The user-facing control catalog (docs/controls.md), rendered from the controls themselves so
 * the documentation cannot drift from what the audit does. With `fixes`, each control lists the
 * fixes that act on its checks and their source file (`core/fixes/<fix id>.ts`).
 */
export function renderControlCatalog(controls: readonly ControlDefinition[], fixes: readonly CatalogFix[] = []): string {
  const out: string[] = [
    '# Control catalog',
    '',
    'Generated from `core/controls/` by `npm run gen:docs`; a test fails when this file is out of date.',
    `Levels: ${LEVELS.map(levelLabel).join(', ')}; an audit at a level runs every check at or below it.`,
    'Mappings marked in the source as ours (where the guide names no SOC 2 criterion) are our reading.',
    '',
    '| id | control | level | CIS Controls | NIST 800-53 | SOC 2 |',
    '|---|---|---|---|---|---|',
    ...controls.map(
      (c) => `| ${c.id} | ${c.title} | ${c.level} | ${c.mappings.cis.join(', ')} | ${c.mappings.nist.join(', ')} | ${c.mappings.soc2.join(', ')} |`,
    ),
  ];
  const fixesOf = (id: string) => fixes.filter((f) => f.controls.includes(id));
  if (fixes.length > 0) {
    out.push(
      '',
      '## Control to fixes',
      '',
      'A fix changes Sentry only after its plan was shown and confirmed; its code is `core/fixes/<fix id>.ts`.',
      '',
      '| control | fixes |',
      '|---|---|',
      ...controls.map((c) => `| ${c.id} ${c.title} | ${fixesOf(c.id).map((f) => `\`${f.id}\``).join(', ') || 'none (manual or audit only)'} |`),
    );
  }
  for (const c of controls) {
    out.push('', `## ${c.id} ${c.title} (${c.level})`, '', c.rationale, '', 'Checks:', '');
    for (const check of c.checks) out.push(`- \`${check.id}\` (${check.level}): ${check.title}`);
    if (c.docNotes && c.docNotes.length > 0) out.push('', 'How it models Sentry:', '', ...c.docNotes.map((n) => `- ${n}`));
    out.push('', `Token scopes read with: ${c.requiredScopes.map((g) => g.join(' or ')).join('; ') || 'none'}.`, '', 'By hand in Sentry:', '');
    c.manualSteps.forEach((step, i) => out.push(`${i + 1}. ${step}`));
    const own = fixesOf(c.id);
    if (own.length > 0) {
      out.push('', 'Fixes:', '');
      for (const f of own) {
        const checks = f.checks.filter((k) => c.checks.some((check) => check.id === k));
        out.push(`- \`${f.id}\` (core/fixes/${f.id}.ts): ${f.title}${checks.length > 0 ? `; acts on ${checks.map((k) => `\`${k}\``).join(', ')}` : ''}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

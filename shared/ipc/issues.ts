import type { z } from 'zod';

/**
 * A short, human-readable summary of validation issues: field paths and zod's messages. zod's
 * messages name the expectation, never the received value, so a rejected token is not echoed.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], limit = 5): string {
  const parts = issues.slice(0, limit).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${where}: ${issue.message}`;
  });
  if (issues.length > limit) parts.push(`and ${issues.length - limit} more`);
  return parts.join('; ');
}

import type { Finding } from '../shared/finding';
import type { AuditReport } from '../shared/report';
import { joinLines } from './terminal';
import { levelLabel } from '../shared/levels';

const MAX_LISTED = 40;

/** The readable summary `audit` prints to stdout. Plain text, no colour codes, fits 100 columns. */
export function formatAuditSummary(report: AuditReport, reportPath: string | null): string {
  const lines: string[] = [];
  const t = report.target;
  lines.push(`Sentry hardening audit of "${t.org.name}" (${t.org.slug}) at ${t.url}, level ${levelLabel(report.level)}`);
  const who = report.token.user ? `${report.token.user.email ?? report.token.user.id}` : 'no user';
  lines.push(`Token: ${report.token.kind.replace(/_/g, ' ')} (${who}); scopes: ${report.token.scopes.join(' ') || 'none'}`);
  lines.push('');
  lines.push(`${pad('Control', 46)}${rpad('pass', 6)}${rpad('fail', 6)}${rpad('error', 7)}${rpad('manual', 8)}${rpad('n/a', 5)}`);
  for (const c of report.controls) {
    const n = c.counts;
    lines.push(`${pad(`${c.id.padEnd(6)}${c.title}`, 46)}${rpad(n.pass, 6)}${rpad(n.fail, 6)}${rpad(n.error, 7)}${rpad(n.manual, 8)}${rpad(n.not_applicable, 5)}`);
  }
  section(lines, 'Failed checks', report.findings.filter((f) => f.status === 'fail'), 'FAIL');
  section(lines, 'Could not be evaluated', report.findings.filter((f) => f.status === 'error'), 'ERROR');
  const manual = report.findings.filter((f) => f.status === 'manual');
  if (manual.length > 0) {
    lines.push('', `To check by hand: ${manual.length} item(s); the steps are in the report and the wizard.`);
  }
  const s = report.summary.counts;
  lines.push('');
  lines.push(
    `Totals: ${s.pass} pass, ${s.fail} fail, ${s.error} error, ${s.manual} manual, ${s.not_applicable} not applicable` +
      ` (${report.summary.requests} API requests, ${report.summary.rateLimited} rate-limited)`,
  );
  if (reportPath) lines.push(`Report: ${reportPath}`);
  return joinLines(lines);
}

function section(lines: string[], title: string, findings: readonly Finding[], tag: string): void {
  if (findings.length === 0) return;
  lines.push('', `${title} (${findings.length}):`);
  for (const f of findings.slice(0, MAX_LISTED)) {
    lines.push(`  ${tag.padEnd(5)} ${f.check}  ${f.resource.type} ${f.resource.name}: ${f.message}`);
  }
  if (findings.length > MAX_LISTED) lines.push(`  ... and ${findings.length - MAX_LISTED} more in the report`);
}

function pad(s: string, width: number): string {
  return s.length >= width ? `${s.slice(0, width - 2)}… ` : s.padEnd(width);
}
function rpad(v: string | number, width: number): string {
  return String(v).padStart(width - 1).padEnd(width);
}

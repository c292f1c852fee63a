export const USAGE = `sentry-harden: audit and harden a Sentry organization

Usage:
  sentry-harden audit --org SLUG [--url BASE] [--level L1|L2|L3] [--out DIR] [--token-stdin] [--ca-file PEM]
  sentry-harden plan --org SLUG [--url BASE] [--level L] [--only CONTROL,...] --out plan.json
                     [--set KEY=VALUE]... [--params params.json]
  sentry-harden apply plan.json [--yes] [--confirm-org SLUG] [--journal-dir DIR]
  sentry-harden undo JOURNAL [--yes] [--confirm-org SLUG] [--journal-dir DIR]
  sentry-harden --help | --version

Commands:
  audit    Run every check of the hardening guide at the chosen level against the live API,
           print a summary, and write DIR/report.json.
  plan     Run a fresh audit and write the changes that would fix failing checks to a plan file
           (nothing is changed). Choices (teams, rate limits, origins, IP ranges) are parameters:
           --set KEY=VALUE or --params FILE; docs/fixes.md lists them.
  apply    Apply a plan change by change: re-read, confirm, journal, send, verify. Asks y/N per
           change on a terminal; --yes applies low-risk changes without asking; high-risk ones
           also need --confirm-org SLUG. Unfinished journals are reconciled first.
  undo     Reverse the changes a journal shows as applied, through the same confirm path.

Options:
  --org SLUG        Organization slug (required).
  --url BASE        Sentry base URL (default https://sentry.io). Self-hosted: https://sentry.example.com[/prefix].
                    http:// is accepted for loopback addresses only.
  --level L         Profile level L1 (baseline, default), L2 (hardened) or L3 (maximum).
  --out DIR         Where to write report.json (default: no file).
  --token-stdin     Read the API token from standard input instead of SENTRY_AUTH_TOKEN.
  --ca-file PEM     Extra CA certificate to trust (self-hosted with a private CA). TLS is always verified.
  --timeout MS      Per-request timeout (default 30000).
  --only LIST       plan: only these controls (e.g. 2.1,3.2).
  --yes             apply/undo: no questions for low-risk changes (required without a terminal).
  --confirm-org S   apply/undo: allow high-risk changes; must equal the organization slug.
  --journal-dir D   apply/undo: where journals go (default: the app's data directory).

Token: SENTRY_AUTH_TOKEN (as Sentry's own CLI) or --token-stdin. It is never printed or written,
and never part of a plan or journal. With --token-stdin, apply and undo need --yes (standard input
cannot carry both the token and the answers).
Scopes for an audit: org:write (Sentry serves the audit log to org:write only), member:read,
team:read, project:read.

Exit status: 0 nothing failed or errored, 1 a check failed, 3 a check could not be evaluated
(takes precedence over 1: the audit is incomplete), 2 the command could not run.
apply/undo: 0 every change applied and verified, 1 a change failed, drifted, was not effective or
not confirmed, 3 an outcome is uncertain, 2 could not run (or stopped on a fatal error).
`;

export const USAGE = `sentry-harden: audit and harden a Sentry organization

Usage:
  sentry-harden audit --org SLUG [--url BASE] [--level L1|L2|L3] [--out DIR] [--token-stdin] [--ca-file PEM]
  sentry-harden --help | --version

Commands:
  audit    Run every check of the hardening guide at the chosen level against the live API,
           print a summary, and write DIR/report.json.

Options:
  --org SLUG        Organization slug (required).
  --url BASE        Sentry base URL (default https://sentry.io). Self-hosted: https://sentry.example.com[/prefix].
                    http:// is accepted for loopback addresses only.
  --level L         Profile level L1 (baseline, default), L2 (hardened) or L3 (maximum).
  --out DIR         Where to write report.json (default: no file).
  --token-stdin     Read the API token from standard input instead of SENTRY_AUTH_TOKEN.
  --ca-file PEM     Extra CA certificate to trust (self-hosted with a private CA). TLS is always verified.
  --timeout MS      Per-request timeout (default 30000).

Token: SENTRY_AUTH_TOKEN (as Sentry's own CLI) or --token-stdin. It is never printed or written.
Scopes for an audit: org:write (Sentry serves the audit log to org:write only), member:read,
team:read, project:read.

Exit status: 0 nothing failed or errored, 1 a check failed, 3 a check could not be evaluated
(takes precedence over 1: the audit is incomplete), 2 the command could not run.
`;

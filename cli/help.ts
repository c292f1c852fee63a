export const USAGE = `sentry-harden: audit and harden a Sentry organization

Usage:
  sentry-harden audit --org SLUG [--url BASE] [--level L1|L2|L3] [--out DIR|FILE.zip] [--token-stdin] [--ca-file PEM]
                      [--baseline PREVIOUS_PACKAGE] [--sign-key FILE] [--registers FILE] [--profile ID]
                      [--review-days N]
  sentry-harden plan --org SLUG [--url BASE] [--level L] [--only CONTROL,...] --out plan.json
                     [--set KEY=VALUE]... [--params params.json]
  sentry-harden apply plan.json [--yes] [--confirm-org SLUG] [--journal-dir DIR]
                      [--out DIR|FILE.zip [--sign-key FILE] [--registers FILE] [--profile ID] [--review-days N]]
  sentry-harden undo JOURNAL [--yes] [--confirm-org SLUG] [--journal-dir DIR]
  sentry-harden verify PACKAGE [--key PUBLIC_KEY] [--json]
  sentry-harden ui [--demo] [--port N] [--out DIR] [--no-open] [--data-dir DIR]
  sentry-harden portfolio [--json] [--html FILE] [--csv FILE]
  sentry-harden export oscal DIR --from PACKAGE [--key PUBLIC_KEY]
  sentry-harden export terraform DIR --org SLUG [--url BASE] [--demo]
  sentry-harden --help | --version

Commands:
  audit    Run every check of the hardening guide at the chosen level against the live API and
           print a summary. With --out, write a signed evidence package of the audit (report.json,
           report.html, findings.csv, review.ics, raw/ responses, manifest, signature).
  plan     Run a fresh audit and write the changes that would fix failing checks to a plan file
           (nothing is changed). Choices (teams, rate limits, origins, IP ranges) are parameters:
           --set KEY=VALUE or --params FILE; docs/fixes.md lists them.
  apply    Apply a plan change by change: re-read, confirm, journal, send, verify. Asks y/N per
           change on a terminal; --yes applies low-risk changes without asking; high-risk ones
           also need --confirm-org SLUG. Unfinished journals are reconciled first. With --out,
           audit before and after the changes and write the before/after evidence package.
  undo     Reverse the changes a journal shows as applied, through the same confirm path.
  ui       Serve the desktop app's wizard in your browser, on 127.0.0.1 only, behind a
           per-launch secret in the printed URL (for machines without Electron). The token stays
           in this process and the OS keychain. --demo: the built-in demo organization (a
           simulator, not a real Sentry). Reports go to --out DIR (default: the data directory).
  portfolio
           Every saved organization: host, last signed package (checked) with its level and
           counts, exceptions open and expiring within 30 days, next review (overdue flagged),
           drift. Exit 1 when a review is overdue.
  export   oscal: NIST OSCAL 1.0.4 assessment results from a verified evidence package, for GRC
           tools. terraform: configuration for the jianyuan/sentry provider describing the
           organization as read (keys and rate limits, projects, filters, teams, members), with
           import blocks; a README lists what the provider cannot express. Read-only.
  verify   Check an evidence package (folder or .zip) offline: the signature, every file's hash,
           and every verdict recomputed from raw/ with this tool's controls. Exit 0 valid,
           1 invalid (each problem names its file), 2 could not run.

Options:
  --org SLUG        Organization slug (required).
  --url BASE        Sentry base URL (default https://sentry.io). Self-hosted: https://sentry.example.com[/prefix].
                    http:// is accepted for loopback addresses only.
  --level L         Profile level L1 (baseline, default), L2 (hardened) or L3 (maximum).
  --out DIR         audit/apply: where to write the evidence package (a folder, or a .zip when the
                    name ends in .zip). An existing folder is replaced only if it holds package files.
  --token-stdin     Read the API token from standard input instead of SENTRY_AUTH_TOKEN.
  --ca-file PEM     Extra CA certificate to trust (self-hosted with a private CA). TLS is always verified.
  --timeout MS      Per-request timeout (default 30000).
  --only LIST       plan: only these controls (e.g. 2.1,3.2).
  --yes             apply/undo: no questions for low-risk changes (required without a terminal).
  --confirm-org S   apply/undo: allow high-risk changes; must equal the organization slug.
  --journal-dir D   apply/undo: where journals go (default: the app's data directory).
  --demo            ui: run against the built-in demo organization.
  --port N          ui: the port on 127.0.0.1 (default: any free port).
  --no-open         ui: do not open a browser; just print the URL.
  --data-dir D      ui: keep settings, journals and reports in D instead of the app's folders.
  --sign-key FILE   Sign with this Ed25519 private key (PKCS#8 PEM; passphrase in
                    SENTRY_HARDEN_SIGN_KEY_PASSPHRASE). Default: the key in the OS keychain, created
                    on first use.
  --registers FILE  Exceptions, integration register and attestations (JSON matching
                    schemas/registers.schema.json); added to those of --profile.
  --profile ID      A profile of the desktop app (SENTRY_HARDEN_CONFIG_DIR or its data folder): its
                    registers and thresholds are used, and its next review date is recorded.
  --review-days N   Next review N days after the session (default 90).
  --baseline PKG    audit: compare with a previous package (newly failing, fixed, regressed, new
                    integrations or scopes, expired exceptions).
  --key PUBLIC_KEY  verify: the signer's signing-key.pub.pem; without it the key inside the package
                    is used, which shows integrity but not who signed.

Token: SENTRY_AUTH_TOKEN (as Sentry's own CLI) or --token-stdin. It is never printed or written,
and never part of a plan or journal. With --token-stdin, apply and undo need --yes (standard input
cannot carry both the token and the answers).
Scopes for an audit: org:write (Sentry serves the audit log to org:write only), member:read,
team:read, project:read.

Exit status: 0 nothing failed or errored, 1 a check failed, 3 a check could not be evaluated
(takes precedence over 1: the audit is incomplete), 2 the command could not run.
apply/undo: 0 every change applied and verified, 1 a change failed, drifted, was not effective or
not confirmed, 3 an outcome is uncertain, 2 could not run (or stopped on a fatal error, or the
evidence package could not be written).
verify: 0 valid, 1 invalid, 2 could not run.
audit warns when a profile of the desktop app is past its next review date.
`;

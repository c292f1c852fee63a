#!/usr/bin/env node
// `npm start`: the product on a fresh machine. With no Sentry configured it uses the built-in
// demo organization. The desktop window and web mode are not built yet (issue 5), so today this
// runs the demo audit in the terminal and writes out/demo/report.json.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const cli = path.join(root, 'bin', 'sentry-harden.mjs');
const configured = process.env.SENTRY_AUTH_TOKEN && process.env.SENTRY_ORG;
const cliArgs = configured
  ? ['audit', '--org', process.env.SENTRY_ORG, '--url', process.env.SENTRY_URL ?? 'https://sentry.io', '--out', 'out/audit', ...args]
  : ['audit', '--demo', '--out', 'out/demo', ...args];
if (!configured) process.stderr.write('No Sentry configured (SENTRY_AUTH_TOKEN and SENTRY_ORG): using the built-in demo organization.\n');
const r = spawnSync(process.execPath, [cli, ...cliArgs], { cwd: root, stdio: 'inherit' });
// Findings are the point of the demo: exit 0 unless the audit itself could not run.
process.exit(r.status === 2 ? 2 : 0);

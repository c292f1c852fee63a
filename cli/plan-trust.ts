import type { KeyObject } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import type { PlanTarget } from '../shared/plan';
import { isEvidenceError } from '../core/primitives/errors';
import { isSecretsError } from '../core/secrets/errors';
import { importPrivateKeyPem, loadPrivateKeyFile, type SigningKey } from '../core/evidence/keys';
import { chooseSigningKey, keychainKeyStore, SIGNING_KEY_ENV, SIGNING_KEY_SERVICE, signingKeyFromEnv } from '../core/evidence/signing-key';
import { createKeychain } from '../core/secrets/keychain';
import { tryParseBaseUrl } from '../core/sentry/base-url';
import { CliUsageError } from './cli-error';
import type { CliIo } from './io';
import { openExistingStore } from './profile-store';
import { joinLines } from './terminal';
import { safeText } from '../core/terminal/safe-text';

/**
 * Which key signs plans and which key plans are trusted from: the evidence signing key, chosen
 * by the same function as for packages (`chooseSigningKey`: `--sign-key FILE`, else the PEM in
 * SENTRY_HARDEN_SIGNING_KEY, else the OS keychain's key). Keep this the only place the CLI makes
 * that choice for plans.
 */
export async function planSigningKey(io: CliIo, keyFile: string | undefined): Promise<SigningKey | null> {
  const passphrase = io.env.SENTRY_HARDEN_SIGN_KEY_PASSPHRASE;
  const keyPem = io.env[SIGNING_KEY_ENV];
  try {
    const choice = await chooseSigningKey({
      ...(keyFile !== undefined ? { keyFile } : {}),
      ...(keyPem ? { keyPem } : {}),
      ...(passphrase ? { passphrase } : {}),
      keychain: () => createKeychain({ service: io.env.SENTRY_HARDEN_KEYCHAIN_SERVICE ?? SIGNING_KEY_SERVICE }),
      allowUnsigned: true,
    });
    return choice.key;
  } catch (e) {
    // No usable keychain and no key given: the plan is written unsigned (plan warns; apply then
    // needs --allow-unsigned-plan). A key that was given and fails is an error.
    if (keyFile === undefined && !keyPem && (isEvidenceError(e) || isSecretsError(e))) return null;
    if (isEvidenceError(e) || isSecretsError(e)) throw new CliUsageError(e.message);
    throw e;
  }
}

/** The public key plans are checked against; null when none is at hand. Never creates a key. */
export async function trustedPlanKey(io: CliIo, keyFile: string | undefined): Promise<KeyObject | null> {
  const passphrase = io.env.SENTRY_HARDEN_SIGN_KEY_PASSPHRASE;
  try {
    if (keyFile !== undefined) return (await loadPrivateKeyFile(keyFile, passphrase ? { passphrase } : {})).publicKey;
    const keyPem = io.env[SIGNING_KEY_ENV];
    if (keyPem) return signingKeyFromEnv(keyPem, passphrase ? { passphrase } : {}).publicKey;
    const store = keychainKeyStore(createKeychain({ service: io.env.SENTRY_HARDEN_KEYCHAIN_SERVICE ?? SIGNING_KEY_SERVICE }));
    const pem = await store.get();
    return pem === null ? null : importPrivateKeyPem(pem, { source: 'The keychain signing key' }).publicKey;
  } catch (e) {
    if ((isEvidenceError(e) || isSecretsError(e)) && keyFile === undefined) return null;
    if (isEvidenceError(e)) throw new CliUsageError(e.message);
    throw e;
  }
}

/** Two base URLs name the same Sentry (scheme, host, port, path prefix). */
export function sameBaseUrl(a: string, b: string): boolean {
  const pa = tryParseBaseUrl(a);
  const pb = tryParseBaseUrl(b);
  return pa.ok && pb.ok && pa.value.url === pb.value.url;
}

/** The target as a person checks it before a token goes anywhere. */
export function formatTarget(target: PlanTarget, writeHosts: readonly string[], what: string): string {
  // Every value comes from the file: shown escaped, so a crafted name cannot redraw the terminal.
  return joinLines([
    `The ${what} targets organization "${safeText(target.org.name)}" (${safeText(target.org.slug)}, id ${safeText(target.org.id)}) at ${safeText(target.url)}`,
    `  writes go only to: ${writeHosts.map((h) => safeText(h)).join(', ')}`,
  ]);
}

/**
 * Binds a run to its target before the token is sent anywhere: `--url` equal to the target, or
 * a saved profile of the app for that host and organization, or (on a terminal) the person typing
 * the host's name after seeing it. Otherwise refused, saying how to confirm.
 */
export async function confirmTarget(
  io: CliIo,
  opts: { readonly url: string | undefined; readonly canAsk: boolean; readonly what: string },
  target: PlanTarget,
): Promise<void> {
  if (opts.url !== undefined) {
    if (!sameBaseUrl(opts.url, target.url)) throw new CliUsageError(`--url ${opts.url} does not match the ${opts.what}'s target ${target.url}: refusing to send the token`);
    return;
  }
  const store = openExistingStore(io.env);
  const profile = store?.listProfiles().find((p) => sameBaseUrl(p.baseUrl, target.url) && p.orgSlug === target.org.slug);
  if (profile) {
    io.stderr.write(`Target known: saved profile "${profile.label}" (${profile.id}).\n`);
    return;
  }
  const host = tryParseBaseUrl(target.url);
  const hostname = host.ok ? host.value.hostname : target.url;
  if (!opts.canAsk) {
    throw new CliUsageError(`confirm where your token goes: pass --url ${target.url} (the ${opts.what}'s target), or save a profile for that host in the app`);
  }
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: false });
  try {
    const answer = await rl.question(`Type the host name (${hostname}) to send your token there: `);
    if (answer.trim().toLowerCase() !== hostname.toLowerCase()) throw new CliUsageError(`not confirmed: the token was not sent to ${target.url}`);
  } finally {
    rl.close();
  }
}

import { sign, verify, type KeyObject } from 'node:crypto';
import type { Plan } from '../../shared/plan';
import { canonicalize } from '../primitives/canonical-json';
import { pae } from './dsse';
import { keyIds, type SigningKey } from './keys';

/**
 * Plans are signed with the evidence signing key: Ed25519 over DSSE's pre-authentication
 * encoding of the canonical JSON (RFC 8785) of every field but `signature`. A plan edited after it
 * was made, or made with another key, no longer verifies with this machine's key. The key is an
 * argument: where it comes from (key file, keychain) is the caller's choice, the same as for packages.
 */
export const PLAN_PAYLOAD_TYPE = 'application/vnd.sentry-harden.plan+json';

function signedBytes(plan: Plan): Buffer {
  const { signature: _signature, ...rest } = plan;
  return pae(PLAN_PAYLOAD_TYPE, Buffer.from(canonicalize(rest), 'utf8'));
}

export function signPlan(plan: Plan, key: Pick<SigningKey, 'privateKey' | 'keyid' | 'fingerprint'>): Plan {
  const sig = sign(null, signedBytes(plan), key.privateKey).toString('base64');
  return { ...plan, signature: { keyid: key.keyid, fingerprint: key.fingerprint, sig } };
}

export type PlanSignatureStatus =
  | { readonly kind: 'valid'; readonly fingerprint: string }
  | { readonly kind: 'unsigned' }
  /** Signed, but not by the trusted key (or by no key at hand to check with). */
  | { readonly kind: 'foreign'; readonly fingerprint: string; readonly trusted: string | null }
  /** Names the trusted key, but the signature does not verify: the plan was changed after signing. */
  | { readonly kind: 'invalid'; readonly fingerprint: string };

/** Checks a plan's signature against the key plans are trusted from (null: none available). */
export function checkPlanSignature(plan: Plan, trusted: KeyObject | null): PlanSignatureStatus {
  const s = plan.signature;
  if (s === undefined) return { kind: 'unsigned' };
  if (trusted === null) return { kind: 'foreign', fingerprint: s.fingerprint, trusted: null };
  const ids = keyIds(trusted);
  if (s.keyid !== ids.keyid) return { kind: 'foreign', fingerprint: s.fingerprint, trusted: ids.fingerprint };
  const sig = Buffer.from(s.sig, 'base64');
  if (sig.length !== 64 || !verify(null, signedBytes(plan), trusted, sig)) return { kind: 'invalid', fingerprint: ids.fingerprint };
  return { kind: 'valid', fingerprint: ids.fingerprint };
}

/** For people: what the status means. */
export function describePlanSignature(status: PlanSignatureStatus): string {
  switch (status.kind) {
    case 'valid':
      return `signed by this machine's key ${status.fingerprint}`;
    case 'unsigned':
      return 'not signed';
    case 'foreign':
      return status.trusted === null
        ? `signed by key ${status.fingerprint}, and no signing key is at hand to check it with (--sign-key FILE, or the OS keychain)`
        : `signed by another key (${status.fingerprint}), not by this machine's key ${status.trusted}`;
    case 'invalid':
      return `changed after it was signed (the signature of key ${status.fingerprint} does not verify)`;
  }
}

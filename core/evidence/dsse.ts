import { sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalize } from '../primitives/canonical-json';
import { EvidenceError } from '../primitives/errors';
import { keyIds } from './keys';

/** DSSE v1 (https://github.com/secure-systems-lab/dsse/blob/master/protocol.md) with Ed25519. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseSignature {
  readonly keyid: string;
  /** Base64 (standard alphabet, padded) of the raw 64-byte Ed25519 signature over PAE. */
  readonly sig: string;
}

export interface DsseEnvelope {
  /** Base64 (standard alphabet, padded) of the payload bytes. */
  readonly payload: string;
  readonly payloadType: string;
  readonly signatures: readonly DsseSignature[];
}

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not standard base64');

const EnvelopeSchema = z.object({
  payload: Base64,
  payloadType: z.string().min(1),
  signatures: z.array(z.object({ keyid: z.string(), sig: Base64 })).min(1),
});

/**
 * Pre-Authentication Encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, where LEN is
 * the byte length in ASCII decimal without leading zeros. This, not the payload, is what is signed.
 */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'ascii'),
    type,
    Buffer.from(` ${payload.length} `, 'ascii'),
    payload,
  ]);
}

/** Signs `payload` (bytes, or a string taken as UTF-8) into a one-signature envelope. */
export function signEnvelope(payload: Uint8Array | string, payloadType: string, privateKey: KeyObject): DsseEnvelope {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const sig = sign(null, pae(payloadType, bytes), privateKey);
  return {
    payload: Buffer.from(bytes).toString('base64'),
    payloadType,
    signatures: [{ keyid: keyIds(privateKey).keyid, sig: sig.toString('base64') }],
  };
}

export interface DsseVerification {
  /** True when some signature verifies with the key and carries that key's keyid. */
  readonly ok: boolean;
  /** keyid of the key verified against. */
  readonly keyid: string;
  readonly fingerprint: string;
  /** The decoded payload (returned even when `ok` is false, for diagnostics only). */
  readonly payload: Buffer;
  readonly payloadType: string;
  /** Why it failed, for a person; null when ok. */
  readonly reason: string | null;
}

/**
 * Verifies an envelope against one public key. A signature that verifies but names another keyid
 * fails too: every byte of the envelope must be as the signer wrote it.
 */
export function verifyEnvelope(envelope: DsseEnvelope, publicKey: KeyObject): DsseVerification {
  const ids = keyIds(publicKey);
  const payload = Buffer.from(envelope.payload, 'base64');
  const base = { keyid: ids.keyid, fingerprint: ids.fingerprint, payload, payloadType: envelope.payloadType };
  const encodingProblem = nonCanonicalBase64(envelope);
  if (encodingProblem !== null) return { ...base, ok: false, reason: encodingProblem };
  const message = pae(envelope.payloadType, payload);
  let verifiedOtherKeyid: string | null = null;
  for (const s of envelope.signatures) {
    const sig = Buffer.from(s.sig, 'base64');
    if (sig.length !== 64 || !verify(null, message, publicKey, sig)) continue;
    if (s.keyid === ids.keyid) return { ...base, ok: true, reason: null };
    verifiedOtherKeyid = s.keyid;
  }
  if (verifiedOtherKeyid !== null) {
    return { ...base, ok: false, reason: `the signature verifies but its keyid was changed to "${verifiedOtherKeyid}" (expected ${ids.keyid})` };
  }
  const named = envelope.signatures.map((s) => s.keyid);
  const reason = named.includes(ids.keyid)
    ? `no signature verifies with key ${ids.fingerprint}: the payload or the signature was changed`
    : `no signature verifies with key ${ids.fingerprint}; the envelope names key(s) ${named.join(', ')}`;
  return { ...base, ok: false, reason };
}

/** Parses envelope JSON; throws EvidenceError('invalid_input') on anything malformed. */
export function parseEnvelope(text: string): DsseEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new EvidenceError('invalid_input', `The DSSE envelope is not valid JSON: ${(e as Error).message}`, e);
  }
  const parsed = EnvelopeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` (${issue.path.join('.') || 'root'}: ${issue.message})`;
    throw new EvidenceError('invalid_input', `The DSSE envelope does not have the DSSE v1 shape${where}.`);
  }
  return parsed.data;
}

/**
 * The envelope as stored: RFC 8785 canonical JSON and a newline. Verification requires exactly
 * these bytes, so whitespace or key order edits to the file are detected like any other change.
 */
export function serializeEnvelope(envelope: DsseEnvelope): string {
  return `${canonicalize({ payload: envelope.payload, payloadType: envelope.payloadType, signatures: envelope.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })) })}\n`;
}

// Node's base64 decoder ignores non-zero padding bits, so "QR==" and "QQ==" decode alike; a byte
// changed there would go unnoticed unless the encoding itself must be canonical.
function nonCanonicalBase64(envelope: DsseEnvelope): string | null {
  if (Buffer.from(envelope.payload, 'base64').toString('base64') !== envelope.payload) return 'the payload is not canonical base64';
  for (const s of envelope.signatures) {
    if (Buffer.from(s.sig, 'base64').toString('base64') !== s.sig) return 'a signature is not canonical base64';
  }
  return null;
}

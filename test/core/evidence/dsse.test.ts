import { createHash, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IN_TOTO_PAYLOAD_TYPE, pae, parseEnvelope, serializeEnvelope, signEnvelope, verifyEnvelope } from '../../../core/evidence/dsse';
import type { DsseEnvelope } from '../../../core/evidence/dsse';
import { generateSigningKey } from '../../../core/evidence/keys';

describe('DSSE PAE', () => {
  it('matches the example of the DSSE protocol', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString('utf8')).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('counts bytes, not characters, and handles an empty body', () => {
    expect(pae(IN_TOTO_PAYLOAD_TYPE, Buffer.from('é', 'utf8')).equals(Buffer.from('DSSEv1 28 application/vnd.in-toto+json 2 é', 'utf8'))).toBe(true);
    expect(pae('t', new Uint8Array()).toString()).toBe('DSSEv1 1 t 0 ');
    expect(pae('ü', Buffer.from([0, 255])).equals(Buffer.concat([Buffer.from('DSSEv1 2 ü 2 ', 'utf8'), Buffer.from([0, 255])]))).toBe(true);
  });
});

describe('DSSE envelopes', () => {
  const key = generateSigningKey();
  const other = generateSigningKey();
  const payload = '{"_type":"https://in-toto.io/Statement/v1"}';

  it('signs PAE(type, payload) with Ed25519 and verifies', () => {
    const env = signEnvelope(payload, IN_TOTO_PAYLOAD_TYPE, key.privateKey);
    expect(Object.keys(env).sort()).toEqual(['payload', 'payloadType', 'signatures']);
    expect(env.payloadType).toBe(IN_TOTO_PAYLOAD_TYPE);
    expect(Buffer.from(env.payload, 'base64').toString()).toBe(payload);
    expect(env.signatures).toHaveLength(1);
    const [sig] = env.signatures;
    expect(sig?.keyid).toBe(key.keyid);
    const raw = Buffer.from(sig?.sig ?? '', 'base64');
    expect(raw).toHaveLength(64);
    // Independent check: the signature is over PAE, not over the bare payload.
    expect(verify(null, pae(IN_TOTO_PAYLOAD_TYPE, Buffer.from(payload)), key.publicKey, raw)).toBe(true);
    expect(verify(null, Buffer.from(payload), key.publicKey, raw)).toBe(false);
    const result = verifyEnvelope(env, key.publicKey);
    expect(result).toMatchObject({ ok: true, keyid: key.keyid, fingerprint: key.fingerprint, reason: null, payloadType: IN_TOTO_PAYLOAD_TYPE });
    expect(result.payload.toString()).toBe(payload);
  });

  it('round-trips through its stored form, which is canonical JSON', () => {
    const env = signEnvelope(Buffer.from(payload), IN_TOTO_PAYLOAD_TYPE, key.privateKey);
    const text = serializeEnvelope(env);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{"payload":"')).toBe(true);
    const parsed = parseEnvelope(text);
    expect(parsed).toEqual(env);
    expect(verifyEnvelope(parsed, key.publicKey).ok).toBe(true);
  });

  it('fails for another key, naming both', () => {
    const env = signEnvelope(payload, IN_TOTO_PAYLOAD_TYPE, key.privateKey);
    const result = verifyEnvelope(env, other.publicKey);
    expect(result.ok).toBe(false);
    expect(result.reason).toContain(other.fingerprint);
    expect(result.reason).toContain(key.keyid);
  });

  it('fails when the payload, the type, the signature or the keyid changes', () => {
    const env = signEnvelope(payload, IN_TOTO_PAYLOAD_TYPE, key.privateKey);
    const sig = env.signatures[0] ?? { keyid: '', sig: '' };
    const changedPayload = Buffer.from(payload.replace('Statement', 'statement')).toString('base64');
    const flippedSig = Buffer.from(sig.sig, 'base64');
    flippedSig[10] = (flippedSig[10] ?? 0) ^ 1;
    const cases: DsseEnvelope[] = [
      { ...env, payload: changedPayload },
      { ...env, payloadType: 'application/json' },
      { ...env, signatures: [{ keyid: sig.keyid, sig: flippedSig.toString('base64') }] },
      { ...env, signatures: [{ keyid: 'someone-else', sig: sig.sig }] },
      { ...env, signatures: [] },
    ];
    for (const c of cases) expect(verifyEnvelope(c, key.publicKey).ok).toBe(false);
    expect(verifyEnvelope(cases[3] as DsseEnvelope, key.publicKey).reason).toMatch(/keyid was changed/);
  });

  it('refuses base64 that decodes the same but is not canonical', () => {
    // 'A' is "QQ=="; "QR==" decodes to 'A' too in Node, with non-zero padding bits.
    const env = signEnvelope('A', 't', key.privateKey);
    expect(env.payload).toBe('QQ==');
    expect(Buffer.from('QR==', 'base64').toString()).toBe('A');
    const result = verifyEnvelope({ ...env, payload: 'QR==' }, key.publicKey);
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/canonical base64/);
  });

  it('keyid is the hex SHA-256 of the SPKI DER of the public key', () => {
    const der = key.publicKey.export({ type: 'spki', format: 'der' });
    expect(key.keyid).toBe(createHash('sha256').update(der).digest('hex'));
  });

  it('rejects malformed envelopes with a reason', () => {
    expect(() => parseEnvelope('not json')).toThrow(/not valid JSON/);
    expect(() => parseEnvelope('{"payload":"QQ==","payloadType":"t"}')).toThrow(/signatures/);
    expect(() => parseEnvelope('{"payload":"@@","payloadType":"t","signatures":[{"keyid":"","sig":""}]}')).toThrow(/payload/);
    expect(() => parseEnvelope('{"payload":"QQ==","payloadType":"t","signatures":[]}')).toThrow(/signatures/);
  });
});

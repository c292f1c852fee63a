import { describe, expect, it } from 'vitest';
import { redactJsonValue, redactResponseBody, REDACTED } from '../../../core/primitives/redact';

// Bodies with no escape and no known secret take the quick judgement (one lookup a name, one
// test a string; redact-json.ts `plainWouldRedact`). It must find everything the full walk finds:
// each body here is checked against redactJsonValue, which always walks every value.

const BODIES: Record<string, unknown> = {
  dsnSecret: [{ id: 'k1', public: 'abc', secret: 'f3e67e90ee64f953b9d43754dc868b7b', dsn: { secret: 'https://abc:f3e67e90ee64f953@o1.ingest.example/1', public: 'https://abc@o1.ingest.example/1' } }],
  securityToken: { id: '1', slug: 'p', securityToken: 'daf975a2e4d9de2fb78ec70a56452cd6', securityTokenHeader: null, tokenLastCharacters: 'cd6' },
  siblingNamesSecret: { headers: [{ name: 'X-Hub-Signature', value: 'sha1=abcdef0123456789' }, { name: 'Accept', value: 'json' }] },
  siblingValueFirst: { value: 'hunter2-but-long', key: 'Authorization' },
  arrayUnderSecretKey: { tokens: ['one-secret-value', 'another-secret-value'], name: 'n' },
  secretKeyHoldingObject: { credentials: { user: 'u', note: 'plain text' } },
  opaqueKey: { tags: [{ key: 'environment', value: 'prod' }], key: 'A1b2C3d4E5f6G7h8I9j0' },
  grantCode: { code: 'abcdefghijklmnopqrstuvwxyz012345', error: { code: 'sso-required' } },
  nameIsPattern: { 'sntryu_abcdef123456': 'x', ok: 1 },
  urlQuerySecret: { avatarUrl: 'https://gravatar.invalid/a/1?s=32&d=mm', hook: 'https://ci.example/build?api_key=abcdef123456&x=1' },
  bearerInText: { detail: 'sent Authorization: Bearer abcdefghijklmnop to the upstream' },
  pemBlock: { cert: '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----' },
  webhook: { url: 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX' },
  userinfoUrl: { upstream: 'postgres://admin:s3cr3tpassw0rd@db.internal:5432/x' },
  masked: { password: '**********', secret: '', apiKey: null, private: true },
  nothing: { id: '4500000000', slug: 'project-0', features: ['releases'], count: 12345678901234567890, nested: [{ a: 'b' }] },
};

describe('redaction of bodies with no escape and no known secret', () => {
  for (const [name, value] of Object.entries(BODIES)) {
    it(`${name}: the same values as the full walk`, () => {
      const text = JSON.stringify(value);
      const r = redactResponseBody(Buffer.from(text), { secrets: ['sntryu_not-in-this-body-0123456789'] });
      expect(r.mode).toBe('json');
      expect(JSON.parse(r.text)).toEqual(redactJsonValue(value));
      expect(r.redactions > 0).toBe(r.text !== text);
      // What redaction parsed is the body as received, for the client to reuse.
      expect(r.parsed).toEqual(JSON.parse(text));
    });
  }

  it('redacts the values that are secrets, keeps identifiers, and leaves a clean body byte for byte', () => {
    const keys = redactResponseBody(JSON.stringify(BODIES.dsnSecret));
    expect(keys.redactedPaths).toEqual(['/0/secret', '/0/dsn/secret']);
    expect(keys.text).toContain(`"dsn":{"secret":"https://abc:${REDACTED}@o1.ingest.example/1"`);
    expect(keys.text).toContain('"public":"abc"');
    const sibling = redactResponseBody(JSON.stringify(BODIES.siblingValueFirst));
    expect(sibling.redactedPaths).toEqual(['/value']);
    const clean = '{"id":"4500000000","count":12345678901234567890,"n":[1.50,2e3]}';
    const r = redactResponseBody(Buffer.from(clean));
    expect(r.text).toBe(clean);
    expect(r.redactions).toBe(0);
  });

  it('the quick judgement and the escaped-body walk agree on the same content', () => {
    for (const value of Object.values(BODIES)) {
      const plain = redactResponseBody(JSON.stringify(value));
      // An escape anywhere sends the body down the decoding walk; the values must not differ.
      const escaped = redactResponseBody(JSON.stringify({ e: 'caf\u00e9', v: value }).replace('é', '\\u00e9'));
      expect((JSON.parse(escaped.text) as { v: unknown }).v).toEqual(JSON.parse(plain.text));
    }
  });
});

describe('a key given twice', () => {
  it('never stores the first copy: a secret in it is gone, and the body is stored as it was read (last value of each key)', () => {
    const text = '{"id":"1","dsn":{"secret":"https://abc0123456789abcdef0123456789abcd:0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1","secret":"https://abc0123456789abcdef0123456789abcd@o1.ingest.sentry.io/1"},"name":"web"}';
    const r = redactResponseBody(Buffer.from(text));
    expect(r.text).not.toContain('0123456789abcdef0123456789abcdef@');
    expect(JSON.parse(r.text)).toEqual(redactJsonValue(JSON.parse(text)));
    expect(r.note).toMatch(/key twice/);
    const token = 'sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';
    const hidden = redactResponseBody(`{"name":"${token}","name":"fine"}`);
    expect(hidden.text).not.toContain(token);
    expect(hidden.text).toBe('{"name":"fine"}');
  });
});

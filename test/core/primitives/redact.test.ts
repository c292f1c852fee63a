import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSecretKeyName, REDACTED, redactJsonValue, redactResponseBody, redactText } from '../../../core/primitives/redact';
import { sha256Hex } from '../../../core/primitives/hash';

const PUB = '60120449b6b1d5e45f75561e6dabd80b';
const SEC = '189485c3b8ccf582bf5e12c530ef8858';
const USER_TOKEN = 'sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';
const ORG_TOKEN = 'sntrys_eyJpYXQiOjE2ODQ4NjIyMjYuNDk4OTA1LCJ1cmwiOiJodHRwczovL3NlbnRyeS5pbyJ9_Zm9vYmFyYmF6cXV4';
const HEX_TOKEN = 'f'.repeat(20) + '0123456789abcdef'.repeat(2) + 'e'.repeat(12);
const CLIENT_SECRET = 'b4c5e1f2a3d4c5b6a7980f1e2d3c4b5a6978f0e1d2c3b4a5968778695a4b3c2d';
const SECURITY_TOKEN = 'd'.repeat(32) + 'c'.repeat(32);

// A project key as Sentry returns it (REFERENCE.md, "Key object").
const projectKeys = `[{"id":"${PUB}","name":"Liked Pegasus","label":"Liked Pegasus",
 "public":"${PUB}","secret":"${SEC}",
 "projectId":4505281256090153,"isActive":true,"rateLimit":{"window":7200,"count":1000},
 "dsn":{"secret":"https://${PUB}:${SEC}@o450.ingest.sentry.io/4505","public":"https://${PUB}@o450.ingest.sentry.io/4505",
        "csp":"https://o450.ingest.sentry.io/api/4505/security/?sentry_key=${PUB}","cdn":"https://js.sentry-cdn.com/${PUB}.min.js"},
 "browserSdkVersion":"7.x","dateCreated":"2023-06-21T19:50:26.036254Z"}]`;

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

describe('redactResponseBody on JSON', () => {
  it('removes a client key secret and the DSN secret, keeps the public key and id', () => {
    const r = redactResponseBody(projectKeys);
    expect(r.mode).toBe('json');
    expect(r.text).not.toContain(SEC);
    const [key] = JSON.parse(r.text) as Record<string, unknown>[];
    expect(key).toMatchObject({
      id: PUB,
      public: PUB,
      secret: REDACTED,
      projectId: 4505281256090153,
      dsn: {
        secret: `https://${PUB}:${REDACTED}@o450.ingest.sentry.io/4505`,
        public: `https://${PUB}@o450.ingest.sentry.io/4505`,
        csp: `https://o450.ingest.sentry.io/api/4505/security/?sentry_key=${PUB}`,
      },
    });
    expect(r.redactedPaths).toEqual(['/0/secret', '/0/dsn/secret']);
    expect(r.redactions).toBe(2);
    // Only the two string literals changed: layout and everything else are byte for byte the same.
    expect(r.text.replaceAll(REDACTED, SEC)).toBe(projectKeys);
  });

  it('hashes the stored (redacted) bytes', () => {
    const r = redactResponseBody(Buffer.from(projectKeys));
    expect(r.bytes.toString('utf8')).toBe(r.text);
    expect(r.sha256).toBe(sha256(r.bytes));
    expect(r.sha256).not.toBe(sha256(Buffer.from(projectKeys)));
    expect(Object.keys(r)).not.toContain('originalSha256');
  });

  it('stores a body with nothing to redact byte for byte, big integers included', () => {
    const body = Buffer.from('{ "id": 123456789012345678901234567890, "slug":"acme",\n  "scopes":["org:read"], "x": 1.50 }\n');
    const r = redactResponseBody(body);
    expect(r.redactions).toBe(0);
    expect(r.bytes.equals(body)).toBe(true);
    expect(r.sha256).toBe(sha256(body));
  });

  it('keeps big integers exact when other fields are redacted', () => {
    const r = redactResponseBody('{"projectId":45052812560901531234567,"secret":"abc"}');
    expect(r.text).toBe(`{"projectId":45052812560901531234567,"secret":"${REDACTED}"}`);
  });

  it('removes tokens, client secrets and Authorization values wherever they are', () => {
    const body = JSON.stringify({
      app: {
        slug: 'ci',
        clientId: 'client-id-1',
        clientSecret: CLIENT_SECRET,
        webhookHeaders: [{ name: 'Authorization', value: `Bearer ${HEX_TOKEN}` }],
        scopes: ['project:read'],
      },
      createdToken: { id: '12', name: 'CI', token: ORG_TOKEN, tokenLastCharacters: 'AbCd', scopes: ['org:ci'] },
      internal: { token: HEX_TOKEN, refreshToken: HEX_TOKEN.toUpperCase() },
      project: { securityToken: SECURITY_TOKEN, securityTokenHeader: 'X-Sentry-Token', options: { 'sentry:token': SECURITY_TOKEN } },
      request: { headers: { Authorization: `Bearer ${USER_TOKEN}`, 'X-Sentry-Auth': `Sentry sentry_key=${PUB}, sentry_secret=${SEC}` } },
      log: [`curl -H "Authorization: Bearer ${USER_TOKEN}" https://sentry.io/api/0/`, `token ${ORG_TOKEN} leaked`],
      config: { password: 'hunter2', api_key: 'k-123', private_key: '-----BEGIN PRIVATE KEY-----\nMC4=\n-----END PRIVATE KEY-----' },
      url: `https://sentry.io/cb?code=1&access_token=${HEX_TOKEN}&state=x`,
      masked: { clientSecret: '**********', token: '', password: null },
      member: { id: '7', email: 'a@example.com', invite_link: 'https://sentry.io/accept/7/0a1b2c3d4e5f60718293a4b5c6d7e8f9/' },
      installation: { uuid: 'u-1', status: 'installed', code: 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6' },
      error: { detail: { code: 'sso-required', message: 'SSO required' } },
    });
    const r = redactResponseBody(body);
    for (const secret of ['0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6', USER_TOKEN, ORG_TOKEN, HEX_TOKEN, HEX_TOKEN.toUpperCase(), CLIENT_SECRET, SECURITY_TOKEN, SEC, 'hunter2', 'k-123', 'MC4=']) {
      expect(r.text, secret).not.toContain(secret);
    }
    expect(r.text).not.toMatch(/sntry[us]_/);
    const out = JSON.parse(r.text) as Record<string, Record<string, unknown>>;
    // Identifiers and structure stay.
    expect(out.app).toMatchObject({ slug: 'ci', clientId: 'client-id-1', clientSecret: REDACTED, scopes: ['project:read'] });
    expect(out.app?.webhookHeaders).toEqual([{ name: 'Authorization', value: REDACTED }]);
    expect(out.createdToken).toEqual({ id: '12', name: 'CI', token: REDACTED, tokenLastCharacters: 'AbCd', scopes: ['org:ci'] });
    expect(out.project).toEqual({ securityToken: REDACTED, securityTokenHeader: 'X-Sentry-Token', options: { 'sentry:token': REDACTED } });
    expect(out.request?.headers).toEqual({ Authorization: REDACTED, 'X-Sentry-Auth': REDACTED });
    expect(out.url).toBe(`https://sentry.io/cb?code=1&access_token=${REDACTED}&state=x`);
    expect(out.log).toEqual([`curl -H "Authorization: Bearer ${REDACTED}" https://sentry.io/api/0/`, `token ${REDACTED} leaked`]);
    // Already masked, empty and null values are facts verdicts may rest on: they stay.
    expect(out.masked).toEqual({ clientSecret: '**********', token: '', password: null });
    expect(out.member).toEqual({ id: '7', email: 'a@example.com', invite_link: REDACTED });
    expect(out.installation).toEqual({ uuid: 'u-1', status: 'installed', code: REDACTED });
    expect(out.error).toEqual({ detail: { code: 'sso-required', message: 'SSO required' } });
    expect(r.redactedPaths).toContain('/app/clientSecret');
    expect(r.redactedPaths).toContain('/project/options/sentry:token');
  });

  it('leaves trusted relay public keys and sensitive-field lists alone', () => {
    const body = '{"trustedRelays":[{"name":"r1","publicKey":"SMSesqan65THCV6M4qs4kBzPai60LzuDn-xNsvYpuP8"}],"sensitiveFields":["password","secret"],"scrubIPAddresses":true}';
    const r = redactResponseBody(body);
    expect(r.redactions).toBe(0);
    expect(r.text).toBe(body);
  });
});

describe('redaction of text that is not JSON', () => {
  it('redacts header lines, key/value pairs and token patterns', () => {
    const text = [
      'HTTP/1.1 401 Unauthorized',
      `Authorization: Bearer ${USER_TOKEN}`,
      `password=hunter2&user=bob`,
      `secret: "${SEC}"`,
      `dsn https://${PUB}:${SEC}@o1.ingest.sentry.io/2`,
      `{"token": "${ORG_TOKEN}", "broken json`,
    ].join('\n');
    const r = redactResponseBody(text);
    expect(r.mode).toBe('text');
    for (const secret of [USER_TOKEN, ORG_TOKEN, SEC, 'hunter2']) expect(r.text).not.toContain(secret);
    expect(r.text).toContain('user=bob');
    expect(r.text).toContain(`https://${PUB}:${REDACTED}@o1.ingest.sentry.io/2`);
    expect(r.text).toContain(`Authorization: ${REDACTED}\n`);
    expect(r.redactions).toBeGreaterThanOrEqual(5);
  });

  it('leaves ordinary text alone', () => {
    const text = 'Invalid token\n<html><body>Rate limited</body></html>';
    expect(redactText(text)).toEqual({ text, redactions: 0 });
  });

  it('keeps bytes that are not UTF-8 as they were', () => {
    const body = Buffer.concat([Buffer.from('x='), Buffer.from([0xff, 0xfe]), Buffer.from(` token=${HEX_TOKEN}`)]);
    const r = redactResponseBody(body);
    expect(r.mode).toBe('text');
    expect(r.bytes.equals(Buffer.concat([Buffer.from('x='), Buffer.from([0xff, 0xfe]), Buffer.from(` token=${REDACTED}`)]))).toBe(true);
  });
});

describe('redactJsonValue', () => {
  it('redacts a parsed value without touching the input', () => {
    const input = { secret: SEC, public: PUB, nested: [{ token: USER_TOKEN }], note: `Bearer ${HEX_TOKEN}` };
    const copy = structuredClone(input);
    expect(redactJsonValue(input)).toEqual({ secret: REDACTED, public: PUB, nested: [{ token: REDACTED }], note: `Bearer ${REDACTED}` });
    expect(input).toEqual(copy);
  });
});

describe('isSecretKeyName', () => {
  it.each(['secret', 'clientSecret', 'token', 'securityToken', 'refresh_token', 'scim_api_token', 'sentry:token', 'password', 'api_key', 'apiKey', 'private_key', 'Authorization', 'X-Api-Key', 'Cookie', 'invite_link', 'inviteLink'])(
    '%s is secret',
    (name) => expect(isSecretKeyName(name)).toBe(true),
  );
  it.each(['public', 'publicKey', 'id', 'clientId', 'tokenLastCharacters', 'securityTokenHeader', 'sensitiveFields', 'scopes', 'key', 'dsn', 'name'])(
    '%s is not',
    (name) => expect(isSecretKeyName(name)).toBe(false),
  );
});

describe('fast path (bodies skipped as holding nothing secret)', () => {
  it('skips a large page whose names only contain secret words (hasPasswordAuth) and stores it byte for byte', () => {
    const body = JSON.stringify({ rows: Array.from({ length: 50 }, (_, i) => ({ id: String(i), user: { hasPasswordAuth: true, email: `u${i}@x.example` } })) });
    const r = redactResponseBody(Buffer.from(body));
    expect(r.redactions).toBe(0);
    expect(r.text).toBe(body);
    expect(r.mode).toBe('json');
  });

  it.each([
    ['a secret key next to a harmless look-alike', '{"hasPasswordAuth":true,"password":"hunter2hunter2"}', 'hunter2hunter2'],
    ['a trailing separator after the name', '{"api_key_":"abcdef123456"}', 'abcdef123456'],
    ['a sibling name field', '{"headers":[{"name":"X-Api-Token","value":"zzz999zzz999"}]}', 'zzz999zzz999'],
    ['a name=value pair in text', 'retry with private-key=qqq777qqq777 please', 'qqq777qqq777'],
    ['a name: value header line', 'Cookie: sess=ppp555ppp555', 'ppp555ppp555'],
    ['a grant code', '{"code":"AbCdEfGhIjKlMnOpQrStUvWxYz012345"}', 'AbCdEfGhIjKlMnOpQrStUvWxYz012345'],
  ])('still redacts %s', (_label, body, secret) => {
    const r = redactResponseBody(Buffer.from(body));
    expect(r.text).not.toContain(secret);
    expect(r.redactions).toBeGreaterThan(0);
  });
});

describe('redaction on decoded values (issue 9)', () => {
  const token = `sntryu_${'c0ffee'.repeat(10)}`;
  const legacy = 'a1b2c3d4'.repeat(8); // a 64-hex token of older self-hosted Sentry: no prefix to match
  it.each([
    ['JSON-escaped', `{"detail":"bad ${token.replace('_', '\\u005f')}"}`],
    ['every character JSON-escaped', `{"detail":"${[...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"}`],
    ['URL-encoded in a JSON value', `{"next":"https://x.example/?t=${encodeURIComponent(legacy).replace(/a/g, '%61')}"}`],
    ['double URL-encoded', `{"next":"${legacy.replace(/1/g, '%2531')}"}`],
    ['base64 at each alignment', `{"a":"${Buffer.from(`x${legacy}`).toString('base64')}","b":"${Buffer.from(`xy${legacy}`).toString('base64')}","c":"${Buffer.from(legacy).toString('base64url')}"}`],
    ['HTML entities in a text body', `<p>token: ${[...legacy].map((c) => `&#${c.charCodeAt(0)};`).join('')}</p>`],
    ['an escaped key name', `{"pass\\u0077ord":"hunter2hunter2", "x": "${legacy}"}`],
  ])('finds the known token %s and stores no form of it', (_label, body) => {
    const r = redactResponseBody(Buffer.from(body), { secrets: [token, legacy] });
    const decoded = [r.text, decodeURIComponent(r.text.replace(/%(?![0-9a-f]{2})/gi, '')), Buffer.from(r.text, 'base64').toString('latin1')];
    for (const s of [token, legacy]) for (const d of decoded) expect(d).not.toContain(s);
    expect(r.redactions).toBeGreaterThan(0);
    expect(r.sha256).toBe(sha256Hex(r.bytes));
  });

  it('notes a known secret found, and hands back the parse', () => {
    const r = redactResponseBody(`{"echo":"${legacy}","n":12345678901234567890}`, { secrets: [legacy] });
    expect(r.text).toBe('{"echo":"[redacted]","n":12345678901234567890}');
    expect(r.note).toMatch(/session API token/);
    expect(r.parsed).toEqual({ echo: legacy, n: 12345678901234567890 });
  });

  it('withholds a text body that still holds a credential in an encoded form', () => {
    const r = redactResponseBody(`<html>${Buffer.from(`Bearer ${legacy}`).toString('hex')} then sntryu%255Fabcdef12345 end</html>`, { secrets: [legacy] });
    expect(r.text).toMatch(/^\[sentry-harden withheld this response body/);
    expect(r.note).toMatch(/withheld/);
  });

  it.each([
    ['?code= of an Azure Functions webhook', '{"url":"https://f.example/api/x?code=AbCdEf0123456789GhIjKl=="}', 'AbCdEf0123456789GhIjKl'],
    ['?key=', '{"url":"https://m.example/js?key=AIzaSyD0123456789abcdefgh"}', 'AIzaSyD0123456789abcdefgh'],
    ['&sig=', '{"url":"https://s.example/b?sv=1&sig=abc123def456"}', 'abc123def456'],
    ['a Slack webhook path', '{"webhook":"https://hooks.slack.com/services/T000/B000/XyZsecretPath123"}', 'XyZsecretPath123'],
    ['a Discord webhook token', '{"u":"https://discord.com/api/webhooks/1234/tok_ABCdef0123456789"}', 'tok_ABCdef0123456789'],
    ['a {name, value} header with a signature name', '{"headers":[{"name":"X-Hub-Signature-256","value":"sha256=deadbeef0123"}]}', 'deadbeef0123'],
    ['pwd', '{"pwd":"hunter22"}', 'hunter22'],
    ['pass', '{"pass":"hunter22"}', 'hunter22'],
    ['auth', '{"auth":"user:hunter22"}', 'hunter22'],
    ['private', '{"private":"-----x"}', '-----x'],
    ['key when opaque', '{"key":"k3y0123456789abcdef"}', 'k3y0123456789abcdef'],
  ])('redacts %s', (_label, body, secret) => {
    expect(redactResponseBody(body).text).not.toContain(secret);
  });

  it('keeps identifiers named key or code: provider keys, tag keys, error codes', () => {
    const body = '{"provider":{"key":"github","name":"GitHub"},"tags":[{"key":"environment"}],"detail":{"code":"sso-required"}}';
    expect(redactResponseBody(body).text).toBe(body);
  });
});

import { describe, expect, it } from 'vitest';
import { applyPatterns, patternsChange, REDACTED } from '../../../core/primitives/redact-patterns';

// Strings that reach the pattern stage: URLs, query strings, header values, keys, webhooks.
const PIECES = [
  'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX',
  `https://hooks.slack.com/services/${REDACTED}`,
  'https://discord.com/api/webhooks/123/abcdefghijklmnopqrstuvwxyz012345',
  'https://example.webhook.office.com/webhookb2/abc@def/IncomingWebhook/x',
  'https://ci.example.com/hook/ABCDEFGHIJKLMNOPQRSTUVWXYZ012345/run',
  'https://ci.example.com/hooks/short',
  'https://public:secret@o1.ingest.sentry.io/42',
  `https://public:${REDACTED}@o1.ingest.sentry.io/42`,
  'https://o1.ingest.sentry.io/42',
  'mailto:someone@example.com',
  'Bearer abcdef123456',
  'bearer abc',
  'Basic dXNlcjpwYXNz',
  'sntryu_0123456789abcdef',
  'sntrys_eyJpYXQiOjE2O==',
  'sntry_notakind',
  '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----',
  '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
  'https://x.example/cb?code=abc123&state=xyz',
  'https://x.example/cb?sig=********&page=2',
  `?token=${REDACTED}`,
  'sentry_key=abc,sentry_secret=def',
  'a=b',
  'password=hunter2',
  'x=',
  '==',
  'https://sentry.io/api/0/organizations/acme/members/?cursor=0:100:0',
  'plain text with nothing',
  '',
];

function combos(): string[] {
  const out = [...PIECES];
  for (const a of PIECES) for (const b of PIECES) out.push(`${a} ${b}`, `${a}&${b}`);
  return out;
}

describe('patternsChange', () => {
  it('says a string changes exactly when applyPatterns changes it', () => {
    for (const s of combos()) expect(patternsChange(s), JSON.stringify(s)).toBe(applyPatterns(s, () => undefined) !== s);
  });

  it('gives the same answer when asked twice (no regular expression state carried over)', () => {
    for (const s of PIECES) expect(patternsChange(s)).toBe(patternsChange(s));
  });
});

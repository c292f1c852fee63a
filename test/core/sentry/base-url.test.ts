import { describe, expect, it } from 'vitest';
import { SENTRY_PRESETS, parseBaseUrl, trustedRegionUrl, tryParseBaseUrl } from '../../../core/sentry/base-url';
import { SentryApiError } from '../../../core/sentry/errors';

function errorOf(input: string): SentryApiError {
  try {
    parseBaseUrl(input);
  } catch (e) {
    if (e instanceof SentryApiError) return e;
    throw e;
  }
  throw new Error(`expected ${input} to be refused`);
}

describe('parseBaseUrl', () => {
  it('accepts the presets as sentry.io', () => {
    for (const preset of SENTRY_PRESETS) {
      const b = parseBaseUrl(preset.url);
      expect(b.url).toBe(preset.url);
      expect(b.deployment).toBe('saas');
      expect(b.pathPrefix).toBe('');
    }
  });

  it('keeps a self-hosted path prefix and strips trailing slashes and a pasted /api/0', () => {
    expect(parseBaseUrl('https://sentry.example.com/sentry').url).toBe('https://sentry.example.com/sentry');
    const b = parseBaseUrl('  https://sentry.example.com/sentry/api/0/  ');
    expect(b).toMatchObject({
      url: 'https://sentry.example.com/sentry',
      origin: 'https://sentry.example.com',
      pathPrefix: '/sentry',
      deployment: 'self_hosted',
      loopback: false,
    });
    expect(parseBaseUrl('https://sentry.example.com///').url).toBe('https://sentry.example.com');
    expect(parseBaseUrl('https://sentry.io/api/0').url).toBe('https://sentry.io');
    expect(parseBaseUrl('https://sentry.example.com:9443/').url).toBe('https://sentry.example.com:9443');
  });

  it('assumes https for a bare host name', () => {
    expect(parseBaseUrl('sentry.example.com').url).toBe('https://sentry.example.com');
  });

  it('refuses malformed URLs with invalid_url and says what is wrong', () => {
    expect(errorOf('').code).toBe('invalid_url');
    expect(errorOf('https://').code).toBe('invalid_url');
    expect(errorOf('https://exa mple.com').message).toMatch(/spaces/);
    expect(errorOf('ftp://sentry.example.com').message).toMatch(/https:\/\//);
    expect(errorOf('https://user:pw@sentry.example.com').message).toMatch(/user name and password/);
    expect(errorOf('https://sentry.example.com/?org=acme').message).toMatch(/query/);
    expect(errorOf('https://sentry.example.com/#x').message).toMatch(/fragment/);
    expect(errorOf('https://sentry.io/api/0/organizations/acme/').message).toMatch(/not the address of an API endpoint/);
    expect(errorOf('https://exa%mple.com').code).toBe('invalid_url');
  });

  it('does not echo what was typed (it may be a pasted token)', () => {
    const e = errorOf('https://sntryu_secretsecret@@@');
    expect(e.message).not.toContain('sntryu_secretsecret');
  });

  it('refuses http to a non-loopback host with insecure_url', () => {
    const e = errorOf('http://sentry.example.com');
    expect(e.code).toBe('insecure_url');
    expect(e.message).toMatch(/unencrypted/);
    expect(errorOf('http://10.0.0.5:9000').code).toBe('insecure_url');
    expect(errorOf('http://127.example.com').code).toBe('insecure_url');
  });

  it('allows http on loopback hosts only', () => {
    for (const u of ['http://127.0.0.1:9000', 'http://127.1.2.3', 'http://localhost:8000/sentry', 'http://[::1]:9000']) {
      const b = parseBaseUrl(u);
      expect(b.loopback).toBe(true);
      expect(b.deployment).toBe('self_hosted');
    }
  });

  it('reports errors as data for forms', () => {
    const r = tryParseBaseUrl('http://sentry.example.com');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('insecure_url');
    expect(tryParseBaseUrl('https://de.sentry.io').ok).toBe(true);
  });
});

describe('trustedRegionUrl', () => {
  it('on sentry.io trusts only https sentry.io hosts', () => {
    const base = parseBaseUrl('https://sentry.io');
    expect(trustedRegionUrl(base, 'https://de.sentry.io')?.url).toBe('https://de.sentry.io');
    expect(trustedRegionUrl(base, 'https://evil.example.com')).toBeUndefined();
    expect(trustedRegionUrl(base, 'https://sentry.io.evil.com')).toBeUndefined();
    expect(trustedRegionUrl(base, 'http://us.sentry.io')).toBeUndefined();
  });

  it('self-hosted never moves to another host; loopback only to loopback', () => {
    const self = parseBaseUrl('https://sentry.example.com');
    expect(trustedRegionUrl(self, 'https://other.example.com')).toBeUndefined();
    expect(trustedRegionUrl(self, 'https://sentry.example.com/')?.url).toBe('https://sentry.example.com');
    const loop = parseBaseUrl('http://127.0.0.1:9000');
    expect(trustedRegionUrl(loop, 'http://127.0.0.1:9001')?.url).toBe('http://127.0.0.1:9001');
    expect(trustedRegionUrl(loop, 'https://us.sentry.io')).toBeUndefined();
  });
});

describe('mistyped URLs', () => {
  it.each(['ht!tp://nope', 'htp:://sentry.example.com', 'https://sentry_example!.com', 'sentry.exa$mple.com'])(
    'refuses %s as invalid_url instead of guessing a host',
    (input) => {
      const r = tryParseBaseUrl(input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid_url');
    },
  );
});

import { describe, expect, it } from 'vitest';
import { isAppUrl, isSameOrigin, parseExternalUrl } from '../../main/url-policy';

const policy = { orgBaseUrls: ['https://sentry.acme.example', 'http://localhost:9000', 'not a url'] };

describe('navigation policy', () => {
  it('allows the app origin only, compared part by part', () => {
    expect(isAppUrl('app://sentry-harden/index.html')).toBe(true);
    expect(isAppUrl('app://sentry-harden/assets/x.js?y#z')).toBe(true);
    for (const url of [
      'app://sentry-harden.evil.example/',
      'app://sentry-hardenx/',
      'app://evil/sentry-harden/',
      'app://sentry-harden@evil/',
      'app://sentry-harden:1234/',
      'https://sentry-harden/',
      'file:///index.html',
      'javascript:alert(1)',
      'data:text/html,hi',
      '',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });

  it('does not treat the "null" origin of custom schemes as equal', () => {
    expect(new URL('app://a/').origin).toBe(new URL('app://b/').origin); // why parts are compared
    expect(isSameOrigin('app://a/', 'app://b/')).toBe(false);
    expect(isSameOrigin('https://docs.sentry.io/a', 'https://docs.sentry.io:443/b')).toBe(true);
  });
});

describe('external links', () => {
  it('opens Sentry docs, sentry.io settings pages and the configured org hosts over https', () => {
    expect(parseExternalUrl('https://docs.sentry.io/security/', policy)).toBe('https://docs.sentry.io/security/');
    expect(parseExternalUrl('https://sentry.io/settings/acme/auth/', policy)).toBe('https://sentry.io/settings/acme/auth/');
    expect(parseExternalUrl('https://acme.sentry.io/settings/security-and-privacy/', policy)).not.toBeNull();
    expect(parseExternalUrl('https://sentry.acme.example/organizations/acme/issues/', policy)).not.toBeNull();
  });

  it('refuses everything else', () => {
    for (const url of [
      'http://docs.sentry.io/',
      'https://docs.sentry.io.evil.example/',
      'https://evil.example/?https://docs.sentry.io/',
      'https://evil.example/#docs.sentry.io',
      'https://docs.sentry.io@evil.example/',
      'https://user:pw@docs.sentry.io/',
      'https://docs.sentry.io:8443/',
      'https://sentry.io/',
      'https://sentry.io/organizations/acme/issues/',
      'https://sentry.io/settingsx/',
      'https://sentry.io/settings/../auth/login/',
      'https://sentry.io/settings/%2e%2e/auth/login/',
      'https://evilsentry.io/settings/',
      'http://localhost:9000/settings/',
      'https://sentry.acme.example:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://share/x',
      'mailto:a@example.com',
      '',
      'not a url',
    ]) {
      expect(parseExternalUrl(url, policy), url).toBeNull();
    }
    expect(parseExternalUrl(42, policy)).toBeNull();
  });
});

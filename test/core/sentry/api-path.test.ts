import { describe, expect, it } from 'vitest';
import { belongsToOrg, canonicalApiPath, canonicalSegments, isCanonicalApiPath, matchesTemplate } from '../../../core/sentry/api-path';

const DOTS = ['..', '.', '%2e%2e', '%2E%2e', '%2e.', '.%2E', '%252e%252e', '%25252e%25252E', '%2e'];

describe('canonical API paths', () => {
  it('refuses dot segments in any spelling: plain, encoded, mixed case, double and triple encoded', () => {
    for (const dots of DOTS) {
      const p = `/api/0/organizations/acme-demo/${dots}/victim-org/`;
      expect(() => canonicalSegments(p), dots).toThrow(/dot segment/);
      expect(belongsToOrg(p, 'acme-demo'), dots).toBe(false);
      expect(isCanonicalApiPath(p), dots).toBe(false);
    }
  });

  it('refuses segments that decode to a separator or control character, malformed escapes, queries and empty segments', () => {
    for (const p of ['/api/0/organizations/acme-demo%2f..%2fvictim/', '/api/0/organizations/acme%5cdemo/', '/api/0/organizations/acme%252fdemo/', '/api/0/organizations/a%0ab/', '/api/0/organizations/%zz/', '/api/0/organizations/acme-demo/?x=1/', '/api/0/organizations//acme-demo/', '/api/1/organizations/acme-demo/', '/api/0/organizations/acme-demo']) {
      expect(() => canonicalSegments(p), p).toThrow();
      expect(belongsToOrg(p, 'acme-demo'), p).toBe(false);
    }
  });

  it('checks the organization on decoded segments, not on a prefix of the spelling', () => {
    expect(belongsToOrg('/api/0/organizations/acme-demo/', 'acme-demo')).toBe(true);
    expect(belongsToOrg('/api/0/projects/acme-demo/web/keys/abc/', 'acme-demo')).toBe(true);
    expect(belongsToOrg('/api/0/organizations/%61cme-demo/', 'acme-demo')).toBe(true);
    expect(isCanonicalApiPath('/api/0/organizations/%61cme-demo/')).toBe(false);
    expect(canonicalApiPath('/api/0/organizations/%61cme-demo/')).toBe('/api/0/organizations/acme-demo/');
    expect(belongsToOrg('/api/0/organizations/acme-demo-evil/', 'acme-demo')).toBe(false);
    expect(belongsToOrg('/api/0/users/acme-demo/', 'acme-demo')).toBe(false);
  });

  it('matches an operation template exactly: same segments, literals and arguments', () => {
    const tpl = ['projects', '{org}', '{project}', 'keys', '{key}'];
    const args = { org: 'acme-demo', project: 'web', key: 'abc' };
    expect(matchesTemplate('/api/0/projects/acme-demo/web/keys/abc/', tpl, args)).toBe(true);
    expect(matchesTemplate('/api/0/projects/acme-demo/web/keys/abc/extra/', tpl, args)).toBe(false);
    expect(matchesTemplate('/api/0/projects/acme-demo/other/keys/abc/', tpl, args)).toBe(false);
    expect(matchesTemplate('/api/0/projects/acme-demo/web/%2e%2e/abc/', tpl, args)).toBe(false);
  });
});

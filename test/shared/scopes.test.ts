import { describe, expect, it } from 'vitest';
import { expandScopes, hasAnyScope } from '../../shared/scopes';
import { levelIncludes } from '../../shared/levels';

describe('scopes', () => {
  it('expands a higher scope to the lower ones Sentry grants with it', () => {
    expect([...expandScopes(['org:admin'])].sort()).toEqual(['org:admin', 'org:integrations', 'org:read', 'org:write']);
    expect(expandScopes(['member:read']).has('member:write')).toBe(false);
  });
  it('matches any-of requirements after expansion', () => {
    expect(hasAnyScope(['project:admin'], ['project:read'])).toBe(true);
    expect(hasAnyScope(['project:read'], ['project:write', 'project:admin'])).toBe(false);
  });
});

describe('levels', () => {
  it('includes lower levels only', () => {
    expect(levelIncludes('L2', 'L1')).toBe(true);
    expect(levelIncludes('L1', 'L2')).toBe(false);
  });
});

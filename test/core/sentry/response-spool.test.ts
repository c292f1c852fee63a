import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ResponseSpool, spooledFile } from '../../../core/sentry/response-spool';
import type { ResponseRecord } from '../../../core/sentry/transport';

const record = (body: string): ResponseRecord => ({
  method: 'GET',
  origin: 'http://127.0.0.1:1',
  url: '/api/0/organizations/acme/members/',
  status: 200,
  fetchedAt: '2026-01-01T00:00:00.000Z',
  sha256: createHash('sha256').update(body).digest('hex'),
  body,
  headers: { 'content-type': 'application/json' },
});

describe('ResponseSpool', () => {
  it('puts each body on disk once, privately, reads it back on demand and removes the folder on dispose', async () => {
    const spool = ResponseSpool.create();
    const a = spool.keep(record('[{"id":"1"}]'));
    const again = spool.keep(record('[{"id":"1"}]'));
    expect(a.body).toBe('[{"id":"1"}]');
    const file = await spooledFile(a);
    expect(file).toBeDefined();
    expect(await spooledFile(again)).toBe(file);
    expect(readFileSync(file as string, 'utf8')).toBe('[{"id":"1"}]');
    expect(statSync(file as string).mode & 0o777).toBe(0o600);
    expect(statSync(spool.dir).mode & 0o777).toBe(0o700);
    // Written: the body now comes from the file, and a spread record still carries it.
    expect({ ...a }.body).toBe('[{"id":"1"}]');
    expect(await spooledFile(record('x'))).toBeUndefined();
    await spool.dispose();
    expect(existsSync(spool.dir)).toBe(false);
    expect(() => spool.keep(record('y'))).toThrow(/disposed/);
  });
});

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSpooled, readSpooled, ResponseSpool } from '../../../core/sentry/response-spool';
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

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ResponseSpool', () => {
  it('appends each body once to one private pack, reads it back on demand and removes the folder on dispose', async () => {
    const spool = ResponseSpool.create();
    const a = spool.keep(record('[{"id":"1"}]'));
    const again = spool.keep(record('[{"id":"1"}]'));
    const b = spool.keep(record('{"name":"Zoë ✓"}'));
    // Before the batch is written the body is still in memory.
    expect(a.body).toBe('[{"id":"1"}]');
    await spool.flush();
    await settle();
    expect(readdirSync(spool.dir)).toEqual(['responses.pack']);
    const pack = path.join(spool.dir, 'responses.pack');
    // Written once per hash, multi-byte characters counted in bytes.
    expect(statSync(pack).size).toBe(Buffer.byteLength('[{"id":"1"}]') + Buffer.byteLength('{"name":"Zoë ✓"}'));
    expect(statSync(pack).mode & 0o777).toBe(0o600);
    expect(statSync(spool.dir).mode & 0o777).toBe(0o700);
    expect(b.body).toBe('{"name":"Zoë ✓"}');
    expect((await readSpooled(b))?.toString('utf8')).toBe('{"name":"Zoë ✓"}');
    expect((await readSpooled(again))?.toString('utf8')).toBe('[{"id":"1"}]');
    // A spread record still carries the body; an unspooled record is not spooled.
    expect({ ...a }.body).toBe('[{"id":"1"}]');
    expect(isSpooled(a)).toBe(true);
    expect(isSpooled(record('x'))).toBe(false);
    expect(await readSpooled(record('x'))).toBeUndefined();
    await spool.dispose();
    expect(existsSync(spool.dir)).toBe(false);
    expect(() => spool.keep(record('y'))).toThrow(/disposed/);
  });

  it('keeps every field of the record', async () => {
    const spool = ResponseSpool.create();
    const original: ResponseRecord = { ...record('{"token":"[redacted]"}'), status: 404, bodyRedacted: true, headers: { link: '<x>; rel="next"' } };
    const kept = spool.keep(original);
    expect({ ...kept }).toEqual(original);
    await spool.flush();
    await settle();
    expect({ ...kept }).toEqual(original);
    await spool.dispose();
  });

  it('keeps thousands of bodies in one file and returns each exactly', async () => {
    const spool = ResponseSpool.create();
    const records = Array.from({ length: 3000 }, (_, i) => spool.keep(record(JSON.stringify({ i, pad: 'é'.repeat(i % 97) }))));
    await spool.flush();
    await settle();
    expect(readdirSync(spool.dir)).toHaveLength(1);
    records.forEach((r, i) => expect(JSON.parse(r.body)).toEqual({ i, pad: 'é'.repeat(i % 97) }));
    await spool.dispose();
  });
});

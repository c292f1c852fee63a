import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SentryClient } from '../../../core/sentry/client';
import { ResponseSpool, readSpooled } from '../../../core/sentry/response-spool';
import type { ResponseRecord, Transport } from '../../../core/sentry/transport';

const TOKEN = `sntryu_${'a'.repeat(64)}`;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A transport answering each request with the next body, as bytes (no HTTP: what is recorded is under test). */
function answering(bodies: Buffer[]): Transport {
  return { send: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: bodies.shift() ?? Buffer.from('{}') }) };
}

async function recordOf(body: Buffer, spool?: ResponseSpool): Promise<ResponseRecord> {
  const records: ResponseRecord[] = [];
  const client = new SentryClient({
    baseUrl: 'http://127.0.0.1:1',
    getToken: () => TOKEN,
    transport: answering([body]),
    onResponse: (r, bytes) => {
      expect(bytes.toString('utf8')).toBe(r.body);
      records.push(spool ? spool.keep(r, bytes) : r);
    },
  });
  await client.request('GET', '/api/0/x/', { schema: z.unknown() });
  return records[0]!;
}

describe('recorded responses', () => {
  it('name an unchanged body by the SHA-256 of the bytes as received, multi-byte characters included', async () => {
    const bytes = Buffer.from('{"name":"Zoë – ✓ 🚀","n":1}', 'utf8');
    const r = await recordOf(bytes);
    expect(r.sha256).toBe(sha(bytes));
    expect(r.bodyRedacted).toBeUndefined();
  });

  it('name a body sent with a byte-order mark by the bytes stored (without it), never by what was received', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":"b"}')]);
    const r = await recordOf(bytes);
    expect(r.body).toBe('{"a":"b"}');
    expect(r.sha256).toBe(sha(Buffer.from(r.body, 'utf8')));
  });

  it('name a redacted body by its redacted bytes, and the spool stores exactly the bytes named', async () => {
    const spool = ResponseSpool.create();
    try {
      const plain = await recordOf(Buffer.from('[{"id":"1","name":"é"}]'), spool);
      const secret = await recordOf(Buffer.from(`{"token":"${TOKEN}","ok":true}`), spool);
      expect(secret.bodyRedacted).toBe(true);
      expect(secret.body).not.toContain(TOKEN);
      for (const r of [plain, secret]) {
        const stored = await readSpooled(r);
        expect(stored && sha(stored)).toBe(r.sha256);
        expect(stored?.toString('utf8')).toBe(r.body);
      }
    } finally {
      await spool.dispose();
    }
  });
});

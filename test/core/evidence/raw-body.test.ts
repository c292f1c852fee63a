import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeRawBody, encodeRawBody, MAX_RAW_BODY_BYTES } from '../../../core/evidence/raw-body';

describe('raw/ bodies of layout 3', () => {
  it('round-trips a body, compressed well', async () => {
    const body = Buffer.from(JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ id: String(i), email: `user${i}@example.com`, role: 'member' }))));
    const stored = await encodeRawBody(body);
    expect(stored.length).toBeLessThan(body.length / 5);
    expect((await decodeRawBody(stored, 'raw/x.json.gz')).equals(body)).toBe(true);
  });

  it('reads an uncompressed .json file (layouts 1 and 2) as it is', async () => {
    const body = Buffer.from('{"a":1}');
    expect(await decodeRawBody(body, 'raw/x.json')).toBe(body);
  });

  it('refuses a file that is not gzip and one that inflates past the cap, naming the file', async () => {
    await expect(decodeRawBody(Buffer.from('{"a":1}'), 'raw/a.json.gz')).rejects.toThrow('raw/a.json.gz: not a gzip file');
    const bomb = gzipSync(Buffer.alloc(MAX_RAW_BODY_BYTES + 1));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(decodeRawBody(bomb, 'raw/b.json.gz')).rejects.toThrow(/^raw\/b\.json\.gz: decompresses to more than 128 MiB/);
  });
});

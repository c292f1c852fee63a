import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeJsonFile } from '../../../core/evidence/json-stream';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeJsonFile', () => {
  it('writes JSON that parses back to the value, one array element a line', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'json-stream-'));
    const file = path.join(dir, 'r.json');
    const value = {
      a: 1,
      skipped: undefined,
      text: 'quote " and \u2028 line',
      list: Array.from({ length: 1000 }, (_, i) => ({ i, nested: { deep: [i, null, 'x'] } })),
      empty: [],
      obj: { inner: { list: [1, 2], none: {} }, when: new Date(0) },
      before: null,
    };
    await writeJsonFile(file, value);
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
    expect(text.split('\n').filter((l) => l.includes('"nested"'))).toHaveLength(1000);
    expect(text.endsWith('}\n')).toBe(true);
  });
});

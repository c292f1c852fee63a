import { expect } from 'vitest';

/**
 * RFC 4180 reader written for the test: a state machine over characters. Strict: every record
 * ends with CRLF, a quote inside an unquoted field or text after a closing quote is an error.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let state: 'start' | 'plain' | 'quoted' | 'quote' = 'start';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (state === 'quoted') {
      if (c === '"') state = 'quote';
      else field += c;
      continue;
    }
    if (state === 'quote' && c === '"') {
      field += '"';
      state = 'quoted';
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
      state = 'start';
    } else if (c === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`bare CR at ${i}`);
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      state = 'start';
      i++;
    } else if (c === '\n') {
      throw new Error(`bare LF at ${i}`);
    } else if (c === '"') {
      if (state !== 'start') throw new Error(`quote inside an unquoted field at ${i}`);
      state = 'quoted';
    } else {
      if (state === 'quote') throw new Error(`text after a closing quote at ${i}`);
      field += c;
      state = 'plain';
    }
  }
  if (state === 'quoted') throw new Error('unterminated quoted field');
  if (field !== '' || row.length > 0) throw new Error('last record does not end with CRLF');
  return rows;
}

/** The rows as objects keyed by the header; every row has the header's length. */
export function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => {
    expect(r).toHaveLength(header!.length);
    return Object.fromEntries(header!.map((h, i) => [h, r[i]!]));
  });
}

import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { EvidenceError } from '../primitives/errors';

/**
 * A small ZIP (APPNOTE 6.3) writer and reader, enough for evidence packages: stored or deflated
 * entries, UTF-8 names, CRC-32 checked on read. No ZIP64 (over 4 GiB or 65,535 entries), no
 * encryption, no symbolic links: packages are a few megabytes of regular files.
 */

export interface ZipEntryInput {
  /** `/`-separated path inside the archive. */
  readonly name: string;
  readonly data: Uint8Array;
}

export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIR = 0x06054b50;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;
const METHOD_STORE = 0;
const METHOD_DEFLATE = 8;
const VERSION = 20; // 2.0: deflate, directories
const MAX_U32 = 0xffffffff;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO-HDLC, the one ZIP and gzip use). */
export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function dosDateTime(date: Date): { time: number; date: number } {
  // DOS dates start in 1980 and count in local time, as every unzip tool expects.
  const year = Math.min(Math.max(date.getFullYear(), 1980), 2107);
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** Builds an archive. Entries keep the given order; each is deflated unless that does not shrink it. */
export function createZip(entries: readonly ZipEntryInput[], mtime: Date = new Date()): Buffer {
  if (entries.length > 0xffff) throw new EvidenceError('invalid_input', 'Too many files for a ZIP without ZIP64 (over 65,535).');
  const { time, date } = dosDateTime(mtime);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    if (entry.data.length > MAX_U32) throw new EvidenceError('invalid_input', `${entry.name} is too large for a ZIP without ZIP64.`);
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const method = deflated.length < entry.data.length ? METHOD_DEFLATE : METHOD_STORE;
    const body = method === METHOD_DEFLATE ? deflated : Buffer.from(entry.data);
    const crc = crc32(entry.data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(FLAG_UTF8, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_HEADER, 0);
    central.writeUInt16LE((3 << 8) | VERSION, 4); // made by: Unix, so the mode below is honoured
    central.writeUInt16LE(VERSION, 6);
    central.writeUInt16LE(FLAG_UTF8, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal attributes: all 0
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);

    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
    if (offset > MAX_U32) throw new EvidenceError('invalid_input', 'The package is too large for a ZIP without ZIP64 (over 4 GiB).');
  }
  const centralDir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIR, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDir, end]);
}

export interface ReadZipLimits {
  /** Refuse archives that would expand beyond this many bytes in total (zip bombs). */
  readonly maxTotalBytes?: number;
  readonly maxEntries?: number;
}

function bad(message: string): never {
  throw new EvidenceError('invalid_input', `Not a usable ZIP archive: ${message}.`);
}

/**
 * Checks that an entry name is a plain relative path: no absolute path, drive letter, backslash,
 * `..`, `.` or empty segment, no control character. Returns the reason it is not, or null.
 */
export function unsafePathReason(name: string): string | null {
  if (name.startsWith('/')) return 'an absolute path';
  if (name.includes('\\')) return 'a backslash in the path';
  if (name.includes(':')) return 'a drive letter or colon in the path';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'a control character in the path';
  const segments = name.split('/');
  if (segments.some((s) => s === '..')) return 'a ".." segment';
  if (segments.some((s) => s === '.' || s === '')) return 'an empty or "." segment';
  return null;
}

/** Reads every entry; directory entries (names ending in `/`) are skipped. Throws on anything unsafe. */
export function readZip(buf: Buffer, limits: ReadZipLimits = {}): ZipEntry[] {
  const maxTotal = limits.maxTotalBytes ?? 1024 * 1024 * 1024;
  const maxEntries = limits.maxEntries ?? 65_535;
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === END_OF_CENTRAL_DIR) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) bad('no end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0) bad('multi-disk archives are not supported');
  if (count === 0xffff || cdSize === MAX_U32 || cdOffset === MAX_U32) bad('ZIP64 archives are not supported');
  if (count > maxEntries) bad(`more than ${maxEntries} entries`);
  if (cdOffset + cdSize > eocd) bad('the central directory lies outside the file');

  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let total = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== CENTRAL_HEADER) bad(`central directory entry ${i} is damaged`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const madeBy = buf.readUInt16LE(p + 4) >> 8;
    const mode = buf.readUInt32LE(p + 38) >>> 16;
    const localOffset = buf.readUInt32LE(p + 42);
    const nameBytes = buf.subarray(p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extraLength + commentLength;

    let name: string;
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(nameBytes);
    } catch {
      bad(`entry ${i} has a name that is not UTF-8`);
    }
    if (flags & FLAG_ENCRYPTED) bad(`${name} is encrypted`);
    if (madeBy === 3 && (mode & 0o170000) === 0o120000) bad(`${name} is a symbolic link`);
    const isDirectory = name.endsWith('/');
    const unsafe = unsafePathReason(isDirectory ? name.slice(0, -1) : name);
    if (unsafe !== null) bad(`${JSON.stringify(name)} has ${unsafe}`);
    if (isDirectory) continue;
    // Case-insensitive file systems (macOS, Windows) would merge these into one file.
    const folded = name.toLowerCase();
    if (seen.has(folded)) bad(`${name} appears twice`);
    seen.add(folded);
    if (compressedSize === MAX_U32 || size === MAX_U32) bad(`${name} uses ZIP64 sizes`);
    total += size;
    if (total > maxTotal) bad(`it expands to more than ${maxTotal} bytes`);

    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOCAL_HEADER) bad(`the local header of ${name} is damaged`);
    const dataStart = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    if (dataStart + compressedSize > buf.length) bad(`the data of ${name} is truncated`);
    const raw = buf.subarray(dataStart, dataStart + compressedSize);
    let data: Buffer;
    if (method === METHOD_STORE) {
      data = Buffer.from(raw);
    } else if (method === METHOD_DEFLATE) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, size) });
      } catch {
        bad(`${name} does not inflate to its declared ${size} bytes`);
      }
    } else {
      bad(`${name} uses compression method ${method} (only store and deflate are supported)`);
    }
    if (data.length !== size) bad(`${name} has ${data.length} bytes, the directory says ${size}`);
    if (crc32(data) !== crc) bad(`${name} fails its CRC-32 check`);
    entries.push({ name, data });
  }
  return entries;
}

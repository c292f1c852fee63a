import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ENV, chromiumArgs, chromiumCandidates, chromiumPrinter, findChromium, onA4 } from '../../cli/chromium-pdf';
import { renderReportHtml } from '../../core/evidence/render/html/index';
import { buildSampleEvidenceReport } from '../helpers/report-fixture';

/** Web mode's "Save as PDF" with the machine's Chromium: which binary, which flags, a real print. */

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.log(`chromium-pdf.test.ts: the real print is skipped: ${CHROMIUM} is missing (Debian package "chromium").`);

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('finding a browser to print with', () => {
  it('takes the first installed candidate of the platform', () => {
    const installed = new Set(['/usr/bin/google-chrome', '/snap/bin/chromium']);
    expect(findChromium({}, 'linux', (p) => installed.has(p))).toBe('/usr/bin/google-chrome');
    expect(findChromium({}, 'linux', () => false)).toBeNull();
    expect(findChromium({}, 'darwin', (p) => p.includes('Chromium.app'))).toBe('/Applications/Chromium.app/Contents/MacOS/Chromium');
    const win = chromiumCandidates('win32', { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' });
    expect(win).toContain('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(win).toContain('C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe');
  });

  it(`obeys ${CHROMIUM_ENV}: a binary that exists, or none`, () => {
    const all = () => true;
    expect(findChromium({ [CHROMIUM_ENV]: 'none' }, 'linux', all)).toBeNull();
    expect(findChromium({ [CHROMIUM_ENV]: '/opt/chrome/chrome' }, 'linux', all)).toBe('/opt/chrome/chrome');
    // A named binary that is not there: no fallback to another browser the person did not choose.
    expect(findChromium({ [CHROMIUM_ENV]: '/opt/missing' }, 'linux', (p) => p !== '/opt/missing')).toBeNull();
  });

  it('prints headless in a throwaway profile, without the sandbox only as root', () => {
    const args = chromiumArgs('/tmp/p', '/tmp/out.pdf', '/tmp/r.html', false);
    expect(args).toContain('--headless');
    expect(args).toContain('--user-data-dir=/tmp/p');
    expect(args).toContain('--print-to-pdf=/tmp/out.pdf');
    expect(args).toContain('--no-pdf-header-footer');
    expect(args.at(-1)).toBe('file:///tmp/r.html');
    expect(args).not.toContain('--no-sandbox');
    expect(chromiumArgs('/tmp/p', '/tmp/out.pdf', '/tmp/r.html', true)).toContain('--no-sandbox');
  });

  it('sets A4 in the head of the copy it prints', () => {
    expect(onA4('<html><head><title>x</title></head><body></body></html>')).toBe('<html><head><title>x</title><style>@page { size: A4; }</style>\n</head><body></body></html>');
  });
});

describe.skipIf(!HAS_CHROMIUM)('printing report.html with Chromium', () => {
  it('writes an A4 PDF of several pages, and leaves the HTML as it was', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sh-chromium-pdf-'));
    dirs.push(dir);
    const html = path.join(dir, 'report.html');
    const text = renderReportHtml(buildSampleEvidenceReport());
    await writeFile(html, text);
    const pdfFile = path.join(dir, 'package.pdf');
    await chromiumPrinter(CHROMIUM)(html, pdfFile);
    const pdf = await readFile(pdfFile);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const body = pdf.toString('latin1');
    expect((body.match(/\/Type\s*\/Page\b/g) ?? []).length).toBeGreaterThanOrEqual(8);
    // A4 is 595 x 842 points (Chromium's default would be Letter, 612 x 792).
    const boxes = [...body.matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
    expect(boxes.length).toBeGreaterThan(0);
    expect(new Set(boxes.map((b) => b.join('x')))).toEqual(new Set(['595x842']));
    expect(await readFile(html, 'utf8')).toBe(text);
  }, 90_000);

  it('says what went wrong when the binary cannot print', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sh-chromium-pdf-'));
    dirs.push(dir);
    const html = path.join(dir, 'report.html');
    await writeFile(html, '<html><head></head><body>x</body></html>');
    await expect(chromiumPrinter(path.join(dir, 'no-such-browser'))(html, path.join(dir, 'x.pdf'))).rejects.toThrow(/could not be started to print the PDF: open the report and print it from the browser/);
    // /bin/true exits 0 and writes nothing.
    await expect(chromiumPrinter('/bin/true')(html, path.join(dir, 'x.pdf'))).rejects.toThrow(/wrote no PDF \(exit code 0\)/);
    expect(existsSync(path.join(dir, 'x.pdf'))).toBe(false);
  }, 30_000);
});

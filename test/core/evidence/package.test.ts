import { mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalize } from '../../../core/primitives/canonical-json';
import { IN_TOTO_PAYLOAD_TYPE, parseEnvelope, serializeEnvelope, signEnvelope } from '../../../core/evidence/dsse';
import { EvidenceError } from '../../../core/primitives/errors';
import { sha256Hex } from '../../../core/primitives/hash';
import { exportPrivateKeyPem, generateSigningKey } from '../../../core/evidence/keys';
import {
  ENVELOPE_FILE,
  FINGERPRINT_FILE,
  MANIFEST_FILE,
  PUBLIC_KEY_FILE,
  signPackage,
  verifyPackage,
  writeManifest,
} from '../../../core/evidence/package';
import type { PackageVerification } from '../../../core/evidence/package';
import { buildStatement, EVIDENCE_PREDICATE_TYPE, IN_TOTO_STATEMENT_TYPE, parseStatement, statementBytes } from '../../../core/evidence/statement';

const keyA = generateSigningKey();
const keyB = generateSigningKey();
const PREDICATE = { tool: 'sentry-harden', version: '0.1.0', org: 'acme', generatedAt: '2026-01-01T00:00:00Z' };

const CONTENT: Record<string, string> = {
  'report.json': '{"org":"acme","findings":[{"control":"1.1","status":"pass"}]}\n',
  'raw/0001-organizations-acme.json': '{"slug":"acme","require2FA":true}',
  'raw/0002-project-keys.json': '[{"id":"abc","public":"abc","secret":"[redacted]"}]',
  'report.html': '<!doctype html><title>Report</title><p>All good</p>\n',
  'findings.csv': 'control,check,status\n1.1,1.1.require-2fa,pass\n',
};

let root = '';
let dir = '';
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'sh-pkg-'));
  dir = path.join(root, 'package');
  await writeFiles(dir, CONTENT);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeFiles(base: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(base, rel)), { recursive: true });
    await writeFile(path.join(base, rel), text);
  }
}

async function flipByte(rel: string, at?: number): Promise<void> {
  const file = path.join(dir, rel);
  const data = await readFile(file);
  const i = at ?? Math.floor(data.length / 2);
  data[i] = (data[i] ?? 0) ^ 0x01;
  await writeFile(file, data);
}

function failing(result: PackageVerification): string[] {
  return result.files.filter((f) => !f.ok).map((f) => f.path);
}

describe('signPackage', () => {
  it('writes the manifest, the key files and a DSSE envelope over an in-toto Statement', async () => {
    const signed = await signPackage(dir, keyA, PREDICATE);
    expect(signed.keyid).toBe(keyA.keyid);
    expect(signed.fingerprint).toBe(keyA.fingerprint);

    const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as { files: { path: string; sha256: string; size: number }[] };
    const paths = manifest.files.map((f) => f.path);
    expect(paths).toEqual([...Object.keys(CONTENT), PUBLIC_KEY_FILE, FINGERPRINT_FILE].sort());
    expect(paths).not.toContain(MANIFEST_FILE);
    expect(paths).not.toContain(ENVELOPE_FILE);
    for (const f of manifest.files) {
      const data = await readFile(path.join(dir, f.path));
      expect(f.sha256).toBe(sha256Hex(data));
      expect(f.size).toBe(data.length);
    }

    expect(await readFile(path.join(dir, PUBLIC_KEY_FILE), 'utf8')).toBe(keyA.publicKeyPem);
    expect(await readFile(path.join(dir, FINGERPRINT_FILE), 'utf8')).toBe(`${keyA.fingerprint}\nkeyid ${keyA.keyid}\n`);

    const envelopeText = await readFile(path.join(dir, ENVELOPE_FILE), 'utf8');
    const envelope = parseEnvelope(envelopeText);
    expect(envelope.payloadType).toBe(IN_TOTO_PAYLOAD_TYPE);
    expect(envelope.signatures.map((s) => s.keyid)).toEqual([keyA.keyid]);
    const payload = Buffer.from(envelope.payload, 'base64').toString('utf8');
    const statement = parseStatement(payload);
    expect(payload).toBe(canonicalize(statement));
    expect(statement._type).toBe(IN_TOTO_STATEMENT_TYPE);
    expect(statement.predicateType).toBe(EVIDENCE_PREDICATE_TYPE);
    expect(statement.predicate).toEqual(PREDICATE);
    expect(statement.subject.map((s) => s.name)).toEqual([...paths, MANIFEST_FILE].sort());
    const manifestSubject = statement.subject.find((s) => s.name === MANIFEST_FILE);
    expect(manifestSubject?.digest.sha256).toBe(sha256Hex(await readFile(path.join(dir, MANIFEST_FILE))));
  });

  it('accepts the key as a PEM string or a KeyObject', async () => {
    await signPackage(dir, exportPrivateKeyPem(keyA.privateKey), PREDICATE);
    expect((await verifyPackage(dir, { expectedPublicKeyPem: keyA.publicKeyPem })).valid).toBe(true);
    await signPackage(dir, keyB.privateKey, PREDICATE);
    expect((await verifyPackage(dir, { expectedPublicKeyPem: keyB.publicKeyPem })).valid).toBe(true);
  });

  it('refuses a missing folder and a symbolic link inside', async () => {
    await expect(signPackage(path.join(root, 'nope'), keyA, PREDICATE)).rejects.toThrow(/does not exist/);
    await symlink('/etc/hostname', path.join(dir, 'raw', 'link.json'));
    await expect(writeManifest(dir)).rejects.toThrow(/not regular files: raw\/link\.json/);
  });
});

describe('verifyPackage', () => {
  it('accepts an untouched package and says the key came from the package', async () => {
    await signPackage(dir, keyA, PREDICATE);
    const result = await verifyPackage(dir);
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.signature).toMatchObject({ ok: true, keyid: keyA.keyid, fingerprint: keyA.fingerprint, keySource: 'package', identityVerified: false, reason: null });
    expect(result.notes.join(' ')).toMatch(/not who signed them/);
    expect(result.notes.join(' ')).toContain(keyA.fingerprint);
    expect(result.files.every((f) => f.ok)).toBe(true);
    expect(result.files.map((f) => f.path)).toContain(ENVELOPE_FILE);
    expect(result.files.map((f) => f.path)).toContain('raw/0002-project-keys.json');
    expect(result.statement?.predicate).toEqual(PREDICATE);
  });

  it('verifies identity with the expected public key', async () => {
    await signPackage(dir, keyA, PREDICATE);
    const result = await verifyPackage(dir, { expectedPublicKeyPem: keyA.publicKeyPem });
    expect(result.valid).toBe(true);
    expect(result.signature).toMatchObject({ ok: true, keySource: 'expected', identityVerified: true });
    expect(result.notes).toEqual([]);
  });

  const kinds = ['report.json', 'raw/0002-project-keys.json', MANIFEST_FILE, ENVELOPE_FILE, 'report.html', 'findings.csv', PUBLIC_KEY_FILE, FINGERPRINT_FILE];
  it.each(kinds)('detects one changed byte in %s and names it', async (rel) => {
    await signPackage(dir, keyA, PREDICATE);
    await flipByte(rel);
    for (const options of [{}, { expectedPublicKeyPem: keyA.publicKeyPem }]) {
      const result = await verifyPackage(dir, options);
      expect(result.valid).toBe(false);
      expect(failing(result)).toContain(rel);
      expect(result.problems.some((p) => p.startsWith(`${rel}:`))).toBe(true);
    }
  });

  it('names only the changed file when a report byte changes', async () => {
    await signPackage(dir, keyA, PREDICATE);
    await flipByte('findings.csv', 0);
    const result = await verifyPackage(dir, { expectedPublicKeyPem: keyA.publicKeyPem });
    expect(failing(result)).toEqual(['findings.csv']);
    expect(result.signature.ok).toBe(true);
    expect(result.problems).toEqual([expect.stringMatching(/^findings\.csv: changed since signing \(SHA-256 [0-9a-f]{64}, signed [0-9a-f]{64}\)$/)]);
  });

  it('detects edits to the envelope that keep it valid JSON', async () => {
    await signPackage(dir, keyA, PREDICATE);
    const file = path.join(dir, ENVELOPE_FILE);
    const original = await readFile(file, 'utf8');
    const envelope = parseEnvelope(original);
    const edits = [
      JSON.stringify(JSON.parse(original), null, 2), // whitespace only
      serializeEnvelope({ ...envelope, signatures: [{ keyid: 'x', sig: envelope.signatures[0]?.sig ?? '' }] }),
      serializeEnvelope({ ...envelope, payloadType: 'application/json' }),
    ];
    for (const text of edits) {
      await writeFile(file, text);
      const result = await verifyPackage(dir);
      expect(result.valid).toBe(false);
      expect(failing(result)).toEqual([ENVELOPE_FILE]);
    }
  });

  it('detects a public key file replaced by another valid key', async () => {
    await signPackage(dir, keyA, PREDICATE);
    await writeFile(path.join(dir, PUBLIC_KEY_FILE), keyB.publicKeyPem);
    const result = await verifyPackage(dir);
    expect(result.valid).toBe(false);
    expect(result.signature.ok).toBe(false);
    expect(result.signature.reason).toMatch(/signing-key\.pub\.pem was replaced/);
    expect(failing(result)).toContain(PUBLIC_KEY_FILE);
    expect(result.problems.find((p) => p.startsWith(PUBLIC_KEY_FILE))).toMatch(/changed since signing/);
  });

  it('detects a package re-signed with another key when the expected key is given', async () => {
    await signPackage(dir, keyA, PREDICATE);
    await writeFile(path.join(dir, 'report.json'), '{"org":"acme","findings":[]}\n');
    await signPackage(dir, keyB, PREDICATE);
    // Without the expected key the forgery is internally consistent: only integrity is shown.
    const selfChecked = await verifyPackage(dir);
    expect(selfChecked.valid).toBe(true);
    expect(selfChecked.signature.identityVerified).toBe(false);
    expect(selfChecked.signature.fingerprint).toBe(keyB.fingerprint);

    const result = await verifyPackage(dir, { expectedPublicKeyPem: keyA.publicKeyPem });
    expect(result.valid).toBe(false);
    expect(result.signature.ok).toBe(false);
    expect(result.signature.fingerprint).toBe(keyA.fingerprint);
    expect(result.packageKey?.fingerprint).toBe(keyB.fingerprint);
    expect(result.signature.reason).toBe(
      `the package was signed by a different key (${keyB.fingerprint}) than the expected one (${keyA.fingerprint}): it was re-signed or comes from someone else`,
    );
    expect(failing(result)).toEqual([ENVELOPE_FILE, PUBLIC_KEY_FILE].sort());
    expect(result.statement).toBeNull();
  });

  it('reports files added after signing and files missing', async () => {
    await signPackage(dir, keyA, PREDICATE);
    await writeFile(path.join(dir, 'raw', 'extra.json'), '{}');
    await unlink(path.join(dir, 'raw', '0001-organizations-acme.json'));
    const result = await verifyPackage(dir, { expectedPublicKeyPem: keyA.publicKeyPem });
    expect(result.valid).toBe(false);
    expect(result.signature.ok).toBe(true);
    expect(result.problems).toEqual(
      expect.arrayContaining([
        'raw/0001-organizations-acme.json: missing (listed in the signed statement)',
        'raw/extra.json: not in the signed manifest (added after signing)',
      ]),
    );
    expect(failing(result).sort()).toEqual(['raw/0001-organizations-acme.json', 'raw/extra.json']);
  });

  it('fails desktop clutter like any unlisted file; --ignore-unlisted makes each a warning (issue 9)', async () => {
    await signPackage(dir, keyA, PREDICATE);
    await writeFile(path.join(dir, '.DS_Store'), 'x');
    await writeFile(path.join(dir, 'raw', 'Thumbs.db'), 'x');
    await mkdir(path.join(dir, '__MACOSX'), { recursive: true });
    await writeFile(path.join(dir, '__MACOSX', '._report.json'), 'x');
    const result = await verifyPackage(dir, { expectedPublicKeyPem: keyA.publicKeyPem });
    expect(result.valid).toBe(false);
    expect(failing(result).sort()).toEqual(['.DS_Store', '__MACOSX/._report.json', 'raw/Thumbs.db']);
    expect(result.problems).toContain('.DS_Store: not in the signed manifest (a desktop file added after signing)');
    const lenient = await verifyPackage(dir, { expectedPublicKeyPem: keyA.publicKeyPem, ignoreUnlisted: true });
    expect(lenient.valid).toBe(true);
    expect(lenient.warnings).toHaveLength(3);
    expect(lenient.warnings.join('\n')).toMatch(/raw\/Thumbs\.db: .*ignored because --ignore-unlisted was given/);
  });

  it('fails an unsigned package and a symbolic link', async () => {
    await signPackage(dir, keyA, PREDICATE);
    await symlink(path.join(dir, 'report.json'), path.join(dir, 'raw', 'link.json'));
    let result = await verifyPackage(dir);
    expect(result.problems).toContain('raw/link.json: not a regular file (a symbolic link or special file)');
    await unlink(path.join(dir, ENVELOPE_FILE));
    result = await verifyPackage(dir);
    expect(result.valid).toBe(false);
    expect(result.signature.ok).toBe(false);
    expect(failing(result)).toContain(ENVELOPE_FILE);
    expect(failing(result)).toContain('report.json');
  });

  it('refuses statement subjects that point outside the folder', async () => {
    await signPackage(dir, keyA, PREDICATE);
    await writeFile(path.join(root, 'outside.txt'), 'x');
    const statement = buildStatement(
      [{ name: '../outside.txt', digest: { sha256: sha256Hex('x') } }, { name: 'report.json', digest: { sha256: sha256Hex(CONTENT['report.json'] ?? '') } }],
      PREDICATE,
    );
    await writeFile(path.join(dir, ENVELOPE_FILE), serializeEnvelope(signEnvelope(statementBytes(statement), IN_TOTO_PAYLOAD_TYPE, keyA.privateKey)));
    const result = await verifyPackage(dir, { expectedPublicKeyPem: keyA.publicKeyPem });
    expect(result.valid).toBe(false);
    expect(result.problems.join('\n')).toMatch(/lists "\.\.\/outside\.txt", which cannot be a package file/);
    expect(result.files.map((f) => f.path)).not.toContain('../outside.txt');
  });

  it('throws for a missing folder or an expected key that is not Ed25519', async () => {
    await expect(verifyPackage(path.join(root, 'nope'))).rejects.toThrow(EvidenceError);
    await signPackage(dir, keyA, PREDICATE);
    await expect(verifyPackage(dir, { expectedPublicKeyPem: 'junk' })).rejects.toThrow(/The expected public key is not a readable PEM public key/);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
interface BuilderConfig {
  [key: string]: unknown;
  electronFuses: Record<string, boolean>;
  asar: boolean;
  asarUnpack: string[];
  files: string[];
  extraMetadata: { main: string };
  publish: null;
  linux: { target: string[] };
  mac: { target: string[]; hardenedRuntime: boolean; entitlements: string };
  win: { target: string[] };
  nsis: { allowElevation: boolean };
}
const config = load(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('validates against the schema electron-builder ships', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? [], ajv.errorsText(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
    // The schema check can fail: a misspelt key is refused.
    expect(validate({ ...config, electronFuse: {} })).toBe(false);
    expect(validate({ ...config, electronFuses: { runAsNod: false } })).toBe(false);
  });

  it('flips the fuses the security checklist asks for', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs into asar, unpacking only the native keychain module, and ships only the build', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(['node_modules/@napi-rs/keyring*/**']);
    expect(config.files).toEqual(['dist/**', 'package.json']);
    expect(config.extraMetadata.main).toMatch(/^dist\//);
    expect(config.publish).toBeNull();
  });

  it('builds AppImage and deb, a hardened-runtime dmg with its entitlements, and nsis', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.mac.hardenedRuntime).toBe(true);
    const entitlements = path.join(ROOT, config.mac.entitlements);
    expect(fs.existsSync(entitlements)).toBe(true);
    const plist = fs.readFileSync(entitlements, 'utf8');
    expect(plist).toContain('com.apple.security.cs.allow-jit');
    // Nothing that would undo the hardened runtime's protections.
    expect(plist).not.toMatch(/disable-library-validation|allow-dyld-environment-variables|disable-executable-page-protection/);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.nsis.allowElevation).toBe(false);
  });
});

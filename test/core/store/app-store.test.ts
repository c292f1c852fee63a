import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppStore } from '../../../core/store/index';
import {
  StoreError,
  appStoreOptions,
  createAppStore,
  findSecretLikeField,
  isSecretFieldName,
} from '../../../core/store/index';
import type { Profile } from '../../../shared/profile';
import { ProfileDraftSchema, ProfileSchema } from '../../../shared/profile';

const TOKEN = `sntryu_${'9f'.repeat(32)}`;
const dirs: string[] = [];

function tempStore(): AppStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-test-'));
  dirs.push(dir);
  return createAppStore({ cwd: dir });
}

afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const profile = (over: Partial<Profile> = {}): Profile => ({
  id: 'acme-prod',
  label: 'Acme (production)',
  baseUrl: 'https://sentry.io',
  orgSlug: 'acme',
  level: 'L2',
  createdAt: '2025-01-02T03:04:05.000Z',
  ...over,
});

describe('app store', () => {
  it('cuts a long label (a long organization name plus host) instead of refusing the connection (issue 9)', () => {
    const store = tempStore();
    const long = `${'Ünïcode Organization Name '.repeat(10)}😀 (sentry.very-long-self-hosted-host.example.com)`;
    expect(ProfileDraftSchema.safeParse({ label: long, baseUrl: 'https://sentry.io', orgSlug: 'acme', level: 'L1' }).success).toBe(true);
    const saved = store.saveProfile(profile({ label: long }));
    expect([...saved.label]).toHaveLength(120);
    expect(saved.label.endsWith('…')).toBe(true);
    expect(long.startsWith(saved.label.slice(0, -1))).toBe(true);
    expect(store.getProfile('acme-prod')?.label).toBe(saved.label);
  });

  it('round-trips profiles, wizard progress, registers and settings through the file', () => {
    const store = tempStore();
    store.saveProfile(profile());
    store.saveProfile(profile({ id: 'globex', label: 'Globex', baseUrl: 'https://sentry.globex.example', orgSlug: 'globex', caFile: '/etc/ca.pem' }));
    store.saveWizardProgress('acme-prod', { step: 'audit', completed: ['connect', 'scope'], updatedAt: '2025-01-02T03:04:05.000Z' });
    store.saveRegisters('globex', {
      exceptions: [{ id: 'e1', control: '3.2', reason: 'Legacy SDK needs it', approvedBy: 'CISO', createdAt: '2025-01-02T03:04:05.000Z' }],
      integrationRegister: [{ integration: 'github', permissions: ['Contents: read'], rationale: 'Suspect commits', owner: 'platform', lastReviewed: '2025-01-01' }],
      attestations: [{ id: 'a1', control: '4.1', statement: 'Audit log exported weekly', attestedBy: 'SecOps', attestedAt: '2025-01-02T03:04:05.000Z' }],
    });
    store.saveSettings({ lastProfileId: 'globex', audit: { maxOwners: 3 } });

    // A second store on the same folder reads what the first wrote.
    const again = createAppStore({ cwd: path.dirname(store.path) });
    expect(again.listProfiles().map((p) => p.id)).toEqual(['acme-prod', 'globex']);
    expect(again.getProfile('globex')?.caFile).toBe('/etc/ca.pem');
    expect(again.getWizardProgress('acme-prod')?.completed).toEqual(['connect', 'scope']);
    expect(again.getRegisters('globex').exceptions[0]?.reason).toBe('Legacy SDK needs it');
    expect(again.getRegisters('acme-prod')).toEqual({ exceptions: [], integrationRegister: [], attestations: [] });
    expect(again.getSettings()).toEqual({ lastProfileId: 'globex', audit: { maxOwners: 3 } });
    // Updating by id replaces, it does not add.
    again.saveProfile(profile({ label: 'Acme renamed' }));
    expect(again.listProfiles()).toHaveLength(2);
    expect(again.getProfile('acme-prod')?.label).toBe('Acme renamed');
  });

  it('writes the file readable by its owner only', () => {
    const store = tempStore();
    store.saveProfile(profile());
    if (process.platform !== 'win32') expect(fs.statSync(store.path).mode & 0o777).toBe(0o600);
  });

  it('refuses a token field on a profile, and the file never sees it', () => {
    const store = tempStore();
    store.saveProfile(profile());
    const before = fs.readFileSync(store.path, 'utf8');
    const withToken = { ...profile({ id: 'evil' }), token: TOKEN } as Profile;
    expect(() => store.saveProfile(withToken)).toThrow(StoreError);
    expect(() => store.saveProfile(withToken)).toThrow(/Unrecognized key: "token"/);
    expect(() => store.saveProfile({ ...profile({ id: 'evil2' }), authToken: 'x' } as Profile)).toThrow(/authToken/);
    expect(fs.readFileSync(store.path, 'utf8')).toBe(before);
    expect(fs.readFileSync(store.path, 'utf8')).not.toContain(TOKEN);
  });

  it('refuses a Sentry token pasted into a declared text field', () => {
    const store = tempStore();
    store.saveProfile(profile());
    expect(() => store.saveProfile(profile({ id: 'p2', label: `token ${TOKEN}` }))).toThrow(/profiles\.1\.label" looks like a credential/);
    expect(() =>
      store.saveRegisters('acme-prod', {
        exceptions: [{ id: 'e1', control: '3.2', reason: `use ${TOKEN}`, approvedBy: 'me', createdAt: '2025-01-02T03:04:05.000Z' }],
        integrationRegister: [],
        attestations: [],
      }),
    ).toThrow(StoreError);
    const onDisk = fs.readFileSync(store.path, 'utf8');
    expect(onDisk).not.toContain(TOKEN);
    expect(onDisk).not.toContain('sntryu_');
  });

  it('has a second gate: conf itself rejects a token field written around the store', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-test-'));
    dirs.push(dir);
    const conf = new Conf({ ...appStoreOptions(), cwd: dir, configName: 'settings' });
    expect(() => conf.set('profiles', [{ ...profile(), token: TOKEN }])).toThrow(/must NOT have additional properties/);
    expect(() => conf.set('apiToken', TOKEN)).toThrow();
    expect(fs.existsSync(conf.path) ? fs.readFileSync(conf.path, 'utf8') : '').not.toContain(TOKEN);
  });

  it('validates the rest of the shape too', () => {
    const store = tempStore();
    expect(() => store.saveProfile(profile({ baseUrl: 'ftp://sentry.io' }))).toThrow(/baseUrl/);
    expect(() => store.saveProfile(profile({ id: '../x' }))).toThrow(/id/);
    expect(() => store.saveWizardProgress('nobody', { step: 'audit', completed: [], updatedAt: '2025-01-02T03:04:05.000Z' })).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
  });

  it('deletes a profile with its wizard progress and registers', () => {
    const store = tempStore();
    store.saveProfile(profile());
    store.saveWizardProgress('acme-prod', { step: 'fix', completed: [], updatedAt: '2025-01-02T03:04:05.000Z' });
    store.saveSettings({ lastProfileId: 'acme-prod' });
    expect(store.deleteProfile('acme-prod')).toBe(true);
    expect(store.deleteProfile('acme-prod')).toBe(false);
    expect(store.getWizardProgress('acme-prod')).toBeNull();
    expect(store.getSettings().lastProfileId).toBeNull();
    expect(JSON.parse(fs.readFileSync(store.path, 'utf8')).wizard).toEqual({});
  });

  it('does not mistake Object.prototype members for saved data', () => {
    const store = tempStore();
    expect(store.getWizardProgress('constructor')).toBeNull();
    expect(store.getRegisters('constructor')).toEqual({ exceptions: [], integrationRegister: [], attestations: [] });
    expect(store.clearWizardProgress('constructor')).toBe(false);
  });

  it('leaves a damaged file alone and says so', () => {
    const store = tempStore();
    store.saveProfile(profile());
    const data = JSON.parse(fs.readFileSync(store.path, 'utf8'));
    data.profiles[0].level = 'L9';
    fs.writeFileSync(store.path, JSON.stringify(data));
    expect(() => createAppStore({ cwd: path.dirname(store.path) })).toThrow(expect.objectContaining({ code: 'internal' }));
    expect(JSON.parse(fs.readFileSync(store.path, 'utf8')).profiles[0].level).toBe('L9');
  });
});

describe('profile schemas', () => {
  it('are strict: unknown fields are refused, drafts included', () => {
    expect(ProfileSchema.safeParse({ ...profile(), token: 'x' }).success).toBe(false);
    const { id: _id, createdAt: _c, ...draft } = profile();
    expect(ProfileDraftSchema.safeParse(draft).success).toBe(true);
    expect(ProfileDraftSchema.safeParse({ ...draft, token: 'x' }).success).toBe(false);
  });
});

describe('secret guard', () => {
  it('recognizes credential field names but not look-alikes', () => {
    for (const n of ['token', 'authToken', 'auth_token', 'clientSecret', 'password', 'apiKey', 'api-key', 'authorization', 'credentials']) {
      expect(isSecretFieldName(n), n).toBe(true);
    }
    for (const n of ['orgAuthTokenStaleDays', 'tokenHint', 'tokens', 'secretary', 'keyRotationDays', 'label']) {
      expect(isSecretFieldName(n), n).toBe(false);
    }
  });

  it('finds nested fields and token-shaped values, and lets booleans through', () => {
    expect(findSecretLikeField({ a: [{ b: { password: 'x' } }] })).toBe('a.0.b.password');
    expect(findSecretLikeField({ a: ['ok', `x ${TOKEN}`] })).toBe('a.1');
    expect(findSecretLikeField({ hasToken: true, n: 3, s: 'fine' })).toBeNull();
  });
});

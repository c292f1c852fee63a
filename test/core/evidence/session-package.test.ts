import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUDIT_SETTINGS } from '../../../core/controls/index';
import { exportPrivateKeyPem, generateSigningKey } from '../../../core/evidence/keys';
import { mergeAuditSettings, sessionKeyChooser, writeSessionPackage } from '../../../core/evidence/session-package';
import { createKeychain } from '../../../core/secrets/keychain';
import { emptyRegisters } from '../../../core/store/index';
import type { ReviewSchedule } from '../../../shared/settings';
import { auditDemo, withDemoSimulator } from '../../helpers/demo-audit';
import { tempDirs } from '../../helpers/evidence';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

describe('mergeAuditSettings', () => {
  it('lays the overrides over the defaults, and an override left undefined keeps the default', () => {
    expect(mergeAuditSettings({ maxOwners: 7, keyRotationDays: undefined })).toEqual({ ...DEFAULT_AUDIT_SETTINGS, maxOwners: 7 });
    expect(mergeAuditSettings(undefined)).toEqual(DEFAULT_AUDIT_SETTINGS);
    expect(mergeAuditSettings({ keyRotationDays: undefined }).keyRotationDays).toBe(DEFAULT_AUDIT_SETTINGS.keyRotationDays);
  });
});

describe('sessionKeyChooser', () => {
  it('takes the PEM it is given, and without any key source writes unsigned only when told to', async () => {
    const key = generateSigningKey();
    const fromEnv = await sessionKeyChooser({ keyPem: exportPrivateKeyPem(key.privateKey), withoutKeychain: 'unsigned' })();
    expect(fromEnv).toMatchObject({ source: 'env', key: { fingerprint: key.fingerprint } });
    expect(await sessionKeyChooser({ withoutKeychain: 'unsigned' })()).toMatchObject({ key: null, source: 'none' });
    await expect(sessionKeyChooser({ withoutKeychain: 'refuse' })()).rejects.toThrow(/No signing key/);
  });

  it('signs demo sessions with one throwaway key when no keychain is reachable', async (ctx) => {
    if (process.env.DBUS_SESSION_BUS_ADDRESS) {
      console.log('throwaway-key test skipped: a keychain is reachable here (DBUS_SESSION_BUS_ADDRESS is set)');
      ctx.skip();
    }
    const keychain = () => createKeychain({ service: 'sentry-harden-session-package-test' });
    const choose = sessionKeyChooser({ keychain, withoutKeychain: 'throwaway' });
    const first = await choose();
    const second = await choose();
    expect(first).toMatchObject({ source: 'throwaway', created: true });
    expect(second).toMatchObject({ source: 'throwaway', created: false });
    expect(second.key?.fingerprint).toBe(first.key?.fingerprint);
    await expect(sessionKeyChooser({ keychain, withoutKeychain: 'refuse' })()).rejects.toMatchObject({ code: 'keychain_unavailable' });
  });
});

describe('writeSessionPackage', () => {
  it('writes the package and its zip, and records the review it sets', async () => {
    const key = generateSigningKey();
    const out = path.join(dirs.make('session-package-'), 'pkg');
    const reviews: ReviewSchedule[] = [];
    const audit = await withDemoSimulator({}, (sim) => auditDemo(sim));
    const { written, zip } = await writeSessionPackage(
      out,
      { final: audit, before: null, changes: [], registers: emptyRegisters(), settings: DEFAULT_AUDIT_SETTINGS },
      { key: { key, source: 'env', created: false }, forbidden: ['not-in-any-file'], zip: true, saveReview: (r) => reviews.push(r) },
    );
    expect(written.fingerprint).toBe(key.fingerprint);
    expect(zip).toBe(`${written.path}.zip`);
    expect(readFileSync(zip ?? '').subarray(0, 2).toString('latin1')).toBe('PK');
    expect(reviews).toEqual([{ nextReviewDate: written.report.review.nextReviewDate, lastSessionAt: written.report.finishedAt, lastPackage: written.path, signedBy: key.fingerprint }]);
  });
});

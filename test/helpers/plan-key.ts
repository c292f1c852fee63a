import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportPrivateKeyPem, generateSigningKey, type SigningKey } from '../../core/evidence/keys';

/** A fresh Ed25519 key written as a PKCS#8 PEM file (0600) in `dir`: the `--sign-key` of a test. */
export function writeSigningKeyFile(dir: string, name = 'signing-key.pem'): { key: SigningKey; file: string } {
  const key = generateSigningKey();
  const file = path.join(dir, name);
  writeFileSync(file, exportPrivateKeyPem(key.privateKey), { mode: 0o600 });
  return { key, file };
}

import { createHash } from 'node:crypto';

/**
 * OSCAL wants a UUID (version 4 or 5) on almost every object. Random ones would make the file
 * differ on every write, so verify could not re-render it and two exports of one package would
 * not compare; these are name-based (RFC 4122 version 5 layout over SHA-256, truncated), derived
 * from the package's identity and the object's own key.
 */
export function stableUuid(namespace: string, name: string): string {
  const h = createHash('sha256').update(namespace).update('\u0000').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * NIST SP 800-53 identifiers as the catalog writes them (`AC-6(5)`, `IA-2(1)`, `AU-6`) to the
 * OSCAL control-id form of NIST's published catalog (`ac-6.5`, `ia-2.1`, `au-6`). Anything that
 * does not look like an 800-53 id yields null, so a typo never becomes a bogus control.
 */
export function nistControlId(catalogId: string): string | null {
  const m = /^([A-Za-z]{2})-(\d{1,2})(?:\s*\((\d{1,2})\))?$/.exec(catalogId.trim());
  if (!m) return null;
  return `${m[1]!.toLowerCase()}-${Number(m[2])}${m[3] ? `.${Number(m[3])}` : ''}`;
}

/** OSCAL tokens (ids, prop names) allow letters, digits, `.`, `-`, `_`, starting with a letter or `_`. */
export function oscalToken(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

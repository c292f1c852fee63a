// The evidence primitives: canonical JSON, DSSE/in-toto signing, keys, redaction, packages, zip.
export { canonicalBytes, canonicalize, canonicalizeText } from '../primitives/canonical-json';
export type { JsonValue } from '../primitives/canonical-json';
export { IN_TOTO_PAYLOAD_TYPE, pae, parseEnvelope, serializeEnvelope, signEnvelope, verifyEnvelope } from './dsse';
export type { DsseEnvelope, DsseSignature, DsseVerification } from './dsse';
export { EvidenceError, isEvidenceError } from '../primitives/errors';
export { sha256Hex } from '../primitives/hash';
export {
  exportPrivateKeyPem,
  exportPublicKeyPem,
  generateSigningKey,
  getOrCreateSigningKey,
  importPrivateKeyPem,
  importPublicKeyPem,
  keyIds,
  loadPrivateKeyFile,
  signingKeyFromPrivateKey,
} from './keys';
export type { KeyIds, KeyStore, SigningKey } from './keys';
export {
  ENVELOPE_FILE,
  FINGERPRINT_FILE,
  fingerprintFileText,
  MANIFEST_FILE,
  PUBLIC_KEY_FILE,
  signPackage,
  unzipPackage,
  verifyPackage,
  verifyZipPackage,
  writeManifest,
  zipPackage,
} from './package';
export type { FileCheck, Manifest, ManifestEntry, PackageVerification, SignedPackage } from './package';
export { isSecretKeyName, REDACTED, redactJsonValue, redactResponseBody, redactText } from '../primitives/redact';
export type { RedactionResult } from '../primitives/redact';
export { buildStatement, EVIDENCE_PREDICATE_TYPE, IN_TOTO_STATEMENT_TYPE, parseStatement, statementBytes } from './statement';
export type { InTotoStatement, StatementSubject } from './statement';
export { createZip, crc32, readZip, unsafePathReason } from './zip';
export type { ReadZipLimits, ZipEntry, ZipEntryInput } from './zip';
// The evidence package: building, signing, verifying, registers, drift.
export { catalogIdentity, catalogMetadata } from './catalog-digest';
export type { CatalogIdentity } from './catalog-digest';
export { changeRecordsFromJournal, changeRecordsFromJournals } from './changes';
export { catalogTexts } from './catalog-texts';
export { computeDrift, loadBaselinePackage } from './drift';
export type { BaselinePackage } from './drift';
export { CSV_FILE, HTML_FILE, ICS_FILE, isPackageFile, openPackage, RAW_DIR, rawFileName, REPORT_FILE } from './package-files';
export type { OpenedPackage } from './package-files';
export { compareFindings, recomputeAudit } from './recompute';
export type { RecomputeInput, RecomputedAudit } from './recompute';
export { applyExceptions, exceptionMatches, findingKey, isExceptionActive, mergeRegisters, readRegistersFile } from './registers';
export type { ExceptionLayer } from './registers';
export { chooseSigningKey, keychainKeyStore, resolveSigningKey, SIGNING_KEY_ACCOUNT, SIGNING_KEY_ENV, SIGNING_KEY_SERVICE } from './signing-key';
export type { ResolvedSigningKey, SigningKeyChoice } from './signing-key';
export { verifyEvidencePackage } from './verify';
export type { EvidenceVerification } from './verify';
export { buildEvidenceReport, DEFAULT_RENDERERS, DEFAULT_REVIEW_INTERVAL_DAYS, EVIDENCE_KIND, writeEvidencePackage } from './writer';
export type { EvidenceInput, PackageAudit, PackageRenderers, WritePackageOptions, WrittenPackage } from './writer';

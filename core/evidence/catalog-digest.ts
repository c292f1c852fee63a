import { CONTROLS } from '../controls/index';
import type { ControlDefinition } from '../controls/types';
import { TOOL_VERSION } from '../engine/report';
import { canonicalize } from '../primitives/canonical-json';
import { sha256Hex } from '../primitives/hash';

/**
 * What identifies the control catalog a verdict came from: the catalog ships with the tool, so its
 * version is the tool's; the digest pins the exact catalog (a patched build with another mapping or
 * another check shows a different digest even under the same version number).
 */
export interface CatalogIdentity {
  readonly version: string;
  /** SHA-256 (hex) of the RFC 8785 canonical JSON of `catalogMetadata(controls)`. */
  readonly digest: string;
}

/**
 * The metadata the digest covers: per control its id, title, section, level and framework
 * mappings, and per check its id, title and level, in catalog order. Prose meant for people
 * (rationale, manual steps) is left out, so a reworded sentence does not look like a new catalog.
 */
export function catalogMetadata(controls: readonly ControlDefinition[] = CONTROLS): unknown {
  return controls.map((c) => ({
    id: c.id,
    title: c.title,
    section: c.section,
    level: c.level,
    mappings: { cis: [...c.mappings.cis], nist: [...c.mappings.nist], soc2: [...c.mappings.soc2] },
    checks: c.checks.map((k) => ({ id: k.id, title: k.title, level: k.level })),
  }));
}

export function catalogIdentity(controls: readonly ControlDefinition[] = CONTROLS): CatalogIdentity {
  return { version: TOOL_VERSION, digest: sha256Hex(canonicalize(catalogMetadata(controls))) };
}

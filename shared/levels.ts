import { z } from 'zod';

/** Profile levels of the hardening guide; each level includes the ones below it. */
export const LevelSchema = z.enum(['L1', 'L2', 'L3']);
export type Level = z.infer<typeof LevelSchema>;

/**
 * The one name of each level, used by every front, the report and the docs ("L3 Strict", never
 * "maximum" somewhere else).
 */
export const LEVEL_NAMES: Readonly<Record<Level, string>> = { L1: 'Baseline', L2: 'Hardened', L3: 'Strict' };

/** `L2 Hardened`: the id with its name, as people read it. */
export function levelLabel(level: Level): string {
  return `${level} ${LEVEL_NAMES[level]}`;
}

const rank: Record<Level, number> = { L1: 1, L2: 2, L3: 3 };

/** True when a check of level `checkLevel` is part of an audit at `auditLevel`. */
export function levelIncludes(auditLevel: Level, checkLevel: Level): boolean {
  return rank[checkLevel] <= rank[auditLevel];
}

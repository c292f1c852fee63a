import { z } from 'zod';

/** Profile levels of the hardening guide; each level includes the ones below it. */
export const LevelSchema = z.enum(['L1', 'L2', 'L3']);
export type Level = z.infer<typeof LevelSchema>;

const rank: Record<Level, number> = { L1: 1, L2: 2, L3: 3 };

/** True when a check of level `checkLevel` is part of an audit at `auditLevel`. */
export function levelIncludes(auditLevel: Level, checkLevel: Level): boolean {
  return rank[checkLevel] <= rank[auditLevel];
}

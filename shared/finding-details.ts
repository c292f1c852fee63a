import { z } from 'zod';

/**
 * Shapes of `Finding.details` that readers show as more than key and value. Controls build them
 * with these types; a reader checks a finding's details against the schema before it draws a
 * table, so a finding without them (an older report) simply shows its details as they are.
 */

/** One security-relevant audit-log entry as control 4.1 copies it (`details.recent`). */
export const AuditEventSampleSchema = z.object({
  date: z.string(),
  event: z.string(),
  actor: z.string().nullable(),
  /** Whom or what the event is about (the target user, else the member, key, project ... its data names). */
  target: z.string().nullable().optional(),
  note: z.string().nullable(),
});
export type AuditEventSample = z.infer<typeof AuditEventSampleSchema>;

/** 4.1's `security-events` details: how many such events the newest page holds, and the entries. */
export const AuditEventsDetailsSchema = z.object({
  securityEvents: z.number().int().nonnegative(),
  recent: z.array(AuditEventSampleSchema),
});
export type AuditEventsDetails = z.infer<typeof AuditEventsDetailsSchema>;

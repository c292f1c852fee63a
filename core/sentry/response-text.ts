import type { z } from 'zod';
import type { EvidencePage } from '../../shared/finding';
import type { ResponseRecord } from './transport';

// What the client reads out of Sentry's answers for its messages: bounded text, `detail`, field
// errors, the schema problem, the 404 wording; and the evidence page of a recorded response.

export function zodProblem(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return shown.join('; ') + more;
}

/** Text Sentry sent that may appear in a message: bounded, single line. */
export function cleanText(s: string): string {
  const oneLine = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine;
}

export function parseJsonSafe(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Sentry's `detail`, as a string or the message of a structured detail. */
export function detailOf(body: unknown): string | undefined {
  if (typeof body === 'string') return cleanText(body);
  if (typeof body !== 'object' || body === null) return undefined;
  const detail = (body as { detail?: unknown }).detail;
  if (typeof detail === 'string') return cleanText(detail);
  if (typeof detail === 'object' && detail !== null) {
    const message = (detail as { message?: unknown }).message;
    if (typeof message === 'string') return cleanText(message);
  }
  return undefined;
}

/** A DRF validation body `{field: ["msg", ...]}` as field messages (nested ones flattened). */
export function fieldErrorsOf(body: unknown): Record<string, string[]> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const out: Record<string, string[]> = {};
  const collect = (value: unknown, into: string[]): void => {
    if (typeof value === 'string') into.push(cleanText(value));
    else if (Array.isArray(value)) for (const v of value) collect(v, into);
    else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) collect(v, into);
  };
  for (const [field, value] of Object.entries(body as Record<string, unknown>)) {
    if (field === 'detail' && typeof value === 'string') continue;
    const messages: string[] = [];
    collect(value, messages);
    if (messages.length > 0) out[field] = messages;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function evidencePage(record: ResponseRecord, items: number): EvidencePage {
  return { url: record.url, status: record.status, sha256: record.sha256, items, fetchedAt: record.fetchedAt };
}

export function safeDecode(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return segment ?? '';
  }
}

export function stripEndpoint(message: string, endpoint: string): string {
  return message.startsWith(`${endpoint}: `) ? message.slice(endpoint.length + 2) : message;
}

export function notFoundText(path: string): string {
  const org = /^\/api\/0\/organizations\/([^/]+)\/$/.exec(path);
  if (org) return `organization "${safeDecode(org[1])}" not found or not visible to this token.`;
  const project = /^\/api\/0\/projects\/([^/]+)\/([^/]+)\//.exec(path);
  if (project) {
    return `not found (404): project "${safeDecode(project[2])}" of organization "${safeDecode(project[1])}", or the object asked for, does not exist or is not visible to this token.`;
  }
  const orgScoped = /^\/api\/0\/(?:organizations|teams)\/([^/]+)\//.exec(path);
  if (orgScoped) {
    return `not found (404): organization "${safeDecode(orgScoped[1])}", or the object asked for, does not exist or is not visible to this token.`;
  }
  return 'not found (404).';
}

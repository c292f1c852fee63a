import { z } from 'zod';
import type { ProjectKey, ProjectSummary } from '../sentry/schemas';
import type { FixContext } from './types';
import { FixParamError } from './types';

export interface KeyWithProject {
  readonly key: ProjectKey;
  readonly project: ProjectSummary;
}

/** Every client key with its project (the org-wide key list names projects by numeric id). */
export async function keysWithProjects(ctx: FixContext, _fix: string): Promise<KeyWithProject[]> {
  const [keys, projects] = await Promise.all([ctx.data.projectKeys(), ctx.data.projects()]);
  if (!keys.ok) throw new FixParamError(`cannot list the organization's client keys (${keys.error.message})`);
  if (!projects.ok) throw new FixParamError(`cannot list the organization's projects (${projects.error.message})`);
  const byId = new Map(projects.value.map((p) => [p.id, p]));
  return keys.value.flatMap((key) => {
    const project = byId.get(String(key.projectId));
    return project ? [{ key, project }] : [];
  });
}

export function findKey(all: readonly KeyWithProject[], publicKey: string, param: string): KeyWithProject {
  const hit = all.find((k) => k.key.public === publicKey || k.key.id === publicKey);
  if (!hit) throw new FixParamError(`no client key ${publicKey} in this organization`, param);
  return hit;
}

export function keyLabel(k: KeyWithProject): string {
  return `${k.key.name} (${k.project.slug}, ${k.key.public.slice(0, 8)}…)`;
}

/** The echoed field in a rule's after-values. */
export const SDK_ECHO = { browserSdkVersion: z.string().max(100).optional() };

/** A key PUT resets browserSdkVersion when it is missing (REFERENCE.md 6): it is always echoed. */
export function sdkEcho(k: KeyWithProject): Record<string, string> {
  return k.key.browserSdkVersion === undefined ? {} : { browserSdkVersion: k.key.browserSdkVersion };
}

import { apiPath } from '../sentry/client';
import { SentryApiError } from '../sentry/errors';
import type { Evidence, ResourceRef } from '../../shared/finding';
import type { ProjectKey, ProjectSummary } from '../sentry/schemas';
import type { CheckDefinition, ControlDefinition } from './types';
import { ageInDays, orgRef, plural, projectRef, readGroup, recorder } from './findings';
import { readProjectDetails } from './project-data';

const ID = '3.2';

const CHECKS = {
  rateLimit: { id: '3.2.rate-limit', title: 'Every active client key is rate-limited', level: 'L1', fields: ['name', 'public', 'isActive', 'rateLimit'] },
  singleKey: { id: '3.2.single-active-key', title: 'One active client key per project', level: 'L1', fields: ['name', 'projectId', 'isActive'] },
  allowedDomains: { id: '3.2.allowed-domains', title: 'Projects accept events only from their own origins', level: 'L1', fields: ['slug', 'allowedDomains'] },
  keyAge: { id: '3.2.key-age', title: 'Client keys are rotated', level: 'L2', fields: ['name', 'isActive', 'dateCreated'] },
} as const satisfies Record<string, CheckDefinition>;

export const dsnSecurity: ControlDefinition = {
  id: ID,
  title: 'Protect client keys (DSNs)',
  section: '3',
  level: 'L1',
  mappings: { cis: ['3.11'], nist: ['SC-12'], soc2: ['CC6.7'] },
  rationale:
    'A DSN is public by design once it ships in a web or mobile app, so anyone can send events with it. ' +
    'Rate limits and allowed origins keep a leaked DSN from flooding the quota or planting fake events; ' +
    'one key per project and regular rotation keep it clear which key to revoke when one is abused.',
  manualSteps: [
    'In each project\'s Settings > Client Keys (DSN), give every active key a rate limit suited to its normal traffic.',
    'Disable keys no application uses, so each project keeps one active key (or one per documented deployment).',
    'In Settings > Security & Privacy of browser projects, replace "*" in Allowed Domains with the sites that run the SDK.',
    'Rotate a key by creating a new one, deploying it, then disabling the old key; do it yearly and after any leak.',
    'Set spike protection and alerts on unusual event volume.',
  ],
  requiredScopes: [['org:read', 'org:write', 'org:admin'], ['project:read', 'project:write', 'project:admin']],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    const [org, projects, keys] = await Promise.all([ctx.data.organization(), ctx.data.projects(), ctx.data.projectKeys()]);
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);
    const keyChecks = [CHECKS.rateLimit, CHECKS.singleKey, ...(r.wants(CHECKS.keyAge) ? [CHECKS.keyAge] : [])];

    const projectById = new Map<string, ProjectSummary>();
    if (projects.ok) for (const p of projects.value) projectById.set(p.id, p);
    const projectOf = (k: ProjectKey) => projectById.get(String(k.projectId));
    const keyRef = (k: ProjectKey): ResourceRef => ({
      type: 'key',
      id: k.public,
      name: `${k.name} (${projectOf(k)?.slug ?? `project ${k.projectId}`})`,
    });

    // The org-wide key list silently leaves out projects the token's user cannot open: their keys
    // are unseen, so no key check may pass while such a project exists.
    const hidden = projects.ok ? projects.value.filter((p) => p.hasAccess === false) : [];
    if (!projects.ok) {
      for (const check of keyChecks) r.error(check, orgRes, projects, 'projects');
    } else if (!keys.ok) {
      for (const check of keyChecks) r.error(check, orgRes, keys, 'projectKeys');
    } else if (hidden.length > 0) {
      for (const p of hidden) {
        const endpoint = `GET ${apiPath`/api/0/projects/${r.orgSlug}/${p.slug}/keys/`}`;
        const failure = {
          ok: false as const,
          error: new SentryApiError({
            code: 'forbidden',
            endpoint,
            message: `${endpoint}: the token's user cannot open project "${p.slug}", so its keys are missing from the organization's key list (use an owner or manager token)`,
          }),
        };
        for (const check of keyChecks) r.error(check, projectRef(p), failure, 'projectKeys', { evidence: [projects.evidence, keys.evidence] });
      }
    } else {
      // Key verdicts rest on the key list, and on the project list for the projects whose keys
      // it would hide: an item of either that did not validate is an error of its own, and no
      // verdict about all keys is given while one is unseen.
      const ev: Evidence[] = [keys.evidence, projects.evidence];
      const unseen =
        r.invalidItems(keyChecks, keys.evidence, 'projectKeys') +
        r.invalidItems(keyChecks, projects.evidence, 'projects');
      const active = keys.value.filter((k) => k.isActive);
      if (active.length === 0) {
        if (unseen === 0) for (const check of keyChecks) r.notApplicable(check, orgRes, 'No project has an active client key.', ev);
      } else {
        // A key without the field says nothing about its limit: an error naming the field.
        const noField = active.filter((k) => k.rateLimit === undefined);
        for (const k of noField) r.missingField(CHECKS.rateLimit, keyRef(k), 'rateLimit', keys.evidence);
        const unlimited = active.filter((k) => k.rateLimit === null);
        for (const k of unlimited) {
          r.fail(CHECKS.rateLimit, keyRef(k), `Client key ${keyRef(k).name} accepts events without any rate limit.`, ev, {
            projectId: k.projectId,
            rateLimit: null,
          });
        }
        if (unlimited.length === 0 && noField.length === 0 && unseen === 0) {
          r.pass(CHECKS.rateLimit, orgRes, `All ${plural(active.length, 'active client key')} are rate-limited.`, ev);
        }

        const byProject = new Map<number, ProjectKey[]>();
        for (const k of active) byProject.set(k.projectId, [...(byProject.get(k.projectId) ?? []), k]);
        let crowded = 0;
        for (const [projectId, list] of byProject) {
          if (list.length < 2) continue;
          crowded += 1;
          const p = projectById.get(String(projectId));
          const res: ResourceRef = p ? projectRef(p) : { type: 'project', id: String(projectId), name: `project ${projectId}` };
          r.fail(CHECKS.singleKey, res, `Project "${res.id}" has ${list.length} active client keys; disable those no application uses.`, ev, {
            keys: list.map((k) => ({ public: k.public, name: k.name })),
          });
        }
        if (crowded === 0 && unseen === 0) r.pass(CHECKS.singleKey, orgRes, `Each of ${plural(byProject.size, 'project')} has a single active client key.`, ev);

        if (r.wants(CHECKS.keyAge)) {
          const limit = ctx.settings.keyRotationDays;
          let old = 0;
          for (const k of active) {
            const age = ageInDays(k.dateCreated, ctx.now);
            if (k.dateCreated === undefined) {
              old += 1;
              r.missingField(CHECKS.keyAge, keyRef(k), 'dateCreated', keys.evidence);
            } else if (age === null) {
              old += 1;
              r.manual(CHECKS.keyAge, keyRef(k), `Sentry does not know when key ${keyRef(k).name} was created; check when it was last replaced.`, ev);
            } else if (age > limit) {
              old += 1;
              r.fail(CHECKS.keyAge, keyRef(k), `Client key ${keyRef(k).name} is ${age} days old (rotate after ${limit}).`, ev, {
                dateCreated: k.dateCreated,
                ageDays: age,
                keyRotationDays: limit,
              });
            }
          }
          if (old === 0 && unseen === 0) r.pass(CHECKS.keyAge, orgRes, `Every active client key is younger than ${limit} days.`, ev, { keyRotationDays: limit });
        }
      }
    }

    // Allowed origins live on the project detail.
    if (!projects.ok) {
      r.error(CHECKS.allowedDomains, orgRes, projects, 'projects');
      return r.findings;
    }
    if (projects.value.length === 0) {
      r.notApplicable(CHECKS.allowedDomains, orgRes, 'The organization has no projects.', [projects.evidence]);
      return r.findings;
    }
    const reads = await readProjectDetails(ctx.data, projects.value);
    const detailEv: Evidence[] = [];
    let open = 0;
    let errors = 0;
    for (const { project, detail } of reads) {
      if (!detail.ok) {
        errors += 1;
        r.error(CHECKS.allowedDomains, projectRef(project), detail, 'projectDetail', { arg: project.slug, evidence: [projects.evidence] });
        continue;
      }
      detailEv.push(detail.evidence);
      const domains = detail.value.allowedDomains.map((d) => d.trim());
      if (domains.includes('*') || domains.length === 0) {
        open += 1;
        r.fail(
          CHECKS.allowedDomains,
          projectRef(project),
          `Project "${project.slug}" accepts browser events from any website (allowed domains: *).`,
          [projects.evidence, detail.evidence],
          { allowedDomains: detail.value.allowedDomains, platform: project.platform ?? null },
        );
      }
    }
    const unseenProjects = r.invalidItems([CHECKS.allowedDomains], projects.evidence, 'projects');
    if (errors === 0 && open === 0 && unseenProjects === 0) {
      r.pass(CHECKS.allowedDomains, orgRes, `All ${plural(projects.value.length, 'project')} restrict the origins they accept.`, [projects.evidence, readGroup('every project detail', detailEv)]);
    }
    return r.findings;
  },
};

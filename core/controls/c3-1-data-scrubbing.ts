import type { Evidence } from '../../shared/finding';
import type { CheckDefinition, ControlDefinition } from './types';
import { orgRef, plural, projectRef, readGroup, recorder } from './findings';
import { readProjectDetails } from './project-data';
import { RELAY_MODEL, RELAY_SENSITIVE_COOKIES, effectiveScrubbing, uncoveredFields } from './scrubbing';

const ID = '3.1';

const CHECKS = {
  orgScrubber: { id: '3.1.org-data-scrubber', title: 'The organization requires the data scrubber', level: 'L1', fields: ['dataScrubber'] },
  orgDefaults: { id: '3.1.org-default-scrubbers', title: 'The organization requires the default scrubbers', level: 'L1', fields: ['dataScrubberDefaults'] },
  orgIp: { id: '3.1.org-scrub-ip', title: 'The organization prevents storing IP addresses', level: 'L1', fields: ['scrubIPAddresses'] },
  projectScrubbing: { id: '3.1.project-scrubbing', title: 'Every project scrubs events with the defaults', level: 'L1', fields: ['slug', 'dataScrubber', 'dataScrubberDefaults'] },
  projectIp: { id: '3.1.project-scrub-ip', title: 'No project stores IP addresses', level: 'L1', fields: ['slug', 'scrubIPAddresses'] },
  sensitiveFields: { id: '3.1.sensitive-fields', title: 'Every project redacts the baseline sensitive fields', level: 'L1', fields: ['slug', 'sensitiveFields', 'safeFields'] },
  sdk: { id: '3.1.sdk-scrubbing', title: 'Applications scrub before sending', level: 'L1' },
} as const satisfies Record<string, CheckDefinition>;

export const dataScrubbing: ControlDefinition = {
  id: ID,
  title: 'Scrub sensitive data from events',
  section: '3',
  level: 'L1',
  // SOC 2 criterion chosen by us (the guide gives none for 3.1).
  mappings: { cis: ['3.1'], nist: ['SI-12'], soc2: ['CC6.7'] },
  rationale:
    'Error events carry whatever was in scope when code failed: passwords in form posts, tokens in headers, ' +
    'card numbers in payloads. Server-side scrubbing removes them before Sentry stores the event; requiring it ' +
    'at organization level keeps a project owner from turning it off and covers projects created later.',
  manualSteps: [
    'Open Settings > Security & Privacy and turn on "Require Data Scrubber", "Require Using Default Scrubbers" and "Prevent Storing of IP Addresses".',
    'Under "Global Sensitive Fields", add the field names your applications use for secrets and personal data.',
    'Check each project\'s Settings > Security & Privacy for safe fields that exempt sensitive keys, and remove them.',
    'In the SDKs, strip personal data in beforeSend / before_send and keep sendDefaultPii off; send a test event to confirm.',
    'Record the scrubbing rules and who approved them.',
  ],
  requiredScopes: [['org:read', 'org:write', 'org:admin'], ['project:read', 'project:write', 'project:admin']],
  docNotes: [
    `The default scrubbers are modelled on Relay ${RELAY_MODEL.version} (${RELAY_MODEL.sources.join('; ')}): ` +
      'a key is covered when it matches PASSWORD_KEY_REGEX (password, secret, passwd, api_key/api-key, apikey, auth, credentials, ' +
      'mysql_pwd, privatekey, private_key/private-key, exactly otp, exactly two_factor/two-factor) or contains "token" (TOKEN_KEY_REGEX).',
    `Cookies are covered by the defaults only for Relay's fixed list of names (${RELAY_SENSITIVE_COOKIES.join(', ')}); a key named "cookie" or "session" is not.`,
    'Sensitive fields match as case-insensitive substrings of a key; a safe field is treated as uncovered whatever else applies. A self-hosted install runs the Relay of its own release, which may differ.',
  ],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    const [org, projects] = await Promise.all([ctx.data.organization(), ctx.data.projects()]);
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);
    const projectChecks = [CHECKS.projectScrubbing, CHECKS.projectIp, CHECKS.sensitiveFields];

    r.manual(
      CHECKS.sdk,
      orgRes,
      'Client-side scrubbing happens in application code: confirm the SDKs filter personal data before sending and do not enable sendDefaultPii.',
      [],
    );

    if (!org.ok) {
      for (const check of [CHECKS.orgScrubber, CHECKS.orgDefaults, CHECKS.orgIp, ...projectChecks]) r.error(check, orgRes, org, 'organization');
      return r.findings;
    }
    const o = org.value;
    const orgEv = [org.evidence];
    const orgFlag = (check: CheckDefinition, on: boolean, field: string, passMsg: string, failMsg: string) =>
      on ? r.pass(check, orgRes, passMsg, orgEv, { [field]: true }) : r.fail(check, orgRes, failMsg, orgEv, { [field]: false });
    orgFlag(
      CHECKS.orgScrubber,
      o.dataScrubber,
      'dataScrubber',
      'The data scrubber is required for every project.',
      'The data scrubber is not required at organization level; each project decides for itself.',
    );
    orgFlag(
      CHECKS.orgDefaults,
      o.dataScrubberDefaults,
      'dataScrubberDefaults',
      'The default scrubbers (passwords, tokens, card numbers...) are required for every project.',
      'The default scrubbers are not required at organization level.',
    );
    orgFlag(
      CHECKS.orgIp,
      o.scrubIPAddresses,
      'scrubIPAddresses',
      'IP addresses are not stored for any project.',
      'Storing IP addresses is not prevented at organization level.',
    );

    if (!projects.ok) {
      for (const check of projectChecks) r.error(check, orgRes, projects, 'projects', { evidence: orgEv });
      return r.findings;
    }
    const listEv = [org.evidence, projects.evidence];
    const unseen = r.invalidItems(projectChecks, projects.evidence, 'projects');
    if (projects.value.length === 0) {
      if (unseen > 0) return r.findings;
      for (const check of projectChecks) r.notApplicable(check, orgRes, 'The organization has no projects.', listEv);
      return r.findings;
    }

    const baseline = ctx.settings.sensitiveFieldBaseline;
    const reads = await readProjectDetails(ctx.data, projects.value);
    const detailEv: Evidence[] = [];
    const failed = { scrub: 0, ip: 0, fields: 0, error: 0 };
    for (const { project, detail } of reads) {
      const res = projectRef(project);
      if (!detail.ok) {
        failed.error += 1;
        for (const check of projectChecks) r.error(check, res, detail, 'projectDetail', { arg: project.slug, evidence: listEv });
        continue;
      }
      detailEv.push(detail.evidence);
      const ev = [org.evidence, projects.evidence, detail.evidence];
      const eff = effectiveScrubbing(o, detail.value);
      if (!eff.scrubData || !eff.scrubDefaults) {
        failed.scrub += 1;
        const off = [!eff.scrubData && 'the data scrubber', !eff.scrubDefaults && 'the default scrubbers'].filter(Boolean).join(' and ');
        r.fail(CHECKS.projectScrubbing, res, `Project "${project.slug}" stores events without ${off}.`, ev, {
          effective: { dataScrubber: eff.scrubData, dataScrubberDefaults: eff.scrubDefaults },
          project: { dataScrubber: detail.value.dataScrubber, dataScrubberDefaults: detail.value.dataScrubberDefaults },
        });
      }
      if (!eff.scrubIp) {
        failed.ip += 1;
        r.fail(CHECKS.projectIp, res, `Project "${project.slug}" stores the IP addresses of its users.`, ev, { effective: { scrubIPAddresses: false } });
      }
      const missing = uncoveredFields(eff, baseline);
      if (missing.length > 0) {
        failed.fields += 1;
        r.fail(
          CHECKS.sensitiveFields,
          res,
          `Project "${project.slug}" would keep keys named ${missing.join(', ')} in clear text.`,
          ev,
          {
            uncovered: missing,
            sensitiveFields: eff.sensitiveFields,
            safeFields: eff.safeFields,
            scrubDefaults: eff.scrubDefaults,
            scrubData: eff.scrubData,
          },
        );
      }
    }
    if (failed.error > 0 || unseen > 0) return r.findings;
    const n = plural(projects.value.length, 'project');
    // Every project detail backs the organization-wide passes: one shared group, not a list per finding.
    const allEv = [...listEv, readGroup('every project detail', detailEv)];
    if (failed.scrub === 0) r.pass(CHECKS.projectScrubbing, orgRes, `All ${n} scrub events with the default scrubbers.`, allEv);
    if (failed.ip === 0) r.pass(CHECKS.projectIp, orgRes, `None of the ${n} stores IP addresses.`, allEv);
    if (failed.fields === 0) {
      r.pass(CHECKS.sensitiveFields, orgRes, `All ${n} redact the ${baseline.length} baseline sensitive fields.`, allEv, { baseline });
    }
    return r.findings;
  },
};

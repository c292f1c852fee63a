import { hclLabel, hclString, HclVariableRef, renderBlock, renderImport } from './hcl';
import type { HclBlock, HclBodyItem, HclValue } from './hcl';

/**
 * Terraform configuration for the jianyuan/sentry provider (resource schemas as published in its
 * docs/resources/*.md at v0.15.4, vendored in test/fixtures/terraform-provider-sentry/) describing
 * what the organization looks like now, for the parts the provider can express and the guide cares
 * about. Every resource comes with an `import` block, so `terraform apply` adopts what exists
 * instead of creating a second one, and a comment naming the control it keeps in place.
 *
 * The values are the ones read, not the ones we would like: a configuration that silently
 * "fixes" things on apply would be a write nobody confirmed. Checks that fail today are named in
 * comments above the resource, so a reviewer changes the value on purpose.
 */

export const PROVIDER_SOURCE = 'jianyuan/sentry';
export const PROVIDER_VERSION = '0.15.4';

export interface TerraformSnapshot {
  readonly org: { readonly slug: string; readonly name: string };
  readonly teams: readonly { readonly slug: string; readonly name: string }[];
  readonly projects: readonly {
    readonly slug: string;
    readonly name: string;
    readonly platform: string | null;
    readonly teams: readonly string[];
    readonly allowedDomains: readonly string[];
    readonly blacklistedIps: readonly string[];
    /** Inbound filters as Sentry lists them: `active` is a boolean, or the legacy-browser subfilters. */
    readonly filters: readonly { readonly id: string; readonly active: boolean | readonly string[] }[];
  }[];
  readonly keys: readonly {
    readonly id: string;
    readonly name: string;
    readonly projectSlug: string;
    readonly rateLimit: { readonly count: number; readonly window: number } | null;
  }[];
  /** Members with an email (service accounts and invite-less rows cannot be expressed). */
  readonly members: readonly { readonly id: string; readonly email: string; readonly role: string }[];
  /** Team memberships with the member's team role (null: the default for their org role). */
  readonly teamMembers: readonly { readonly teamSlug: string; readonly memberId: string; readonly role: string | null }[];
  /** Failing checks per resource, `type:id` (project:web, key:abc...), for comments. */
  readonly failing: ReadonlyMap<string, readonly string[]>;
}

export interface TerraformFiles {
  /** File name to content. */
  readonly files: ReadonlyMap<string, string>;
  /** How many resources of each type were written. */
  readonly counts: Readonly<Record<string, number>>;
}

interface Resource {
  readonly type: string;
  readonly name: string;
  readonly importId: string;
  readonly comments: readonly string[];
  readonly body: readonly HclBodyItem[];
}

function attr(name: string, value: HclValue): HclBodyItem {
  return { kind: 'attribute', name, value };
}

/** Unique labels per resource type. */
function labeller(): (type: string, text: string) => string {
  const used = new Map<string, Set<string>>();
  return (type, text) => {
    const set = used.get(type) ?? new Set<string>();
    used.set(type, set);
    const base = hclLabel(text);
    let label = base;
    for (let i = 2; set.has(label); i += 1) label = `${base}_${i}`;
    set.add(label);
    return label;
  };
}

function failingComments(snapshot: TerraformSnapshot, key: string): string[] {
  return (snapshot.failing.get(key) ?? []).map((c) => `FAILS ${c} today: change the value below on purpose, then plan and apply.`);
}

const ORG_VARIABLE = new HclVariableRef('organization');

function orgRef(): HclValue {
  return ORG_VARIABLE;
}

function projectResources(s: TerraformSnapshot, label: (t: string, x: string) => string): Resource[] {
  const out: Resource[] = [];
  for (const p of s.projects) {
    const body: HclBodyItem[] = [attr('organization', orgRef()), attr('name', p.name), attr('slug', p.slug), attr('teams', [...p.teams].sort())];
    if (p.platform) body.push(attr('platform', p.platform));
    body.push(attr('client_security', { allowed_domains: [...p.allowedDomains] }));
    body.push(attr('filters', { blacklisted_ips: [...p.blacklistedIps] }));
    out.push({
      type: 'sentry_project',
      name: label('sentry_project', p.slug),
      importId: `${s.org.slug}/${p.slug}`,
      comments: [
        `Project ${p.slug}. 2.2 project access: the teams that can open it. 3.2 DSN security: allowed domains. 3.3 inbound filtering: IP blocklist.`,
        ...failingComments(s, `project:${p.slug}`),
      ],
      body,
    });
    for (const f of p.filters) {
      const fBody: HclBodyItem[] = [attr('organization', orgRef()), attr('project', p.slug), attr('filter_id', f.id)];
      fBody.push(typeof f.active === 'boolean' ? attr('active', f.active) : attr('subfilters', [...f.active].sort()));
      out.push({
        type: 'sentry_project_inbound_data_filter',
        name: label('sentry_project_inbound_data_filter', `${p.slug}_${f.id}`),
        importId: `${s.org.slug}/${p.slug}/${f.id}`,
        comments: [`3.3 inbound filtering: filter ${f.id} of project ${p.slug}.`],
        body: fBody,
      });
    }
  }
  return out;
}

function keyResources(s: TerraformSnapshot, label: (t: string, x: string) => string): Resource[] {
  return s.keys.map((k) => {
    const body: HclBodyItem[] = [attr('organization', orgRef()), attr('project', k.projectSlug), attr('name', k.name)];
    if (k.rateLimit) body.push(attr('rate_limit_count', k.rateLimit.count), attr('rate_limit_window', k.rateLimit.window));
    else body.push({ kind: 'comment', text: 'No rate limit is set on this key (3.2.rate-limit): add rate_limit_count and rate_limit_window.' });
    return {
      type: 'sentry_key',
      name: label('sentry_key', `${k.projectSlug}_${k.name}`),
      importId: `${s.org.slug}/${k.projectSlug}/${k.id}`,
      comments: [`Client key ${k.name} of project ${k.projectSlug}. 3.2 DSN security: its rate limit.`, ...failingComments(s, `key:${k.id}`)],
      body,
    };
  });
}

function accessResources(s: TerraformSnapshot, label: (t: string, x: string) => string): Resource[] {
  const out: Resource[] = [];
  for (const t of s.teams) {
    out.push({
      type: 'sentry_team',
      name: label('sentry_team', t.slug),
      importId: `${s.org.slug}/${t.slug}`,
      comments: [`Team ${t.slug}. 2.1 team access.`, ...failingComments(s, `team:${t.slug}`)],
      body: [attr('organization', orgRef()), attr('name', t.name), attr('slug', t.slug)],
    });
  }
  for (const m of s.members) {
    out.push({
      type: 'sentry_organization_member',
      name: label('sentry_organization_member', `member_${m.id}`),
      importId: `${s.org.slug}/${m.id}`,
      comments: [`Member ${m.id}. 2.3 admin access: the organization role.`, ...failingComments(s, `member:${m.id}`)],
      body: [attr('organization', orgRef()), attr('email', m.email), attr('role', m.role)],
    });
  }
  for (const tm of s.teamMembers) {
    const body: HclBodyItem[] = [attr('organization', orgRef()), attr('team', tm.teamSlug), attr('member_id', tm.memberId)];
    if (tm.role) body.push(attr('role', tm.role));
    out.push({
      type: 'sentry_team_member',
      name: label('sentry_team_member', `${tm.teamSlug}_${tm.memberId}`),
      importId: `${s.org.slug}/${tm.teamSlug}/${tm.memberId}`,
      comments: [`Member ${tm.memberId} in team ${tm.teamSlug}. 2.1 team access: team membership and team role.`],
      body,
    });
  }
  return out;
}

function renderResources(resources: readonly Resource[]): string {
  return resources
    .map((r) => {
      const block: HclBlock = { type: 'resource', labels: [r.type, r.name], comments: r.comments, body: r.body };
      return `${renderBlock(block)}\n\n${renderImport(r.type, r.name, r.importId)}\n`;
    })
    .join('\n');
}

function header(s: TerraformSnapshot): string {
  return [
    '# Generated by sentry-harden export terraform. What the organization looked like when it was read;',
    '# review `terraform plan` before any apply: the provider manages more settings than the guide does.',
    'terraform {',
    '  required_version = ">= 1.5.0"',
    '  required_providers {',
    '    sentry = {',
    `      source  = "${PROVIDER_SOURCE}"`,
    `      version = "${PROVIDER_VERSION}"`,
    '    }',
    '  }',
    '}',
    '',
    'variable "organization" {',
    '  type        = string',
    '  description = "Slug of the Sentry organization."',
    `  default     = ${hclString(s.org.slug)}`,
    '}',
    '',
  ].join('\n');
}

/**
 * One file per area (projects and filters, client keys, teams and members) plus versions.tf.
 * Deterministic: the same snapshot gives the same bytes.
 */
export function generateTerraform(snapshot: TerraformSnapshot): TerraformFiles {
  const label = labeller();
  const areas: [string, Resource[]][] = [
    ['projects.tf', projectResources(snapshot, label)],
    ['keys.tf', keyResources(snapshot, label)],
    ['access.tf', accessResources(snapshot, label)],
  ];
  const files = new Map<string, string>([['versions.tf', header(snapshot)]]);
  const counts: Record<string, number> = {};
  for (const [file, resources] of areas) {
    files.set(file, resources.length > 0 ? renderResources(resources) : '# Nothing of this kind was read.\n');
    for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  }
  return { files, counts };
}

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportTerraform } from '../../../../core/exports/terraform/export';
import { generateTerraform } from '../../../../core/exports/terraform/generate';
import type { TerraformSnapshot } from '../../../../core/exports/terraform/generate';
import { createDemoState, DEMO_ORG_SLUG, DEMO_TOKENS, startSimulator } from '../../../../simulator/index';
import type { RunningSimulator, SimOrg } from '../../../../simulator/index';
import { FAST_SCHEDULER } from '../../../helpers/demo-audit';
import { tempDirs } from '../../../helpers/evidence';
import { hardenOrg } from '../../../helpers/harden-state';
import { readHcl } from './hcl-reader';
import type { ReadBlock, ReadValue } from './hcl-reader';
import { loadProviderSchema } from './provider-schema';
import type { DocAttribute } from './provider-schema';

const schema = loadProviderSchema();

function options(sim: RunningSimulator) {
  return {
    baseUrl: sim.url,
    orgSlug: DEMO_ORG_SLUG,
    getToken: () => DEMO_TOKENS.admin,
    tokenPrefix: 'sntryu_' as const,
    timeoutMs: 5_000,
    scheduler: FAST_SCHEDULER,
  };
}

function readDir(dir: string): { resources: ReadBlock[]; imports: ReadBlock[]; all: ReadBlock[] } {
  const all = ['versions.tf', 'projects.tf', 'keys.tf', 'access.tf'].flatMap((f) => readHcl(readFileSync(path.join(dir, f), 'utf8')));
  return { all, resources: all.filter((b) => b.type === 'resource'), imports: all.filter((b) => b.type === 'import') };
}

/** Every attribute written is one the provider accepts as input, with the type it publishes. */
function schemaErrors(block: ReadBlock): string[] {
  const [type, name] = block.labels;
  const attrs = schema.get(type!);
  if (!attrs) return [`${type}: not a resource of the provider`];
  const errors: string[] = [];
  const checkAttrs = (given: Record<string, ReadValue>, published: ReadonlyMap<string, DocAttribute>, where: string): void => {
    for (const [k, v] of Object.entries(given)) {
      const doc = published.get(k);
      if (!doc) errors.push(`${where}.${k}: not in the provider's schema`);
      else if (doc.section === 'Read-Only') errors.push(`${where}.${k}: read-only`);
      else if (!typeMatches(doc, v)) errors.push(`${where}.${k}: ${JSON.stringify(v)} is not ${doc.type}`);
      else if (doc.nested && v && typeof v === 'object' && !Array.isArray(v)) checkAttrs(v as Record<string, ReadValue>, doc.nested, `${where}.${k}`);
    }
    for (const doc of published.values()) if (doc.section === 'Required' && !(doc.name in given)) errors.push(`${where}.${doc.name}: required, missing`);
  };
  checkAttrs(block.attributes, attrs, `${type}.${name}`);
  return errors;
}

function typeMatches(doc: DocAttribute, v: ReadValue): boolean {
  if (v !== null && typeof v === 'object' && 'ref' in v && !Array.isArray(v)) return doc.type === 'String';
  switch (doc.type) {
    case 'String':
      return typeof v === 'string';
    case 'Number':
      return typeof v === 'number';
    case 'Boolean':
      return typeof v === 'boolean';
    case 'Set of String':
    case 'List of String':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') && (doc.type !== 'Set of String' || new Set(v).size === v.length);
    case 'Attributes':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    default:
      return false;
  }
}

describe('export terraform', () => {
  const dirs = tempDirs();
  let sim: RunningSimulator;
  let org: SimOrg;
  beforeEach(async () => {
    const state = createDemoState();
    hardenOrg(state, DEMO_ORG_SLUG);
    org = state.organizations.find((o) => o.slug === DEMO_ORG_SLUG)!;
    sim = await startSimulator({ state });
  });
  afterEach(async () => {
    await sim.close();
  });
  afterAll(() => dirs.cleanup());

  it('writes only resources and attributes the provider publishes, each with an import block', async () => {
    const out = path.join(dirs.make('tf-'), 'terraform');
    const result = await exportTerraform(out, options(sim));
    expect(result.gaps).toEqual([]);
    const { resources, imports } = readDir(out);
    expect(resources.length).toBeGreaterThan(10);
    expect(resources.flatMap(schemaErrors)).toEqual([]);
    const targets = new Set(imports.map((b) => (b.attributes['to'] as { ref: string }).ref));
    for (const r of resources) expect(targets.has(`${r.labels[0]}.${r.labels[1]}`), r.labels.join('.')).toBe(true);
    expect(imports).toHaveLength(resources.length);
    expect(Object.values(result.counts).reduce((a, b) => a + b, 0)).toBe(resources.length);
  });

  it('round-trips a hardened organization: what is written equals what Sentry holds', async () => {
    const out = path.join(dirs.make('tf-'), 'terraform');
    await exportTerraform(out, options(sim));
    const { resources, imports } = readDir(out);
    const importId = new Map(imports.map((b) => [(b.attributes['to'] as { ref: string }).ref, b.attributes['id']]));
    const of = (type: string) => resources.filter((r) => r.labels[0] === type);
    const teamSlug = new Map(org.teams.map((t) => [t.id, t.slug]));

    const projects = of('sentry_project');
    expect(projects.map((p) => p.attributes['slug']).sort()).toEqual(org.projects.map((p) => p.slug).sort());
    for (const p of org.projects) {
      const block = projects.find((b) => b.attributes['slug'] === p.slug)!;
      expect(block.attributes['name']).toBe(p.name);
      expect(block.attributes['teams']).toEqual(p.teamIds.map((id) => teamSlug.get(id)).sort());
      expect(block.attributes['client_security']).toEqual({ allowed_domains: p.settings.allowedDomains });
      const ips = String(p.options['filters:blacklisted_ips'] ?? '').split('\n').filter((s) => s.trim() !== '');
      expect(block.attributes['filters']).toEqual({ blacklisted_ips: ips });
      expect(importId.get(`sentry_project.${block.labels[1]}`)).toBe(`${DEMO_ORG_SLUG}/${p.slug}`);
    }

    const keys = of('sentry_key');
    const simKeys = org.projects.flatMap((p) => p.keys.map((k) => ({ p, k })));
    expect(keys).toHaveLength(simKeys.length);
    for (const { p, k } of simKeys) {
      const label = [...importId.entries()].find(([, id]) => id === `${DEMO_ORG_SLUG}/${p.slug}/${k.id}`)?.[0];
      const block = keys.find((b) => `sentry_key.${b.labels[1]}` === label)!;
      expect(block.attributes).toMatchObject({ project: p.slug, name: k.name, rate_limit_count: k.rateLimit!.count, rate_limit_window: k.rateLimit!.window });
    }

    const filters = of('sentry_project_inbound_data_filter');
    for (const b of filters) {
      const p = org.projects.find((x) => x.slug === b.attributes['project'])!;
      const simValue = p.filters[b.attributes['filter_id'] as keyof typeof p.filters];
      if ('active' in b.attributes) expect(b.attributes['active']).toBe(simValue);
      else expect([...(b.attributes['subfilters'] as string[])].sort()).toEqual([...(simValue as string[])].sort());
    }

    const members = of('sentry_organization_member');
    const withEmail = org.members.filter((m) => m.email);
    expect(members).toHaveLength(withEmail.length);
    for (const m of withEmail) {
      const block = members.find((b) => b.attributes['email'] === m.email)!;
      expect(block.attributes['role']).toBe(m.orgRole);
    }
    const teamMembers = of('sentry_team_member');
    const memberships = org.members.flatMap((m) => m.teams.map((t) => ({ m, t })));
    expect(teamMembers).toHaveLength(memberships.length);
    for (const { m, t } of memberships) {
      const block = teamMembers.find((b) => b.attributes['member_id'] === m.id && b.attributes['team'] === teamSlug.get(t.teamId))!;
      expect(block, `${m.id} in ${t.teamId}`).toBeDefined();
      expect(block.attributes['role'] ?? null).toBe(t.role);
    }
  });

  it('refuses a folder that already holds files, and writes nothing into it', async () => {
    const out = dirs.make('tf-busy-');
    writeFileSync(path.join(out, 'main.tf'), '# mine\n');
    await expect(exportTerraform(out, options(sim))).rejects.toThrow(/not empty/);
    expect(readFileSync(path.join(out, 'main.tf'), 'utf8')).toBe('# mine\n');
    mkdirSync(path.join(out, 'sub'));
  });

  it('lists what the provider cannot express, with the manual steps, in the README', async () => {
    const out = path.join(dirs.make('tf-'), 'terraform');
    await exportTerraform(out, options(sim));
    const readme = readFileSync(path.join(out, 'README.md'), 'utf8');
    for (const c of ['1.1', '1.2', '3.1', '3.4', '4.1']) expect(readme).toMatch(new RegExp(`\\| ${c.replace('.', '\\.')} \\|`));
    expect(readme).toContain('Require Two-Factor Authentication');
  });
});

describe('generated HCL with hostile names', () => {
  const hostile = ['a"b', 'x\\y', 'line\nbreak', '${file("/etc/passwd")}', '%{ if true }x%{ endif }', '\u202etxt.exe', 'tab\there', '\u001b]0;title\u0007'];
  const snapshot: TerraformSnapshot = {
    org: { slug: 'acme', name: 'Acme' },
    teams: hostile.map((name, i) => ({ slug: `team-${i}`, name })),
    projects: hostile.map((name, i) => ({ slug: `p-${i}`, name, platform: null, teams: [`team-${i}`], allowedDomains: [name], blacklistedIps: [], filters: [{ id: 'legacy-browsers', active: ['ie9', name] }] })),
    keys: hostile.map((name, i) => ({ id: `k${i}`, name, projectSlug: `p-${i}`, rateLimit: null })),
    members: [],
    teamMembers: [],
    failing: new Map([['project:p-0', ['3.2.allowed-domains\n} resource "evil" "x" {']]]),
  };

  it('reads back every string exactly, with no interpolation and no injected block', () => {
    const files = generateTerraform(snapshot).files;
    const blocks = [...files.entries()].filter(([f]) => f.endsWith('.tf')).flatMap(([, t]) => readHcl(t));
    const resources = blocks.filter((b) => b.type === 'resource');
    expect(resources.map((r) => r.labels[0]).filter((t) => t === 'evil')).toEqual([]);
    expect(resources.filter((r) => r.labels[0] === 'sentry_team').map((r) => r.attributes['name'])).toEqual(hostile);
    expect(resources.filter((r) => r.labels[0] === 'sentry_project').map((r) => (r.attributes['client_security'] as { allowed_domains: string[] }).allowed_domains[0])).toEqual(hostile);
    expect(resources.filter((r) => r.labels[0] === 'sentry_key').map((r) => r.attributes['name'])).toEqual(hostile);
    for (const r of resources) expect(r.labels[1]).toMatch(/^[a-z_][a-z0-9_]*$/);
    // Comments never break a line with server text.
    for (const text of files.values()) for (const line of text.split('\n')) expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202e]/);
  });

  it('is deterministic', () => {
    const a = [...generateTerraform(snapshot).files.entries()];
    expect([...generateTerraform(snapshot).files.entries()]).toEqual(a);
  });
});

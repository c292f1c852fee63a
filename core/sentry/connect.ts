import type { ApiIndex, OrganizationRead, OrganizationSummary } from './schemas';
import { ApiIndexSchema, OrganizationReadSchema, OrganizationSummarySchema, UserRegionsSchema } from './schemas';
import type { SentryBaseUrl } from './base-url';
import { trustedRegionUrl } from './base-url';
import type { Fetched, SentryClientOptions } from './client';
import { SentryClient, apiPath } from './client';
import { SentryApiError } from './errors';
import type { OrgData } from './org-data';
import { ORGANIZATION_QUERY, createOrgData } from './org-data';

export interface SentryConnection {
  readonly client: SentryClient;
  readonly orgSlug: string;
  /** GET /api/0/ on the control host. */
  readonly tokenInfo: Fetched<ApiIndex>;
  /**
   * GET /organizations/{org}/ on the base the user gave: the detail, or the summary when the token
   * lacks org:read (then `data.organization()` fails with `missing_scope` for the settings checks).
   */
  readonly organization: Fetched<OrganizationRead>;
  /** Where control-silo calls go. */
  readonly controlUrl: string;
  /** Where organization and project calls go (the org's `links.regionUrl` when trusted). */
  readonly regionUrl: string;
  /** A fresh OrgData seeded with the two reads above (no request is repeated). */
  readonly data: OrgData;
}

export interface ConnectOptions extends SentryClientOptions {
  readonly orgSlug: string;
}

/**
 * Opens a session on one organization: learns the token's scopes (GET /api/0/), reads the org on
 * the base the user gave, then sends org and project calls to the org's region (sentry.io) while
 * control-silo calls stay on the control host. Throws `SentryApiError` (e.g. `not_found` naming
 * the slug, `unauthorized`).
 */
export async function connect(options: ConnectOptions): Promise<SentryConnection> {
  const client = new SentryClient(options);
  try {
    const tokenInfo = await client.read('/api/0/', ApiIndexSchema);
    if (tokenInfo.value.auth === null) {
      throw new SentryApiError({
        code: 'unauthorized',
        endpoint: 'GET /api/0/',
        message: 'GET /api/0/: Sentry did not recognise the token (no authentication). Check that it was pasted completely.',
        evidence: tokenInfo.evidence,
      });
    }
    client.setScopes({ token: tokenInfo.value.auth.scopes });
    const organization = await readOrganization(client, options.orgSlug);
    if (organization.value.access) client.setScopes({ orgAccess: organization.value.access });
    const regionUrl = organization.value.links?.regionUrl;
    // Self-hosted: everything stays on the base, whatever regionUrl says.
    if (regionUrl !== undefined && regionUrl !== '' && (client.base.deployment === 'saas' || client.base.loopback)) {
      client.useRegion(regionUrl);
    }
    const data = createOrgData(client, options.orgSlug, { seed: { tokenInfo, organization } });
    return {
      client,
      orgSlug: options.orgSlug,
      tokenInfo,
      organization,
      controlUrl: client.controlBase.url,
      regionUrl: client.regionBase.url,
      data,
    };
  } catch (e) {
    client.close();
    throw e;
  }
}

/**
 * The org on the base first. If the base does not know it (a control host that does not proxy
 * region calls), ask users/me/regions and try each region: the org lives in exactly one.
 */
async function readOrganization(client: SentryClient, orgSlug: string): Promise<Fetched<OrganizationRead>> {
  const path = apiPath`/api/0/organizations/${orgSlug}/`;
  try {
    return await client.read(path, OrganizationReadSchema, { query: ORGANIZATION_QUERY, host: 'region' });
  } catch (e) {
    if (!(e instanceof SentryApiError) || e.code !== 'not_found') throw e;
    if (client.base.deployment !== 'saas' && !client.base.loopback) throw e;
    const regions = await regionBases(client).catch(() => []);
    for (const region of regions) {
      if (region.url === client.regionBase.url) continue;
      try {
        const found = await client.read(path, OrganizationReadSchema, { query: ORGANIZATION_QUERY, host: region });
        client.useRegion(region.url);
        return found;
      } catch (inner) {
        if (!(inner instanceof SentryApiError) || inner.code !== 'not_found') throw inner;
      }
    }
    throw e;
  }
}

/** Regions from users/me/regions that we may send the token to; empty when unavailable. */
async function regionBases(client: SentryClient): Promise<SentryBaseUrl[]> {
  try {
    const r = await client.request('GET', '/api/0/users/me/regions/', { schema: UserRegionsSchema, host: 'control' });
    return r.regions
      .map((region) => trustedRegionUrl(client.base, region.url))
      .filter((b): b is SentryBaseUrl => b !== undefined);
  } catch (e) {
    // Older servers and tokens without a user have no regions endpoint.
    if (e instanceof SentryApiError && REGIONS_UNAVAILABLE.has(e.code)) return [];
    throw e;
  }
}

const REGIONS_UNAVAILABLE: ReadonlySet<string> = new Set(['not_found', 'forbidden', 'missing_scope', 'session_only', 'bad_request']);

export interface OrganizationChoice extends OrganizationSummary {
  /** The base its org and project calls go to. */
  readonly regionUrl: string;
}

/**
 * Every organization the token can see, for an org picker. On sentry.io (and against a loopback
 * simulator) the list is read per region from users/me/regions, since each region lists only its
 * own orgs; on self-hosted, or when the regions endpoint is unavailable, the base's list.
 */
export async function listOrganizations(client: SentryClient): Promise<OrganizationChoice[]> {
  let regions: SentryBaseUrl[] = [client.regionBase];
  if (client.base.deployment === 'saas' || client.base.loopback) {
    const listed = await regionBases(client);
    if (listed.length > 0) regions = listed;
  }
  const seen = new Set<string>();
  const out: OrganizationChoice[] = [];
  for (const region of regions) {
    const { items } = await client.paginate('/api/0/organizations/', OrganizationSummarySchema, { host: region });
    for (const org of items) {
      if (seen.has(org.slug)) continue;
      seen.add(org.slug);
      out.push({ ...org, regionUrl: org.links?.regionUrl ?? region.url });
    }
  }
  return out;
}

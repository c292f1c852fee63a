// The Sentry client's public surface, for the engine, the CLI and the Electron main process.
export { SENTRY_PRESETS, SAAS_CONTROL_URL, isLoopbackHost, isSaasHost, parseBaseUrl, trustedRegionUrl, tryParseBaseUrl } from './base-url';
export type { SentryBaseUrl, SentryDeployment, SentryPreset } from './base-url';
export { SentryClient, apiPath, isControlPath } from './client';
export type { Fetched, HostChoice, PageSpec, PaginateOptions, Paginated, Query, QueryValue, RequestOptions, SentryClientOptions } from './client';
export { connect, listOrganizations } from './connect';
export type { ConnectOptions, OrganizationChoice, SentryConnection } from './connect';
export { acceptedScopes } from './endpoint-scopes';
export { SentryApiError, isSentryApiError } from './errors';
export type { NetworkCause, SentryApiErrorInit } from './errors';
export { ORGANIZATION_QUERY, createOrgData } from './org-data';
export type { Loaded, OrgData, OrgDataOptions, OrgDataSeed } from './org-data';
export { parseLinkHeader } from './pagination';
export type { LinkEntry, PaginationLinks } from './pagination';
export { RequestScheduler, defaultSleep } from './scheduler';
export type { ScheduledRequest, SchedulerOptions, SchedulerStats } from './scheduler';
export { RECORDED_HEADERS, createHttpTransport, createReplayTransport, sha256Hex } from './transport';
export type { HttpMethod, HttpTransportOptions, ResponseRecord, Transport, TransportRequest, TransportResponse } from './transport';

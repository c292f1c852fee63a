/**
 * The names of the IPC channels and events, without their schemas, so the preload (which is
 * bundled into the sandboxed renderer) can build its bridge without pulling in zod.
 * contract.ts keys its schemas by these names, and the compiler holds the two lists equal.
 */
export const CHANNEL_NAMES = [
  'app:info',
  'app:openExternal',
  'auth:setToken',
  'auth:verify',
  'auth:scopeCheck',
  'auth:status',
  'auth:forget',
  'profile:list',
  'profile:save',
  'profile:delete',
  'profile:rename',
  'connection:check',
  'connection:save',
  'portfolio:list',
  'org:list',
  'wizard:load',
  'wizard:save',
  'session:get',
  'settings:get',
  'settings:save',
  'register:get',
  'register:save',
  'audit:run',
  'audit:get',
  'audit:findings',
  'audit:changes',
  'audit:evidence',
  'audit:cancel',
  'catalog:get',
  'fix:plan',
  'fix:planPage',
  'fix:getPlan',
  'fix:apply',
  'fix:cancel',
  'fix:undoPlan',
  'fix:undo',
  'report:save',
  'report:printPdf',
  'report:open',
  'export:terraform',
  'demo:status',
  'demo:reset',
] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** Messages main sends to the window (never requests). */
export const EVENT_NAMES = ['audit:progress', 'fix:progress'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** `domain:verb`, both lower camel case. */
export const CHANNEL_NAME_PATTERN = /^[a-z]+:[a-z][A-Za-z]*$/;

/** The global the preload exposes to the renderer. */
export const BRIDGE_GLOBAL = 'sentryHarden';

/**
 * Web mode's wire names (`sentry-harden ui`): what core/app/http-server.ts serves and
 * renderer/bridge.ts calls, in one place so the two cannot drift.
 */

/** The header that carries web mode's per-launch secret (never the Sentry token). */
export const WEB_SECRET_HEADER = 'X-Sentry-Harden-Secret';
/** The URL parameter web mode puts the per-launch secret in (fragment for the page, query for the event stream). */
export const WEB_SECRET_PARAM = 'secret';
/** `POST /api/<channel>`. */
export const WEB_API_PREFIX = '/api/';
/** `GET /api/events`: the contract's events as Server-Sent Events. */
export const WEB_EVENTS_PATH = '/api/events';

/**
 * The UI's Content-Security-Policy, the same in the desktop app (app://) and web mode (loopback
 * http): only the app's own files, no inline script or style, no network but the app's own
 * origin (in web mode, the API; the window never talks to Sentry), no framing.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

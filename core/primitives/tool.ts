/** The tool's name and version, as reports, plans and packages record them (every layer may read it). */
export const TOOL_NAME = 'sentry-harden';
export const TOOL_VERSION = '0.1.0';

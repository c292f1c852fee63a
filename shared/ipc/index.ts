export { BRIDGE_GLOBAL, CHANNEL_NAMES, CHANNEL_NAME_PATTERN, EVENT_NAMES } from './channel-names';
export type { ChannelName, EventName } from './channel-names';
export * from './contract';
export { formatIssues } from './issues';

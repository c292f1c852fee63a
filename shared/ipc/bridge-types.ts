import type { z } from 'zod';
import type { Result } from '../errors';
import type { ChannelName, EventName } from './channel-names';
import type { channels } from './contract';
import type { events } from './event-schemas';

/** The types both sides derive from the contract (contract.ts, event-schemas.ts). */

export type Channels = typeof channels;
export type Events = typeof events;

/** What the window sends (before main's parsing, e.g. an untrimmed token). */
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
/** What a handler receives (after parsing). */
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
/** What a handler returns (main checks it against the schema before it leaves). */
export type HandlerResponseOf<C extends ChannelName> = z.input<Channels[C]['response']>;
/** What the window receives inside an ok Result. */
export type ResponseOf<C extends ChannelName> = z.output<Channels[C]['response']>;
export type EventPayloadOf<E extends EventName> = z.output<Events[E]>;

/** The object the preload exposes as `window.sentryHarden`. */
export interface SentryHardenBridge {
  readonly invoke: { readonly [C in ChannelName]: (request: RequestOf<C>) => Promise<Result<ResponseOf<C>>> };
  /** Each subscription returns its unsubscribe function. */
  readonly on: { readonly [E in EventName]: (listener: (payload: EventPayloadOf<E>) => void) => () => void };
}

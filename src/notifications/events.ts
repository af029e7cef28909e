import { NOTIFY_EVENT_NAME_PATTERN } from '../workflows/graph/node-types/notify';

/**
 * The events a webhook can subscribe to (DESIGN §10). The engine raises the first five; a
 * `notify` node sends `notify.<name>`. `*` subscribes to every event the engine raises.
 */
export const ENGINE_EVENTS = ['execution.failed', 'execution.timed_out', 'dead_letter.created', 'dead_letter.resolved', 'worker.unhealthy'] as const;
export type EngineEvent = (typeof ENGINE_EVENTS)[number];

export const ALL_EVENTS = '*';

/** `notify.<name>`: what a notify node's `config.event` becomes. */
const NOTIFY_EVENT_PATTERN = new RegExp(`^notify\\.${NOTIFY_EVENT_NAME_PATTERN.source.slice(1)}`);

export const EVENT_RULE = `an event is one of ${ENGINE_EVENTS.join(', ')}, notify.<name> (name: a-z, 0-9, ".", "_", "-") or ${ALL_EVENTS}`;

export function isSubscribableEvent(event: string): boolean {
  return event === ALL_EVENTS || (ENGINE_EVENTS as readonly string[]).includes(event) || NOTIFY_EVENT_PATTERN.test(event);
}

/** The event a notify node sends: `notify.<name>`, or plain `notify` without a name. */
export function notifyEvent(name: string | undefined): string {
  return name ? `notify.${name}` : 'notify';
}

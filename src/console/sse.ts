/**
 * Follows an event stream of the API with fetch() (the key goes in the Authorization header,
 * which EventSource cannot send). A stream that closes before its `execution` event (the
 * server's maximum stream time, a restart, a dropped connection) is opened again, after the
 * server's `retry:` or a backoff that doubles up to 15 s; the server then sends every step's
 * current state again, so nothing is missed.
 */
import { ApiError, type Api } from './api';
import { SseParser, type SseEvent } from './sse-parser';

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 15_000;

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'ended';

export interface StreamHandlers {
  onEvent(event: SseEvent): void;
  onState?(state: StreamState, detail?: string): void;
}

/** Starts following `path`; the returned function stops. `endEvent` closes it for good. */
export function followEvents(api: Api, path: string, handlers: StreamHandlers, endEvent = 'execution'): () => void {
  const controller = new AbortController();
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const run = async (): Promise<void> => {
    let failures = 0;
    handlers.onState?.('connecting');
    while (!controller.signal.aborted) {
      const parser = new SseParser();
      let delay: number;
      try {
        const response = await api.stream(path, controller.signal);
        handlers.onState?.('live');
        failures = 0;
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const event of parser.push(value)) {
            handlers.onEvent(event);
            if (event.event === endEvent) {
              controller.abort();
              handlers.onState?.('ended');
              return;
            }
          }
        }
        delay = parser.retryMs ?? FIRST_BACKOFF_MS;
      } catch (error) {
        if (controller.signal.aborted) return;
        // Refused or gone: reconnecting would be refused again.
        if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429) {
          handlers.onState?.('ended', error.message);
          return;
        }
        delay = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** failures++);
      }
      handlers.onState?.('reconnecting');
      await sleep(delay);
    }
  };
  void run();
  return () => controller.abort();
}

/**
 * The console's SSE parser (src/console/sse-parser.ts): the API's event stream read with
 * fetch() arrives in chunks cut anywhere, which must give the same events as one piece.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { SseParser } from '../../src/console/sse-parser';

const STREAM = 'event: step\ndata: {"nodeId":"a","status":"running"}\n\n: a comment\nevent: step\r\ndata: {"nodeId":"a",\r\ndata: "status":"completed"}\r\n\r\nretry: 1000\nevent: timeout\ndata: {}\n\ndata: plain\n\n';

test('events, multi-line data, comments, CRLF and retry', () => {
  const parser = new SseParser();
  expect(parser.push(STREAM)).toEqual([
    { event: 'step', data: '{"nodeId":"a","status":"running"}' },
    { event: 'step', data: '{"nodeId":"a",\n"status":"completed"}' },
    { event: 'timeout', data: '{}' },
    { event: 'message', data: 'plain' },
  ]);
  expect(parser.retryMs).toBe(1000);
});

test('an event is given only once its blank line arrives; an event without data is none', () => {
  const parser = new SseParser();
  expect(parser.push('event: step\ndata: 1\n')).toEqual([]);
  expect(parser.push('\n')).toEqual([{ event: 'step', data: '1' }]);
  expect(parser.push('event: nothing\n\n')).toEqual([]);
});

test('chunks cut anywhere (even inside CRLF) give the same events', () => {
  const whole = new SseParser().push(STREAM);
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 1, max: STREAM.length - 1 }), { maxLength: 12 }), (cuts) => {
      const parser = new SseParser();
      const bounds = [0, ...[...cuts].sort((a, b) => a - b), STREAM.length];
      const events = bounds.slice(1).flatMap((end, index) => parser.push(STREAM.slice(bounds[index], end)));
      expect(events).toEqual(whole);
    }),
  );
});

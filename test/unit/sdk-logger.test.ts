/** The SDK's log entries as operators read them: one line, the error's message, no stack frames or task tokens. */
import { ApplicationFailure } from '@temporalio/common';
import { afterEach, expect, test, vi } from 'vitest';
import { sdkConsoleLogger, sdkJsonLogger } from '../../src/common/sdk-logger';

const failure = ApplicationFailure.create({ message: 'mock node "report" failed attempt 1', type: 'MockFailure' });
const meta = { sdkComponent: 'worker', taskToken: 'CiQwMWEy', activityId: 'report', activityType: 'mock', workflowId: 'hello-1', attempt: 1, error: failure };

afterEach(() => vi.restoreAllMocks());

test('npm start: one line with the task and the message', () => {
  const written: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
  sdkConsoleLogger('WARN').warn('Activity failed', meta);
  sdkConsoleLogger('WARN').info('not shown at WARN', meta);
  expect(written).toHaveLength(1);
  expect(written[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+ \[WARN\] Activity failed \(workflowId=hello-1 activityId=report activityType=mock attempt=1\): /);
  expect(written[0]).toContain(': mock node "report" failed attempt 1\n');
  expect(written[0].trim().split('\n')).toHaveLength(1);
  expect(written[0]).not.toContain('CiQwMWEy');
  expect(written[0]).not.toMatch(/\bat .+:\d+:\d+/);
});

test('npm run worker: JSON fields with the error as its message', () => {
  const warn = vi.fn();
  sdkJsonLogger('info', { info: vi.fn(), warn, error: vi.fn() }).warn('Activity failed', meta);
  expect(warn).toHaveBeenCalledWith(expect.objectContaining({ sdk: true, activityId: 'report', error: 'mock node "report" failed attempt 1' }), 'Activity failed');
});

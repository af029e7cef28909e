import { describe, expect, it } from 'vitest';
import { workflowTaskTimeoutMs } from '../../src/common/workflow-task-timeout';

describe('workflowTaskTimeoutMs', () => {
  it("is Temporal's default of 10 s for a small graph, so a loaded worker's slow task is not retried without end", () => {
    expect(workflowTaskTimeoutMs(1)).toBe(10_000);
    expect(workflowTaskTimeoutMs(49)).toBe(10_000);
  });

  it('grows by 1 s per 50 nodes, up to 60 s, so replaying a larger execution fits in it', () => {
    expect(workflowTaskTimeoutMs(50)).toBe(11_000);
    expect(workflowTaskTimeoutMs(210)).toBe(14_000);
    expect(workflowTaskTimeoutMs(10_000)).toBe(60_000);
  });
});

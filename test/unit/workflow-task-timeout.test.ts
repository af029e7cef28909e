import { describe, expect, it } from 'vitest';
import { workflowTaskTimeoutMs } from '../../src/common/workflow-task-timeout';

describe('workflowTaskTimeoutMs', () => {
  it('is 2 s for a small graph, so a dead worker holds its workflow task at most that long', () => {
    expect(workflowTaskTimeoutMs(1)).toBe(2000);
    expect(workflowTaskTimeoutMs(20)).toBe(2000);
    expect(workflowTaskTimeoutMs(49)).toBe(2000);
  });

  it("grows by 1 s per 50 nodes, up to Temporal's default of 10 s, so replaying a larger execution fits in it", () => {
    expect(workflowTaskTimeoutMs(50)).toBe(3000);
    expect(workflowTaskTimeoutMs(210)).toBe(6000);
    expect(workflowTaskTimeoutMs(400)).toBe(10_000);
    expect(workflowTaskTimeoutMs(10_000)).toBe(10_000);
  });
});

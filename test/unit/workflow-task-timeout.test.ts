import { describe, expect, it } from 'vitest';
import { workflowTaskTimeoutMs } from '../../src/common/workflow-task-timeout';

describe('workflowTaskTimeoutMs', () => {
  it('is 2 s for ordinary graphs and slots workflows, so a dead worker holds a workflow task at most that long', () => {
    expect(workflowTaskTimeoutMs()).toBe(2000);
    expect(workflowTaskTimeoutMs(20)).toBe(2000);
    expect(workflowTaskTimeoutMs(999)).toBe(2000);
  });

  it("grows by 1 s per 1,000 nodes, up to Temporal's default of 10 s, so planning a large graph never outlasts it", () => {
    expect(workflowTaskTimeoutMs(1000)).toBe(3000);
    expect(workflowTaskTimeoutMs(5500)).toBe(7000);
    expect(workflowTaskTimeoutMs(10_000)).toBe(10_000);
    expect(workflowTaskTimeoutMs(50_000)).toBe(10_000);
  });
});

/**
 * The launch budget (launch-budget.ts) without a server: Temporal's workflowInfo and patched
 * are stood in for, so each rule is checked at its edge. The real thing runs in
 * test/integration/wide-graphs.test.ts.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const temporal = vi.hoisted(() => ({ historyLength: 3, patched: true, patchCalls: 0 }));
vi.mock('@temporalio/workflow', () => ({
  workflowInfo: () => ({ historyLength: temporal.historyLength }),
  patched: () => {
    temporal.patchCalls += 1;
    return temporal.patched;
  },
}));

const { ACTIVITIES_PER_TASK, EVENTS_PER_NODE, LaunchBudget, MAX_ACTIVITIES_PER_TASK, MAX_EVENTS_PER_RUN, RESERVED_EVENTS } = await import('../../src/workflows/launch-budget');

beforeEach(() => {
  Object.assign(temporal, { historyLength: 3, patched: true, patchCalls: 0 });
});

/** Starts activities while the budget allows, as the loop does; returns how many started. */
function startWhileAllowed(budget: InstanceType<typeof LaunchBudget>, wanted: number, running = 0): number {
  let started = 0;
  while (started < wanted && budget.allows('activity', running + started)) {
    budget.started('activity');
    started += 1;
  }
  return started;
}

describe('LaunchBudget', () => {
  it('starts a batch of activities per workflow task, within DESIGN §11 bound, and a full batch again in the next task', () => {
    expect(ACTIVITIES_PER_TASK).toBeLessThanOrEqual(MAX_ACTIVITIES_PER_TASK);
    const budget = new LaunchBudget();
    expect(startWhileAllowed(budget, 1000)).toBe(ACTIVITIES_PER_TASK);
    temporal.historyLength = 150; // the next workflow task
    expect(startWhileAllowed(budget, 1000, ACTIVITIES_PER_TASK)).toBe(ACTIVITIES_PER_TASK);
  });

  it('does not count timers, signals or inline nodes against the batch', () => {
    const budget = new LaunchBudget();
    for (let i = 0; i < 500; i++) {
      expect(budget.allows('timer', i)).toBe(true);
      budget.started('timer');
    }
    expect(startWhileAllowed(budget, 1000, 500)).toBe(ACTIVITIES_PER_TASK);
  });

  it('starts only what the run can still record, and is full when not one more node fits', () => {
    const budget = new LaunchBudget();
    const room = MAX_EVENTS_PER_RUN - RESERVED_EVENTS;
    temporal.historyLength = room - 10 * EVENTS_PER_NODE;
    // With 5 running, 5 more fit (each may add EVENTS_PER_NODE events before it settles).
    expect(startWhileAllowed(budget, 1000, 5)).toBe(5);
    expect(budget.full(9)).toBe(false);
    expect(budget.full(10)).toBe(true);
    temporal.historyLength = room;
    expect(budget.full(0)).toBe(true);
  });

  it('applies no limit when replaying a history recorded before it (patched() is false)', () => {
    temporal.patched = false;
    const budget = new LaunchBudget();
    expect(startWhileAllowed(budget, 1000)).toBe(1000);
    temporal.historyLength = MAX_EVENTS_PER_RUN;
    expect(budget.full(0)).toBe(false);
  });

  it('asks patched() only where a limit binds, so small graphs record no marker', () => {
    const budget = new LaunchBudget();
    expect(startWhileAllowed(budget, ACTIVITIES_PER_TASK)).toBe(ACTIVITIES_PER_TASK);
    expect(budget.full(ACTIVITIES_PER_TASK)).toBe(false);
    expect(temporal.patchCalls).toBe(0);
    expect(budget.allows('activity', ACTIVITIES_PER_TASK)).toBe(false);
    expect(temporal.patchCalls).toBe(1);
  });
});

/**
 * Named signals sent to an execution (`wf signal ID NAME`), kept until a `wait` node takes
 * them: a signal that arrives before its node starts is not lost.
 */
import { condition, setDefaultSignalHandler } from '@temporalio/workflow';
import type { Json } from './graph/types';

export class SignalInbox {
  private readonly received: Map<string, Json[]>;

  /** `carried`: signals not yet taken by the run before a continue-as-new. */
  constructor(carried: Record<string, Json[]> = {}) {
    this.received = new Map(Object.entries(carried));
  }

  /** Signals not yet taken, to carry into the next run. */
  pending(): Record<string, Json[]> {
    return Object.fromEntries([...this.received].filter(([, queue]) => queue.length > 0));
  }

  /** Installs the handler; call once, at the start of the workflow. */
  listen(): void {
    setDefaultSignalHandler((name: string, ...args: unknown[]) => {
      const queue = this.received.get(name) ?? [];
      queue.push((args[0] ?? null) as Json);
      this.received.set(name, queue);
    });
  }

  /** The next payload of signal `name`, or undefined when `timeoutMs` passes first. */
  async take(name: string, timeoutMs?: number): Promise<{ payload: Json } | undefined> {
    const arrived = () => (this.received.get(name)?.length ?? 0) > 0;
    const ok = timeoutMs === undefined ? (await condition(arrived), true) : await condition(arrived, timeoutMs);
    if (!ok) return undefined;
    return { payload: this.received.get(name)!.shift()! };
  }
}

/**
 * Named signals sent to an execution (`wf signal ID NAME`), kept until a `wait` node takes
 * them: a signal that arrives before its node starts is not lost.
 *
 * Only the names the graph's `wait` nodes await get a handler, and each takes its payload
 * through a checked handler: any JSON is kept (none at all is `null`); a payload that cannot
 * be decoded, or is bytes rather than JSON, is logged and dropped. There is deliberately no
 * default handler: with one, the SDK fails the workflow task on a signal named with
 * Temporal's reserved `__temporal_` prefix, and it would decode every stray signal's payload
 * before our code could refuse it. Signals of other names are buffered by the SDK, unread.
 */
import { condition } from '@temporalio/workflow';
import { setCheckedSignalHandler } from './checked-signal';
import { reservedSignalReason } from './contracts/signal-names';
import { nodeTypeSpec } from './graph/node-types';
import type { GraphDocument, Json } from './graph/types';

/** The signals the graph's nodes await: their names are literal config (never expressions). */
export function awaitedSignals(graph: GraphDocument): string[] {
  return graph.nodes.flatMap((node) => {
    const spec = nodeTypeSpec(node.type);
    return spec?.runtime === 'signal' ? [spec.awaits(node.config).signal] : [];
  });
}

/** What a wait node may output: any decoded JSON (a binary payload decodes to bytes). */
function isJsonPayload(value: unknown): value is Json | undefined {
  return !(value instanceof Uint8Array);
}

export class SignalInbox {
  private readonly received: Map<string, Json[]>;
  private readonly listening = new Set<string>();

  /** `carried`: signals not yet taken by the run before a continue-as-new. */
  constructor(carried: Record<string, Json[]> = {}) {
    this.received = new Map(Object.entries(carried));
  }

  /** Signals not yet taken, to carry into the next run. */
  pending(): Record<string, Json[]> {
    return Object.fromEntries([...this.received].filter(([, queue]) => queue.length > 0));
  }

  /**
   * Installs the handlers of the signals `names` (those the graph's nodes await); call once, at
   * the start of the workflow, so no signal waits in the SDK's buffer across a continue-as-new.
   */
  listen(names: Iterable<string>): void {
    for (const name of names) this.listenTo(name);
  }

  private listenTo(name: string): void {
    // A reserved name belongs to the engine's own handler (validation refuses it in graphs).
    if (this.listening.has(name) || reservedSignalReason(name) !== undefined) return;
    this.listening.add(name);
    setCheckedSignalHandler(name, isJsonPayload, (payload) => {
      const queue = this.received.get(name) ?? [];
      queue.push(payload ?? null);
      this.received.set(name, queue);
    });
  }

  /** The next payload of signal `name`, or undefined when `timeoutMs` passes first. */
  async take(name: string, timeoutMs?: number): Promise<{ payload: Json } | undefined> {
    // A name not known at the start: its handler now (the SDK hands over what it buffered).
    this.listenTo(name);
    const arrived = () => (this.received.get(name)?.length ?? 0) > 0;
    const ok = timeoutMs === undefined ? (await condition(arrived), true) : await condition(arrived, timeoutMs);
    if (!ok) return undefined;
    return { payload: this.received.get(name)!.shift()! };
  }
}

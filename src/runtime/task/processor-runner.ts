import type { StateStore } from '../../state/store.js';
import { TributaryError } from '../errors.js';
import type {
  Cancellable,
  Processor,
  ProcessorContext,
  PunctuationType,
  RecordTransformer,
} from '../processor.js';
import type { RecordOrigin, StreamRecord } from '../record.js';
import type { TaskRuntime } from './task-runtime.js';

/** A processor that threw, with the node it ran in; the task turns it into a ProcessingError. */
export class NodeFailure extends Error {
  constructor(
    readonly node: string,
    override readonly cause: unknown,
  ) {
    super(`node "${node}" failed: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/**
 * A chain of stateless transformers (map, filter, mapValues...) run as one step: each stage's
 * `apply` result goes straight into the next, and the last result to `next`. A throwing stage is
 * reported under its own node name.
 *
 * The first four stages are called from sites of their own, in straight-line code, rather than from
 * one site in a loop: each site then sees one transformer class and the optimizer can inline the
 * whole chain and drop the intermediate records it allocates (escape analysis), which a loop with a
 * single, polymorphic call site prevents. Stages past the fourth run in a loop.
 */
export class FusedChain implements RecordReceiver {
  private readonly s0: Stage | undefined;
  private readonly s1: Stage | undefined;
  private readonly s2: Stage | undefined;
  private readonly s3: Stage | undefined;

  constructor(
    readonly name: string,
    private readonly names: readonly string[],
    private readonly stages: readonly Stage[],
    private readonly next: RecordReceiver,
  ) {
    [this.s0, this.s1, this.s2, this.s3] = stages;
  }

  /** Puts `transformer` (node `name`) in front of `next`, merging with `next` when it is a chain too. */
  static prepend(name: string, transformer: Stage, next: RecordReceiver): FusedChain {
    if (next instanceof FusedChain) {
      return new FusedChain(name, [name, ...next.names], [transformer, ...next.stages], next.next);
    }
    return new FusedChain(name, [name], [transformer], next);
  }

  receive(record: StreamRecord<unknown, unknown>): void {
    let current: StreamRecord<unknown, unknown> | undefined = record;
    let stage = 0;
    try {
      current = this.s0!.apply(current);
      if (current === undefined) return;
      if (this.s1 !== undefined) {
        stage = 1;
        current = this.s1.apply(current);
        if (current === undefined) return;
        if (this.s2 !== undefined) {
          stage = 2;
          current = this.s2.apply(current);
          if (current === undefined) return;
          if (this.s3 !== undefined) {
            stage = 3;
            current = this.s3.apply(current);
            if (current === undefined) return;
            const stages = this.stages;
            for (stage = 4; stage < stages.length; stage++) {
              current = stages[stage]!.apply(current);
              if (current === undefined) return;
            }
          }
        }
      }
    } catch (error) {
      throw new NodeFailure(this.names[stage]!, error);
    }
    this.next.receive(current);
  }
}

/** A stage of a FusedChain. */
type Stage = RecordTransformer<unknown, unknown, unknown, unknown>;

/** Hands each record to several receivers: stands in for a skipped pass-through node with several children. */
export class FanOut implements RecordReceiver {
  constructor(
    readonly name: string,
    private readonly receivers: RecordReceiver[],
  ) {}

  receive(record: StreamRecord<unknown, unknown>): void {
    const receivers = this.receivers;
    for (let i = 0; i < receivers.length; i++) receivers[i]!.receive(record);
  }
}

/** Something a record can be handed to: a processor runner or a sink collector. */
export interface RecordReceiver {
  readonly name: string;
  receive(record: StreamRecord<unknown, unknown>): void;
}

/**
 * Runs one processor inside a task and is that processor's ProcessorContext. Forwarding is a plain
 * synchronous call into the children; a single child is called directly, without a loop.
 */
export class ProcessorRunner implements ProcessorContext<unknown, unknown>, RecordReceiver {
  private children: RecordReceiver[] = [];
  private onlyChild: RecordReceiver | undefined;
  private byName = new Map<string, RecordReceiver>();
  private lastChildName: string | undefined;
  private lastChild: RecordReceiver | undefined;

  constructor(
    readonly name: string,
    readonly processor: Processor<unknown, unknown, unknown, unknown>,
    private readonly allowedStores: readonly string[],
    private readonly task: TaskRuntime,
  ) {}

  /** The children by node name; a receiver may stand in for a pass-through child (see Task.wire). */
  setChildren(children: ReadonlyArray<{ name: string; receiver: RecordReceiver }>): void {
    this.children = children.map((c) => c.receiver);
    this.onlyChild = children.length === 1 ? children[0]!.receiver : undefined;
    this.byName = new Map(children.map((c) => [c.name, c.receiver]));
    this.lastChildName = undefined;
    this.lastChild = undefined;
  }

  init(): void {
    this.processor.init?.(this);
  }

  close(): void {
    this.processor.close?.();
  }

  /** Tells the processor its input ended (see Processor.endOfInput). */
  endOfInput(): void {
    this.processor.endOfInput?.();
  }

  receive(record: StreamRecord<unknown, unknown>): void {
    try {
      this.processor.process(record);
    } catch (error) {
      // Wrap once, at the node that threw; children's failures pass through unchanged.
      throw error instanceof NodeFailure ? error : new NodeFailure(this.name, error);
    }
  }

  // --- ProcessorContext ---

  get applicationId(): string {
    return this.task.applicationId;
  }

  get taskId(): string {
    return this.task.taskId;
  }

  get partition(): number {
    return this.task.partition;
  }

  get nodeName(): string {
    return this.name;
  }

  get recordOrigin(): RecordOrigin | undefined {
    return this.task.currentOrigin;
  }

  forward(record: StreamRecord<unknown, unknown>, childName?: string): void {
    if (childName !== undefined) {
      // Operators forward to the same named child again and again: remember the last one.
      if (childName !== this.lastChildName) this.rememberChild(childName);
      this.lastChild!.receive(record);
      return;
    }
    if (this.onlyChild) {
      this.onlyChild.receive(record);
      return;
    }
    const children = this.children;
    for (let i = 0; i < children.length; i++) children[i]!.receive(record);
  }

  private rememberChild(childName: string): void {
    const child = this.byName.get(childName);
    if (!child) {
      throw new TributaryError(
        `"${this.name}" forwarded to "${childName}", which is not one of its children (${[...this.byName.keys()].join(', ') || 'none'}).`,
      );
    }
    this.lastChildName = childName;
    this.lastChild = child;
  }

  /** Whether a child with this name exists (branching operators use it to find optional outputs). */
  hasChild(name: string): boolean {
    return this.byName.has(name);
  }

  getStateStore<S extends StateStore>(name: string): S {
    if (!this.allowedStores.includes(name)) {
      throw new TributaryError(
        `"${this.name}" asked for state store "${name}" but is not connected to it; ` +
          `pass the store name to process()/addStateStore() (connected: ${this.allowedStores.join(', ') || 'none'}).`,
      );
    }
    return this.task.store(name) as S;
  }

  schedule(intervalMs: number, type: PunctuationType, callback: (timestamp: number) => void): Cancellable {
    return this.task.schedule(this.name, intervalMs, type, callback);
  }

  currentStreamTime(): number {
    return this.task.streamTime;
  }

  currentSystemTime(): number {
    return this.task.clock();
  }

  count(metric: string, by = 1): void {
    this.task.count(`${this.name}.${metric}`, by);
  }
}

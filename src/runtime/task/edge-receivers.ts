/** The receivers at a sub-topology's edges: where records enter (sources) and leave (sinks) a task. */
import type { StreamRecord } from '../record.js';
import type { SinkNode, SourceNode } from '../topology/nodes.js';
import type { RecordReceiver } from './processor-runner.js';

/** The receiver of a sink node: collects what reaches the sink until the runtime drains it. */
export class SinkCollector implements RecordReceiver {
  /** Replaced by a fresh array when drained (handing over the full one costs no copy). */
  records: StreamRecord<unknown, unknown>[] = [];
  constructor(readonly sink: SinkNode) {}
  get name(): string {
    return this.sink.name;
  }
  receive(record: StreamRecord<unknown, unknown>): void {
    this.records.push(record);
  }
}

/** The receiver of a source node: hands each record to the source's children. */
export class SourceRunner implements RecordReceiver {
  private children: RecordReceiver[] = [];
  /** The child when there is exactly one (the usual case): called without a loop. */
  private onlyChild: RecordReceiver | undefined;
  constructor(readonly source: SourceNode) {}
  get name(): string {
    return this.source.name;
  }
  setChildren(children: RecordReceiver[]): void {
    this.children = children;
    this.onlyChild = children.length === 1 ? children[0] : undefined;
  }
  receive(record: StreamRecord<unknown, unknown>): void {
    if (this.onlyChild !== undefined) {
      this.onlyChild.receive(record);
      return;
    }
    const children = this.children;
    for (let i = 0; i < children.length; i++) children[i]!.receive(record);
  }
}

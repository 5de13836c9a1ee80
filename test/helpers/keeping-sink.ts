/** Test sinks that fail the way a sink with a remote destination does during an outage. */
import type { SinkConnector } from '../../src/runtime/connector.js';
import type { StreamRecord } from '../../src/runtime/record.js';

/** A failure the sink recovers from: it kept the records (`retriable: true`). */
export class Outage extends Error {
  readonly retriable = true;
}

/**
 * A sink like the ADX sink during an outage: it keeps what it is given and delivers it on a later
 * flush; `failures` says how many deliveries fail (retriably) before the destination is back.
 */
export class KeepingSink<V = number> implements SinkConnector<string, V> {
  readonly name = 'keeping';
  readonly delivered: StreamRecord<string, V>[] = [];
  private readonly kept: StreamRecord<string, V>[] = [];
  deliveries = 0;
  constructor(private failures: number) {}
  async write(batch: ReadonlyArray<StreamRecord<string, V>>): Promise<void> {
    this.kept.push(...batch);
    await this.deliver();
  }
  async flush(): Promise<void> {
    await this.deliver();
  }
  private async deliver(): Promise<void> {
    this.deliveries++;
    if (this.failures > 0) {
      this.failures--;
      throw new Outage(`destination down (${this.kept.length} records kept)`);
    }
    this.delivered.push(...this.kept.splice(0));
  }
}

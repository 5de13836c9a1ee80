import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of a StreamsApp on Kafka, in the registry the user passed (or a new one).
 * Every metric carries the `application` label, so several apps can share one registry.
 */
export class KafkaMetrics {
  readonly registry: Registry;
  private readonly recordsIn: Counter<'application'>;
  private readonly recordsOut: Counter<'application'>;
  private readonly processSeconds: Histogram<'application'>;
  private readonly commitSeconds: Histogram<'application'>;
  private readonly lag: Gauge<'application' | 'topic' | 'partition'>;
  private readonly restored: Counter<'application' | 'store'>;
  private readonly rebalances: Counter<'application'>;
  private readonly deadLetters: Counter<'application' | 'door'>;
  private readonly tasks: Gauge<'application'>;
  private readonly heldBack: Counter<'application' | 'topic' | 'partition'>;

  constructor(
    private readonly application: string,
    registry?: Registry,
  ) {
    this.registry = registry ?? new Registry();
    const registers = [this.registry];
    const labels = { application };
    this.recordsIn = new Counter({
      name: 'tributary_records_in_total',
      help: 'Records read from Kafka and processed',
      labelNames: ['application'],
      registers,
    });
    this.recordsOut = new Counter({
      name: 'tributary_records_out_total',
      help: 'Records produced to Kafka (sinks, repartition, changelog, dead letters)',
      labelNames: ['application'],
      registers,
    });
    this.processSeconds = new Histogram({
      name: 'tributary_process_batch_seconds',
      help: 'Time to deserialize, process and produce one fetched batch',
      labelNames: ['application'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    this.commitSeconds = new Histogram({
      name: 'tributary_commit_seconds',
      help: 'Time of one commit (outputs, changelogs, store flush, offsets)',
      labelNames: ['application'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    this.lag = new Gauge({
      name: 'tributary_consumer_lag',
      help: 'Records behind the end of an assigned input partition, as of the last fetched batch',
      labelNames: ['application', 'topic', 'partition'],
      registers,
    });
    this.restored = new Counter({
      name: 'tributary_restore_records_total',
      help: 'Changelog records applied while restoring stores',
      labelNames: ['application', 'store'],
      registers,
    });
    this.rebalances = new Counter({
      name: 'tributary_rebalances_total',
      help: 'Assignments received from the consumer group',
      labelNames: ['application'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'tributary_dead_letters_total',
      help: 'Records sent to the dead-letter topic, by error door',
      labelNames: ['application', 'door'],
      registers,
    });
    this.tasks = new Gauge({
      name: 'tributary_tasks',
      help: 'Tasks (sub-topology x partition) running in this instance',
      labelNames: ['application'],
      registers,
    });
    this.heldBack = new Counter({
      name: 'tributary_backpressure_seconds_total',
      help:
        'Time an input partition was held back (paused: nothing fetched) while its batch outputs were ' +
        'delivered to Kafka and sinks; its rate is the fraction of time downstream slowed the input',
      labelNames: ['application', 'topic', 'partition'],
      registers,
    });
    // Zero series exist from the start, so dashboards show 0 rather than "no data".
    this.recordsIn.inc(labels, 0);
    this.recordsOut.inc(labels, 0);
    this.rebalances.inc(labels, 0);
  }

  recordBatch(
    records: number,
    seconds: number,
    topic: string,
    partition: number,
    lag: number | undefined,
  ): void {
    const labels = { application: this.application };
    this.recordsIn.inc(labels, records);
    this.processSeconds.observe(labels, seconds);
    if (lag !== undefined) this.lag.set({ ...labels, topic, partition: String(partition) }, lag);
  }

  /** Time `topic`/`partition` waited (paused) for its batch's outputs to be acknowledged. */
  recordHeldBack(topic: string, partition: number, seconds: number): void {
    this.heldBack.inc({ application: this.application, topic, partition: String(partition) }, seconds);
  }

  recordOut(records: number): void {
    this.recordsOut.inc({ application: this.application }, records);
  }

  recordCommit(seconds: number): void {
    this.commitSeconds.observe({ application: this.application }, seconds);
  }

  recordRestore(store: string, records: number): void {
    this.restored.inc({ application: this.application, store }, records);
  }

  recordRebalance(tasks: number): void {
    this.rebalances.inc({ application: this.application });
    this.tasks.set({ application: this.application }, tasks);
  }

  recordDeadLetters(door: 'deserialization' | 'processing' | 'production', count: number): void {
    if (count > 0) this.deadLetters.inc({ application: this.application, door }, count);
  }

  /** Drops the lag series of partitions this instance no longer owns. */
  forgetPartition(topic: string, partition: number): void {
    this.lag.remove({ application: this.application, topic, partition: String(partition) });
    this.heldBack.remove({ application: this.application, topic, partition: String(partition) });
  }
}

import type { SourceConnector } from '../connector.js';
import type { OutgoingMessage } from './client-port.js';
import { encodeRecords, type TopicSerdes } from './record-codec.js';

/**
 * Feeds a source connector (tshark, an Observable...) into its Kafka topic: each batch is
 * serialized and produced before the next one is pulled, so a slow broker pauses the source.
 * Records that cannot be serialized fail the pump (the app goes to ERROR) naming the topic.
 */
export class KafkaSourcePump {
  recordsIn = 0;
  private finished = false;
  private failure: Error | undefined;
  readonly done: Promise<void>;

  constructor(
    readonly connector: SourceConnector<unknown, unknown>,
    private readonly topic: string,
    private readonly serdes: TopicSerdes,
    private readonly send: (messages: OutgoingMessage[]) => Promise<unknown>,
    signal: AbortSignal,
    onError: (error: Error) => void,
  ) {
    this.done = this.run(signal).catch((error: Error) => {
      this.failure = error;
      if (!signal.aborted) onError(error);
    });
  }

  /** True once the connector's batches ended (or failed). */
  get isDone(): boolean {
    return this.finished || this.failure !== undefined;
  }

  private async run(signal: AbortSignal): Promise<void> {
    for await (const batch of this.connector.batches(signal)) {
      if (signal.aborted) break;
      const { messages, failures } = await encodeRecords(batch, this.topic, this.serdes);
      if (failures.length > 0) {
        const first = failures[0]!.error;
        throw new Error(
          `Source "${this.connector.name}" produced ${failures.length} records its serde cannot serialize for topic "${this.topic}": ${first.message}`,
          { cause: first },
        );
      }
      await this.send(messages);
      this.recordsIn += messages.length;
    }
    this.finished = true;
  }
}

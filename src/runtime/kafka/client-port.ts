/**
 * The small Kafka client port the runtime talks to. The kafkajs adapter (src/connectors/kafka)
 * implements it; a faster client can implement it too without touching the engine or operators.
 * Offsets are plain numbers: the next offset to read, as Kafka commits them.
 */
import type { RecordHeaders } from '../record.js';

/** A record as fetched from a partition: raw bytes, not yet deserialized. */
export interface FetchedMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly offset: number;
  readonly headers: RecordHeaders;
}

/** Consecutive records of one partition. */
export interface FetchedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly FetchedMessage[];
  /** The partition's end offset when the batch was fetched (for lag), when the client knows it. */
  readonly highWatermark?: number | undefined;
  /**
   * The next offset to read after this batch, when the client knows it: past the last record and
   * any transaction markers or aborted records after it. Default: last record's offset + 1.
   */
  readonly nextOffset?: number | undefined;
}

/** A record to produce; without `partition` the client partitions by key. */
export interface OutgoingMessage {
  readonly topic: string;
  readonly partition?: number | undefined;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp?: number | undefined;
  readonly headers?: RecordHeaders | undefined;
}

/** A position in a partition: `offset` is the next offset to read. */
export interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** Partitions by topic, as a group assignment or a pause/resume request. */
export type TopicPartitions = ReadonlyMap<string, readonly number[]>;

/** What the consumer calls while it runs. */
export interface ConsumerHandlers {
  /** One batch at a time (never concurrently); the consumer waits for the returned promise. */
  eachBatch(batch: FetchedBatch, heartbeat: () => Promise<void>): Promise<void>;
  /**
   * The group gave this member a new assignment (after every rebalance), before any fetch of the
   * new generation: a `seek` made here decides where each partition resumes. `memberId` changes
   * when the group dropped this member (session timeout) and it joined again as a new one.
   */
  onAssignment(assignment: TopicPartitions, memberId?: string): void;
  /** A rebalance started: the current assignment is about to change. */
  onRebalance(): void;
  /**
   * The consumer moved a partition's position past records it did not deliver (transaction
   * markers, records of aborted transactions): `position` is the new next offset to read.
   */
  onSkipped?(position: PartitionOffset): void;
  /**
   * The consumer crashed on a transient cause (a broker or the coordinator away) and runs again after a
   * pause: it has left the group, and a new assignment follows once it is back.
   */
  onRestarting?(error: Error): void;
  /** The consumer crashed and cannot go on (e.g. the brokers refused the group): the app must fail. */
  onFailure?(error: Error): void;
}

/** Options of a group consumer. */
export interface ConsumerPortOptions {
  readonly groupId: string;
  /** Read only committed records of transactional producers (exactly-once). */
  readonly readCommitted?: boolean;
  /**
   * Partitions that must go to the same member: the assignor gives every (group, partition)
   * pair to one member, so co-partitioned topics of one sub-topology land together.
   */
  readonly coPartitionGroupOf: (topic: string) => string;
  /** How long the group waits for a silent member (ms). Default: the client's. */
  readonly sessionTimeoutMs?: number | undefined;
  /** Interactive queries: advertised to the group as this member's userData (its "host:port"). */
  readonly applicationServer?: string | undefined;
}

/** A consumer in a consumer group. */
export interface ConsumerPort {
  connect(): Promise<void>;
  subscribe(topics: readonly string[]): Promise<void>;
  /** Starts fetching; resolves once running (handlers are called afterwards). */
  run(handlers: ConsumerHandlers): Promise<void>;
  pause(partitions: TopicPartitions): void;
  resume(partitions: TopicPartitions): void;
  /**
   * Commits group offsets (the next offsets to read). Resolves false, committing nothing, when the
   * group is rebalancing: the offsets then belong to whichever member gets the partitions.
   */
  commit(offsets: readonly PartitionOffset[]): Promise<boolean>;
  /** Moves the fetch position of an assigned partition. */
  seek(position: PartitionOffset): void;
  disconnect(): Promise<void>;
}

/** A transaction of a transactional producer. */
export interface TransactionPort {
  send(messages: readonly OutgoingMessage[]): Promise<void>;
  /** Commits consumer offsets as part of this transaction. */
  sendOffsets(groupId: string, offsets: readonly PartitionOffset[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Options of a producer. */
export interface ProducerPortOptions {
  /** Makes the producer transactional (exactly-once); one id per instance. */
  readonly transactionalId?: string | undefined;
}

/** A producer. */
export interface ProducerPort {
  connect(): Promise<void>;
  /**
   * Sends and waits for the brokers' acknowledgement (acks = all). Returns, for each partition
   * written with an explicit `partition`, the offset after the last record written there.
   */
  send(messages: readonly OutgoingMessage[]): Promise<PartitionOffset[]>;
  transaction(): Promise<TransactionPort>;
  disconnect(): Promise<void>;
}

/** A topic to create. */
export interface NewTopic {
  readonly topic: string;
  readonly partitions: number;
  /** Default: the broker's default. */
  readonly replicationFactor?: number | undefined;
  readonly config?: Readonly<Record<string, string>> | undefined;
}

/** Cluster administration. */
export interface AdminPort {
  connect(): Promise<void>;
  /** Creates the topics that do not exist yet; existing ones are left as they are. */
  createTopics(topics: readonly NewTopic[]): Promise<void>;
  /** Partition counts of the topics that exist (missing topics are absent from the map). */
  partitionCounts(topics: readonly string[]): Promise<Map<string, number>>;
  /** End offsets (high watermarks) of every partition of `topic`. */
  endOffsets(topic: string): Promise<Map<number, number>>;
  /** Offsets `groupId` committed for `topic`, by partition (absent: none committed). */
  committedOffsets(groupId: string, topic: string): Promise<Map<number, number>>;
  /**
   * Deletes the records of `topic` below the given offset of each partition (Kafka's DeleteRecords; the
   * partition's low watermark moves up). Purges repartition topics; optional for other clients.
   */
  deleteRecordsBefore?(topic: string, offsets: ReadonlyMap<number, number>): Promise<void>;
  /** Interactive queries: the group's members as the coordinator knows them (optional for other clients). */
  describeGroup?(groupId: string): Promise<GroupDescription>;
  disconnect(): Promise<void>;
}

/** A consumer group as its coordinator describes it (interactive queries). */
export interface GroupDescription {
  /** "Stable" once every member has its assignment; other states mean a rebalance is under way. */
  readonly state: string;
  readonly members: readonly {
    readonly memberId: string;
    /** The member's ConsumerPortOptions.applicationServer, if it set one. */
    readonly applicationServer: string | undefined;
    readonly assignment: TopicPartitions;
  }[];
}

/** Reads a partition range outside any group (changelog restore). */
export interface PartitionReaderPort {
  /**
   * Calls `onBatch` with the records of each partition from its start offset up to (not
   * including) its end offset, then resolves.
   */
  read(
    ranges: readonly { topic: string; partition: number; from: number; to: number }[],
    onBatch: (batch: FetchedBatch) => void,
  ): Promise<void>;
}

/** A Kafka client: the factory of the parts above. */
export interface KafkaClientPort {
  consumer(options: ConsumerPortOptions): ConsumerPort;
  producer(options?: ProducerPortOptions): ProducerPort;
  admin(): AdminPort;
  reader(): PartitionReaderPort;
}

import type { StateStore } from '../../state/store.js';
import type { AppState } from '../app/app-state.js';
import type { EmbeddedLog } from '../embedded/embedded-log.js';
import { keyBytes } from '../embedded/partitioner.js';
import { TributaryError } from '../errors.js';
import type { GroupDescription } from '../kafka/client-port.js';
import type { AnySerde } from '../serde.js';
import type { LocalTask, QueryHost } from './query-host.js';
import { parseHostInfo } from './query-metadata.js';

/** A task as both runtimes hold it. */
interface TaskLike {
  readonly taskId: string;
  readonly partition: number;
  allStores(): ReadonlyMap<string, StateStore>;
}

/** The subtopology id of a task id "<subtopology>_<partition>". */
function subtopologyOf(taskId: string): number {
  return Number(taskId.slice(0, taskId.indexOf('_')));
}

/** Queries of an embedded app: every partition is local; keys are partitioned as the embedded log does. */
export function embeddedQueryHost(
  applicationId: string,
  state: () => AppState,
  log: EmbeddedLog,
  tasks: () => Iterable<{ readonly task: TaskLike }>,
): QueryHost {
  return {
    applicationId,
    applicationServer: undefined,
    state,
    *localTasks(): Generator<LocalTask> {
      for (const { task } of tasks())
        yield {
          subtopologyId: subtopologyOf(task.taskId),
          partition: task.partition,
          stores: task.allStores(),
        };
    },
    partitionCount: (topic) => (log.hasTopic(topic) ? log.partitionCount(topic) : undefined),
    keyBytes: (_topic, key) => (key === null || key === undefined ? null : keyBytes(key)),
  };
}

/** What the Kafka engine shows interactive queries. */
export interface KafkaQuerySource {
  /** This instance's tasks; `task` is undefined while its stores restore. */
  localTasks(): Iterable<{
    readonly id: string;
    readonly partition: number;
    readonly task: TaskLike | undefined;
  }>;
  describeGroup(): Promise<GroupDescription> | undefined;
  partitionCount(topic: string): number | undefined;
  keySerdeOf(topic: string): AnySerde<unknown> | undefined;
}

/** Queries of an app on Kafka: the group assignment says who holds what; keys hash as the topic's key serde writes them. */
export function kafkaQueryHost(
  applicationId: string,
  applicationServer: string | undefined,
  state: () => AppState,
  engine: KafkaQuerySource,
): QueryHost {
  // A malformed "host:port" fails the app's construction, not the first query.
  if (applicationServer !== undefined) parseHostInfo(applicationServer);
  return {
    applicationId,
    applicationServer,
    state,
    *localTasks(): Generator<LocalTask> {
      for (const slot of engine.localTasks()) {
        yield {
          subtopologyId: subtopologyOf(slot.id),
          partition: slot.partition,
          stores: slot.task?.allStores(),
        };
      }
    },
    partitionCount: (topic) => engine.partitionCount(topic),
    keyBytes(topic, key) {
      const serde = engine.keySerdeOf(topic);
      if (!serde) throw new TributaryError(`Topic "${topic}" is not an input of this app.`);
      return serde.serialize(key, topic);
    },
    async describeGroup() {
      const description = await engine.describeGroup();
      if (!description) {
        throw new TributaryError(
          'The Kafka client cannot describe consumer groups, so other instances cannot be found: use the kafkajs client.',
        );
      }
      return {
        stable: description.state === 'Stable',
        members: description.members.map((m) => ({
          applicationServer: m.applicationServer,
          assignment: m.assignment,
        })),
      };
    },
  };
}

import type { StoreSpec } from '../../state/store.js';
import type { SinkConnector, SourceConnector } from '../connector.js';
import { TopologyError } from '../errors.js';
import type { ProcessorSupplier } from '../processor.js';
import type { AnySerde } from '../serde.js';
import { describeTopology } from './describe.js';
import type {
  InternalTopic,
  ProcessorNode,
  SinkNode,
  SourceNode,
  TimestampExtractor,
  TopologyNode,
} from './nodes.js';
import { type Subtopology, splitSubtopologies } from './subtopologies.js';
import { validateTopology } from './validate.js';

/** Options of {@link Topology.addSource}. */
export interface SourceOptions<K, V> {
  partitions?: number;
  timestampExtractor?: TimestampExtractor<K, V>;
  connector?: SourceConnector<K, V>;
  keySerde?: AnySerde<K>;
  valueSerde?: AnySerde<V>;
}

/** Options of {@link Topology.addProcessor}. */
export interface ProcessorOptions {
  label?: string;
  terminal?: boolean;
  /** The processor forwards every record unchanged; the runtime may skip it. */
  passThrough?: boolean;
  validate?: (topology: Topology) => string | undefined;
}

/** Options of {@link Topology.addSink}. */
export interface SinkOptions<K, V> {
  keySerde?: AnySerde<K>;
  valueSerde?: AnySerde<V>;
  partitioner?: (key: K, value: V, partitions: number) => number;
}

/**
 * A processing graph: sources, processors, sinks and state stores. Build one with the fluent
 * {@link StreamsBuilder} (which calls this class), or by hand with the low-level Processor API:
 *
 * ```ts
 * const t = new Topology()
 *   .addSource('in', 'packets')
 *   .addProcessor('count', () => new MyCounter(), 'in')
 *   .addStateStore({ name: 'counts', kind: 'key-value', backend: 'memory' }, 'count')
 *   .addSink('out', 'counts-out', 'count');
 * ```
 *
 * Nodes are added parents-first. {@link Topology.validate} (called by StreamsBuilder.build() and by
 * every runtime before it starts) rejects graphs that cannot run, naming the node at fault.
 */
export class Topology {
  private readonly nodeMap = new Map<string, TopologyNode>();
  private readonly childMap = new Map<string, string[]>();
  private readonly parentMap = new Map<string, string[]>();
  private readonly storeMap = new Map<string, StoreSpec>();
  private readonly storeUsers = new Map<string, string[]>();
  private readonly internal = new Map<string, InternalTopic>();
  private sealed = false;

  /** Adds a node that reads `topic`. */
  addSource<K, V>(name: string, topic: string, options: SourceOptions<K, V> = {}): this {
    return this.addNode(
      {
        kind: 'source',
        name,
        topic,
        partitions: options.partitions,
        timestampExtractor: options.timestampExtractor as SourceNode['timestampExtractor'],
        connector: options.connector,
        keySerde: options.keySerde,
        valueSerde: options.valueSerde,
      },
      [],
    );
  }

  /** Adds a processor below `parents` (names of existing nodes). */
  addProcessor<KIn, VIn, KOut, VOut>(
    name: string,
    supplier: ProcessorSupplier<KIn, VIn, KOut, VOut>,
    parents: string | string[],
    options: ProcessorOptions = {},
  ): this {
    return this.addNode(
      {
        kind: 'processor',
        name,
        supplier: supplier as ProcessorNode['supplier'],
        stores: [],
        label: options.label ?? 'processor',
        terminal: options.terminal ?? false,
        passThrough: options.passThrough ?? false,
        validate: options.validate,
      },
      typeof parents === 'string' ? [parents] : parents,
    );
  }

  /** Adds a sink below `parents` that writes to a topic or to an external connector. */
  addSink<K, V>(
    name: string,
    target: string | SinkConnector<K, V>,
    parents: string | string[],
    options: SinkOptions<K, V> = {},
  ): this {
    const node: SinkNode =
      typeof target === 'string'
        ? { kind: 'sink', name, topic: target, ...options }
        : { kind: 'sink', name, connector: target, ...options };
    return this.addNode(node, typeof parents === 'string' ? [parents] : parents);
  }

  /** Declares a state store and connects it to the named processors. */
  addStateStore(spec: StoreSpec, ...processorNames: string[]): this {
    this.assertOpen();
    if (this.storeMap.has(spec.name)) {
      throw new TopologyError(
        `A state store named "${spec.name}" already exists; store names must be unique.`,
        spec.name,
      );
    }
    this.storeMap.set(spec.name, spec);
    this.storeUsers.set(spec.name, []);
    for (const processor of processorNames) this.connectStore(spec.name, processor);
    return this;
  }

  /** Gives a processor access to an existing store. */
  connectStore(storeName: string, processorName: string): this {
    const node = this.nodeMap.get(processorName);
    if (!this.storeMap.has(storeName)) {
      throw new TopologyError(
        `No state store named "${storeName}" (connecting it to "${processorName}").`,
        processorName,
      );
    }
    if (node?.kind !== 'processor') {
      throw new TopologyError(
        `"${processorName}" is not a processor, so it cannot use store "${storeName}".`,
        processorName,
      );
    }
    if (!node.stores.includes(storeName)) node.stores.push(storeName);
    this.storeUsers.get(storeName)!.push(processorName);
    return this;
  }

  /** Declares a topic the topology creates itself (e.g. a repartition topic); named without the applicationId. */
  addInternalTopic(topic: InternalTopic): this {
    this.internal.set(topic.name, topic);
    return this;
  }

  /** Connects an existing node under one more parent (merges). */
  addParent(childName: string, parentName: string): this {
    this.assertOpen();
    this.requireNode(parentName, childName);
    this.requireNode(childName, parentName);
    this.link(parentName, childName);
    return this;
  }

  node(name: string): TopologyNode | undefined {
    return this.nodeMap.get(name);
  }

  nodes(): TopologyNode[] {
    return [...this.nodeMap.values()];
  }

  children(name: string): readonly string[] {
    return this.childMap.get(name) ?? [];
  }

  parents(name: string): readonly string[] {
    return this.parentMap.get(name) ?? [];
  }

  stores(): StoreSpec[] {
    return [...this.storeMap.values()];
  }

  store(name: string): StoreSpec | undefined {
    return this.storeMap.get(name);
  }

  internalTopics(): InternalTopic[] {
    return [...this.internal.values()];
  }

  isInternalTopic(topic: string): boolean {
    return this.internal.has(topic);
  }

  /** Throws a TopologyError naming the node at fault when the graph cannot run; freezes it otherwise. */
  validate(): this {
    validateTopology(this);
    this.sealed = true;
    return this;
  }

  /** Connected parts of the graph that only talk to each other through topics; each runs as its own tasks. */
  subtopologies(): Subtopology[] {
    return splitSubtopologies(this);
  }

  /** A readable description of the graph: sub-topologies, sources, processors, stores and sinks. */
  describe(): string {
    return describeTopology(this);
  }

  /** True once validated: a validated topology can no longer change. */
  get isSealed(): boolean {
    return this.sealed;
  }

  private addNode(node: TopologyNode, parents: string[]): this {
    this.assertOpen();
    if (!node.name) throw new TopologyError('Every node needs a non-empty name.');
    if (this.nodeMap.has(node.name)) {
      throw new TopologyError(
        `A node named "${node.name}" already exists; node names must be unique.`,
        node.name,
      );
    }
    if (node.kind !== 'source' && parents.length === 0) {
      throw new TopologyError(`"${node.name}" needs at least one parent node.`, node.name);
    }
    for (const parent of parents) this.requireNode(parent, node.name);
    this.nodeMap.set(node.name, node);
    for (const parent of parents) this.link(parent, node.name);
    return this;
  }

  private link(parent: string, child: string): void {
    const parentNode = this.nodeMap.get(parent);
    if (parentNode?.kind === 'sink') {
      throw new TopologyError(`"${parent}" is a sink and cannot have children (adding "${child}").`, parent);
    }
    const children = this.childMap.get(parent) ?? [];
    if (!children.includes(child)) children.push(child);
    this.childMap.set(parent, children);
    const parents = this.parentMap.get(child) ?? [];
    if (!parents.includes(parent)) parents.push(parent);
    this.parentMap.set(child, parents);
  }

  private requireNode(name: string, referencedBy: string): void {
    if (!this.nodeMap.has(name)) {
      throw new TopologyError(
        `"${referencedBy}" refers to a node "${name}" that does not exist.`,
        referencedBy,
      );
    }
  }

  private assertOpen(): void {
    if (this.sealed) throw new TopologyError('This topology was already built; it can no longer change.');
  }
}

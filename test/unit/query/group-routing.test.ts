/**
 * StoreQueries over a stand-in host that plays one of two instances in a Kafka group: this one
 * ("a:1") holds partitions 0 and 1 (1 still restoring), the other ("b:2") holds 2 and 3.
 */

import { afterEach, describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import type { AppState } from '../../../src/runtime/app/app-state.js';
import { partitionForKey } from '../../../src/runtime/embedded/partitioner.js';
import { StoreUnavailableError } from '../../../src/runtime/query/query-errors.js';
import type { GroupSnapshot, QueryHost } from '../../../src/runtime/query/query-host.js';
import { type QueryServer, queryServer } from '../../../src/runtime/query/query-server.js';
import { StoreQueries } from '../../../src/runtime/query/store-queries.js';
import type { ReadOnlyKeyValueView } from '../../../src/runtime/query/store-views.js';
import { MemoryKeyValueStore } from '../../../src/state/memory-key-value-store.js';
import { catchError } from './catch-error.js';

const PARTITIONS = 4;

function setup() {
  const b = new StreamsBuilder();
  b.stream<string, string>('clicks').groupByKey().count({ name: 'counts', storeName: 'counts' });
  const topology = b.build();
  const store0 = new MemoryKeyValueStore<string, number>('counts');
  const world = {
    state: 'RUNNING' as AppState,
    stable: true,
    describeCalls: 0,
    now: 0,
    /** Whether this instance still holds partition 1. */
    holdsOne: true,
  };
  const host: QueryHost = {
    applicationId: 'clicks-app',
    applicationServer: 'a:1',
    state: () => world.state,
    localTasks: () => [
      { subtopologyId: 0, partition: 0, stores: new Map([['counts', store0]]) },
      ...(world.holdsOne ? [{ subtopologyId: 0, partition: 1, stores: undefined }] : []),
    ],
    partitionCount: (topic) => (topic === 'clicks' ? PARTITIONS : undefined),
    keyBytes: (_topic, key) => Buffer.from(String(key), 'utf8'),
    describeGroup: async (): Promise<GroupSnapshot> => {
      world.describeCalls++;
      return {
        stable: world.stable,
        members: [
          { applicationServer: 'b:2', assignment: new Map([['clicks', [2, 3]]]) },
          { applicationServer: 'a:1', assignment: new Map([['clicks', [0, 1]]]) },
        ],
      };
    },
  };
  const queries = new StoreQueries(topology, host, 2000, () => world.now);
  /** The first key "k<n>" that the default partitioner puts on `partition`. */
  const keyOn = (partition: number) => {
    for (let n = 0; ; n++) {
      const key = `k${n}`;
      if (partitionForKey(key, PARTITIONS, () => 0) === partition) return key;
    }
  };
  return { queries, store0, world, keyOn };
}

describe('interactive queries across instances of a group', () => {
  it('names the instance that holds a key and reads only what is local', async () => {
    const { queries, store0, keyOn } = setup();
    const local = keyOn(0);
    const remote = keyOn(2);
    store0.put(local, 7);
    expect(await queries.queryMetadataForKey('counts', local)).toEqual({
      host: 'a',
      port: 1,
      partition: 0,
      local: true,
    });
    expect(await queries.queryMetadataForKey('counts', remote)).toEqual({
      host: 'b',
      port: 2,
      partition: 2,
      local: false,
    });
    const view = queries.store<string, number>('counts') as ReadOnlyKeyValueView<string, number>;
    expect(view.get(local)).toBe(7);
    expect(view.get(remote)).toBeUndefined();
  });

  it('answers a restoring partition and a rebalance with a retriable StoreUnavailableError', async () => {
    const { queries, world, keyOn } = setup();
    const view = queries.store<string, number>('counts') as ReadOnlyKeyValueView<string, number>;
    const restoring = catchError(() => view.get(keyOn(1)));
    expect(restoring).toBeInstanceOf(StoreUnavailableError);
    expect((restoring as StoreUnavailableError).reason).toBe('restoring');
    expect((restoring as StoreUnavailableError).retriable).toBe(true);
    // A scan over local tasks cannot skip the restoring one silently.
    expect((catchError(() => [...view.all()]) as StoreUnavailableError).reason).toBe('restoring');

    world.state = 'REBALANCING';
    const rebalancing = catchError(() => view.get(keyOn(0)));
    expect((rebalancing as StoreUnavailableError).reason).toBe('rebalancing');
    await expect(queries.queryMetadataForKey('counts', keyOn(0))).rejects.toMatchObject({ retriable: true });
  });

  it('does not keep an unsettled group description, and forgets a settled one when told to', async () => {
    const { queries, world, keyOn } = setup();
    world.stable = false;
    await expect(queries.queryMetadataForKey('counts', keyOn(2))).rejects.toMatchObject({
      reason: 'rebalancing',
    });
    world.stable = true;
    expect((await queries.queryMetadataForKey('counts', keyOn(2))).host).toBe('b');
    expect((await queries.queryMetadataForKey('counts', keyOn(3))).host).toBe('b');
    expect(world.describeCalls).toBe(2);
    queries.invalidate();
    await queries.queryMetadataForKey('counts', keyOn(3));
    expect(world.describeCalls).toBe(3);
  });

  it('asks the group again once its description is old or this instance’s tasks changed', async () => {
    const { queries, world, keyOn } = setup();
    await queries.queryMetadataForKey('counts', keyOn(2));
    world.now += 1999;
    await queries.queryMetadataForKey('counts', keyOn(2));
    expect(world.describeCalls).toBe(1);
    world.now += 1;
    await queries.queryMetadataForKey('counts', keyOn(2));
    expect(world.describeCalls).toBe(2);
    // A rebalance that took partition 1 away without a state change.
    world.holdsOne = false;
    await queries.queryMetadataForKey('counts', keyOn(2));
    expect(world.describeCalls).toBe(3);
  });

  it('lists every instance with its partitions and stores', async () => {
    const { queries } = setup();
    expect(await queries.allMetadata()).toEqual([
      {
        host: 'b',
        port: 2,
        local: false,
        stores: ['counts'],
        partitions: [
          { topic: 'clicks', partition: 2 },
          { topic: 'clicks', partition: 3 },
        ],
      },
      {
        host: 'a',
        port: 1,
        local: true,
        stores: ['counts'],
        partitions: [
          { topic: 'clicks', partition: 0 },
          { topic: 'clicks', partition: 1 },
        ],
      },
    ]);
  });

  describe('over HTTP', () => {
    let server: QueryServer | undefined;
    afterEach(async () => server?.close());

    it('sends a key held elsewhere to its owner (421), answers local keys, and 503s while restoring', async () => {
      const { queries, store0, keyOn } = setup();
      store0.put(keyOn(0), 3);
      server = await queryServer({
        store: (name) => queries.store(name),
        queryMetadataForKey: (name, key) => queries.queryMetadataForKey(name, key),
        allMetadata: () => queries.allMetadata(),
        queryableStores: () => queries.stores(),
      });
      const get = async (path: string) => {
        const response = await fetch(`${server!.url}${path}`);
        return {
          status: response.status,
          headers: response.headers,
          body: (await response.json()) as Record<string, unknown>,
        };
      };
      const moved = await get(`/stores/counts/keys/${keyOn(2)}`);
      expect(moved.status).toBe(421);
      expect(moved.body).toMatchObject({ host: 'b', port: 2, partition: 2 });
      expect(await get(`/stores/counts/keys/${keyOn(0)}`)).toMatchObject({
        status: 200,
        body: { key: keyOn(0), value: 3 },
      });
      const restoring = await get(`/stores/counts/keys/${keyOn(1)}`);
      expect(restoring.status).toBe(503);
      expect(restoring.headers.get('retry-after')).toBe('1');
      expect(restoring.body).toMatchObject({ reason: 'restoring', retriable: true });
      expect((await get(`/stores/counts/metadata/${keyOn(3)}`)).body).toEqual({
        host: 'b',
        port: 2,
        partition: 3,
        local: false,
      });
    });
  });
});

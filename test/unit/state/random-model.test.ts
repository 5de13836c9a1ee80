/**
 * Model-based check: the same seeded random operations go to an in-memory store (the model)
 * and to persistent stores with a tiny cache that are flushed and reopened at random moments.
 * Every read and every scan must agree.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom as random } from '../../helpers/seeded-random.js';
import { storeOpener } from './store-backends.js';

const KEYS: unknown[] = [
  'a',
  'b',
  'ab',
  '',
  '\u{1F600}',
  '\uFFFF',
  1,
  -2,
  0.5,
  { h: 1 },
  ['x', 2],
  '\u0000nul',
];

describe('persistent stores behave like the in-memory ones under random operations', () => {
  const memory = storeOpener({ label: 'memory', persistent: false });
  const disk = storeOpener({ label: 'persistent', persistent: true, cacheMaxEntries: 5 });

  it.each([1, 2, 3])('key-value (seed %i)', async (seed) => {
    const next = random(seed);
    const pick = () => KEYS[Math.floor(next() * KEYS.length)];
    const model = memory.keyValue<unknown, number>();
    let store = disk.keyValue<unknown, number>();
    for (let step = 0; step < 1500; step++) {
      const key = pick();
      const roll = next();
      if (roll < 0.35) {
        model.put(key, step);
        store.put(key, step);
      } else if (roll < 0.5) {
        expect(store.delete(key)).toEqual(model.delete(key));
      } else if (roll < 0.6) {
        expect(store.putIfAbsent(key, step)).toEqual(model.putIfAbsent(key, step));
      } else if (roll < 0.85) {
        expect(store.get(key)).toEqual(model.get(key));
      } else if (roll < 0.95) {
        const [from, to] = [pick(), pick()];
        expect([...store.range(from, to)]).toEqual([...model.range(from, to)]);
      } else if (roll < 0.98) {
        await store.flush();
      } else {
        store = await disk.reopen(store, 'key-value');
      }
    }
    expect([...store.all()]).toEqual([...model.all()]);
  });

  it.each([1, 2, 3])('window (seed %i)', async (seed) => {
    const next = random(seed);
    const pick = () => KEYS[Math.floor(next() * KEYS.length)];
    const retention = 5;
    const model = memory.window<unknown, number>(retention);
    let store = disk.window<unknown, number>(retention);
    let time = 0;
    for (let step = 0; step < 1500; step++) {
      if (next() < 0.05) time++;
      const key = pick();
      const start = time - Math.floor(next() * 7);
      const roll = next();
      if (roll < 0.4) {
        model.put(key, step, start);
        store.put(key, step, start);
      } else if (roll < 0.5) {
        model.delete(key, start);
        store.delete(key, start);
      } else if (roll < 0.75) {
        expect(store.fetch(key, start)).toEqual(model.fetch(key, start));
      } else if (roll < 0.85) {
        expect([...store.fetchRange(key, start - 3, start + 1)]).toEqual([
          ...model.fetchRange(key, start - 3, start + 1),
        ]);
      } else if (roll < 0.95) {
        expect([...store.fetchAll(start - 2, start + 2)]).toEqual([...model.fetchAll(start - 2, start + 2)]);
      } else if (roll < 0.98) {
        await store.flush();
      } else {
        store = await disk.reopen(store, 'window', retention);
      }
    }
    expect([...store.all()]).toEqual([...model.all()]);
  });

  it.each([1, 2, 3])('session (seed %i)', async (seed) => {
    const next = random(seed);
    const pick = () => KEYS[Math.floor(next() * KEYS.length)];
    const retention = 20;
    const model = memory.session<unknown, number>(retention);
    let store = disk.session<unknown, number>(retention);
    let time = 0;
    for (let step = 0; step < 1500; step++) {
      if (next() < 0.1) time++;
      const key = pick();
      const start = time - Math.floor(next() * 10);
      const session = { start, end: start + Math.floor(next() * 4) };
      const roll = next();
      if (roll < 0.4) {
        model.put(key, session, step);
        store.put(key, session, step);
      } else if (roll < 0.5) {
        model.remove(key, session);
        store.remove(key, session);
      } else if (roll < 0.7) {
        expect(store.fetchSession(key, session)).toEqual(model.fetchSession(key, session));
      } else if (roll < 0.9) {
        const [earliestEnd, latestStart] = [start - 3, start + 3];
        expect([...store.findSessions(key, earliestEnd, latestStart)]).toEqual([
          ...model.findSessions(key, earliestEnd, latestStart),
        ]);
      } else if (roll < 0.95) {
        expect([...store.all()]).toEqual([...model.all()]);
      } else if (roll < 0.98) {
        await store.flush();
      } else {
        store = await disk.reopen(store, 'session', retention);
      }
    }
    expect([...store.all()]).toEqual([...model.all()]);
  });
});

import { createStore } from '../state/store-factory.js';
import type { StoreFactory } from './task/task.js';

/** Builds stores with the library's own in-memory and persistent implementations. */
export const defaultStoreFactory: StoreFactory = (spec, context) => createStore(spec, context);

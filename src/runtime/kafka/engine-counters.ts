/** Named counters of the Kafka engine (StreamsApp.metrics), summed with the tasks' own. */
export type Counters = Map<string, number>;

/** Adds `by` to the counter `name`. */
export function addCount(counters: Counters, name: string, by = 1): void {
  counters.set(name, (counters.get(name) ?? 0) + by);
}

/**
 * The input of the Kafka side-by-side bench (bench/kafka.ts) and the reference result of its topology:
 * filter (drop proto "arp") -> count per key in hopping windows of 5 min advancing by 1 min (grace 30 s)
 * over the event time in the value's "ts" -> output key "host@windowStartMs", value the count.
 * The same topology runs in every peer (bench/peers/); the reference here checks their outputs.
 */

/** Window size of the bench topology, in ms. */
export const WINDOW_SIZE_MS = 5 * 60_000;
/** Window advance of the bench topology, in ms. */
export const WINDOW_ADVANCE_MS = 60_000;
/** Grace of the bench windows; input records are never later than this. */
export const WINDOW_GRACE_MS = 30_000;
/** Distinct keys (hosts) in the input. */
export const HOSTS = 1000;
/**
 * A first event time for a run: three hours ago, on a whole minute. Event times near now keep the
 * broker's time-based retention from deleting the topics (Kafka Streams stamps outputs and changelogs
 * with event time).
 */
export function firstEventMsForRun(now = Date.now()): number {
  return Math.floor(now / 60_000) * 60_000 - 3 * 3_600_000;
}
/** Event-time step between consecutive records (2M records span 2 hours). */
export const EVENT_STEP_MS = 3.6;
/** Most a record's event time lags behind the generated sequence (well within the grace). */
export const MAX_JITTER_MS = 5_000;
/** Approximate size of a value in bytes. */
export const VALUE_BYTES = 200;

const PROTOCOLS = ['tcp', 'tcp', 'tcp', 'udp', 'udp', 'icmp', 'dns', 'arp'] as const;

/** The value of one input record, as JSON on the topic. */
export interface BenchEvent {
  /** Event time in ms since the epoch; the topology windows on it. */
  ts: number;
  host: string;
  src: string;
  dst: string;
  proto: string;
  bytes: number;
  pad: string;
}

/** The topology's filter: every peer drops ARP. */
export function keepEvent(event: Pick<BenchEvent, 'proto'>): boolean {
  return event.proto !== 'arp';
}

/** Starts of the hopping windows that contain event time `ts` (start <= ts < start + size), oldest first. */
export function windowStartsOf(ts: number): number[] {
  const starts: number[] = [];
  const last = ts - (ts % WINDOW_ADVANCE_MS);
  for (
    let start = Math.max(0, last - WINDOW_SIZE_MS + WINDOW_ADVANCE_MS);
    start <= last;
    start += WINDOW_ADVANCE_MS
  )
    starts.push(start);
  return starts;
}

/** The output key of a window count, as every peer writes it. */
export function windowKey(host: string, windowStartMs: number): string {
  return `${host}@${windowStartMs}`;
}

/** A small deterministic generator (mulberry32), so every run and peer sees the same records. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Generates input records `from` .. `from + count - 1` of the bench sequence starting at event time
 * `firstEventMs`: keys are hosts, event times advance by EVENT_STEP_MS with up to MAX_JITTER_MS of disorder. Record i is the same in every
 * call, so the input can be produced in chunks.
 */
export function* benchEvents(
  firstEventMs: number,
  from: number,
  count: number,
): Generator<{ key: string; value: BenchEvent }> {
  const pad = 'p'.repeat(VALUE_BYTES);
  for (let i = from; i < from + count; i++) {
    const next = random(i * 2654435761);
    const host = `host-${Math.floor(next() * HOSTS)}`;
    const ts = Math.floor(firstEventMs + i * EVENT_STEP_MS - next() * MAX_JITTER_MS);
    const value: BenchEvent = {
      ts,
      host,
      src: `10.0.${i % 250}.${(i >>> 8) % 250}`,
      dst: `10.1.${(i * 7) % 250}.${(i * 13) % 250}`,
      proto: PROTOCOLS[Math.floor(next() * PROTOCOLS.length)]!,
      bytes: 40 + Math.floor(next() * 1460),
      pad: '',
    };
    // Fill up to about VALUE_BYTES of JSON, so values have the size.
    value.pad = pad.slice(0, Math.max(0, VALUE_BYTES - JSON.stringify(value).length));
    yield { key: host, value };
  }
}

/** The final count of every window of records 0 .. count-1: what a correct peer's last outputs say. */
export function referenceCounts(firstEventMs: number, count: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { key, value } of benchEvents(firstEventMs, 0, count)) {
    if (!keepEvent(value)) continue;
    for (const start of windowStartsOf(value.ts)) {
      const k = windowKey(key, start);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return counts;
}

/** Differences between a peer's final counts and the reference, at most `limit` described. */
export function compareCounts(
  reference: ReadonlyMap<string, number>,
  actual: ReadonlyMap<string, number>,
  limit = 5,
): { mismatches: number; examples: string[] } {
  let mismatches = 0;
  const examples: string[] = [];
  const note = (text: string) => {
    mismatches++;
    if (examples.length < limit) examples.push(text);
  };
  for (const [key, expected] of reference) {
    const got = actual.get(key);
    if (got !== expected) note(`${key}: expected ${expected}, got ${got ?? 'nothing'}`);
  }
  for (const [key, got] of actual)
    if (!reference.has(key)) note(`${key}: unexpected window with count ${got}`);
  return { mismatches, examples };
}

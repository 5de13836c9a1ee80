/**
 * The per-protocol rate series the charts draw: one point per published snapshot whose event-time
 * second moved on, for every layer seen so far. Bounded: the oldest points are dropped past `limit`.
 */
import type { MonitorSnapshot } from '../types.js';

/** Series in uPlot's column layout: x (event time, seconds) then one column per layer. */
export interface RateSeries {
  readonly layers: readonly string[];
  /** [times, ...packets per second of each layer] */
  readonly packets: readonly (readonly number[])[];
  /** [times, ...bytes per second of each layer] */
  readonly bytes: readonly (readonly number[])[];
}

/** One point of the history: event-time second and the rates of every layer at it. */
interface RatePoint {
  readonly second: number;
  readonly rates: ReadonlyMap<string, readonly [packets: number, bytes: number]>;
}

/** A bounded history of per-layer rates. */
export class RateHistory {
  private readonly points: RatePoint[] = [];
  private readonly layers = new Set<string>();

  /** @param limit points kept (default 900: 15 minutes of event time at one point a second). */
  constructor(private readonly limit = 900) {}

  /** Adds the snapshot's rates if its event-time second is newer than the last point's. */
  add(snapshot: MonitorSnapshot): boolean {
    if (snapshot.streamTime <= 0) return false;
    const second = Math.floor(snapshot.streamTime / 1000);
    const last = this.points[this.points.length - 1];
    if (last !== undefined && second <= last.second) return false;
    const rates = new Map<string, readonly [number, number]>();
    for (const r of snapshot.rates) {
      rates.set(r.layer, [r.packetsPerSecond, r.bytesPerSecond]);
      this.layers.add(r.layer);
    }
    this.points.push({ second, rates });
    if (this.points.length > this.limit) this.points.shift();
    return true;
  }

  /** Number of points held. */
  get size(): number {
    return this.points.length;
  }

  /** The whole history in uPlot's layout (layers in a stable, alphabetical order). */
  series(): RateSeries {
    const layers = [...this.layers].sort();
    const times = this.points.map((p) => p.second);
    const column = (index: 0 | 1) =>
      layers.map((layer) => this.points.map((p) => p.rates.get(layer)?.[index] ?? 0));
    return { layers, packets: [times, ...column(0)], bytes: [times, ...column(1)] };
  }
}

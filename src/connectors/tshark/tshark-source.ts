/**
 * The tshark source: live capture or pcap replay, as batches of `StreamRecord<string, Packet>`.
 *
 * Reading is pulled: a chunk of tshark's stdout is read only when the consumer asks for the next
 * batch and the lines already read are used up. While the consumer does not ask, nothing is read,
 * the pipe fills and tshark blocks (in live mode dumpcap then blocks too, and the kernel drops
 * packets, which dumpcap counts: see `tsharkDropped`).
 */
import type { SourceConnector } from '../../runtime/connector.js';
import type { StreamRecord } from '../../runtime/record.js';
import { CaptureRun } from './capture-run.js';
import { parseEkLine } from './ek-parser.js';
import { MalformedPacketError } from './errors.js';
import { LineReader } from './line-reader.js';
import { type ResolvedTsharkOptions, resolveTsharkOptions, type TsharkSourceOptions } from './options.js';
import { Pacer, pause } from './pacer.js';
import { defaultPacketKey, type Packet } from './packet.js';

/** A record as the tshark source emits it: key = source IP (by default), value = the packet. */
export type PacketRecord = StreamRecord<string, Packet>;

/** Process ids of the running capture, for diagnostics (undefined when not running). */
export interface CaptureProcessIds {
  readonly tshark: number | undefined;
  readonly dumpcap: number | undefined;
}

/** A SourceConnector that runs tshark. Create it with `tsharkSource(options)`. */
export class TsharkSource implements SourceConnector<string, Packet> {
  readonly name: string;
  private readonly options: ResolvedTsharkOptions;
  private run: CaptureRun | undefined;
  private reader: LineReader | undefined;
  private iterating = false;
  private closed = false;
  private packets = 0;
  private malformed = 0;
  private bytes = 0;
  private dropped = 0;
  private received: number | undefined;
  private paused = 0;

  constructor(options: TsharkSourceOptions) {
    this.options = resolveTsharkOptions(options);
    this.name = this.options.name;
  }

  /** Packets parsed and handed over (all runs of this source). */
  get packetsRead(): number {
    return this.packets;
  }

  /** Output lines that were not valid EK packets and were skipped. */
  get malformedLines(): number {
    return this.malformed;
  }

  /** Bytes of EK output read from tshark's stdout. */
  get bytesRead(): number {
    return this.bytes + (this.reader?.bytesRead ?? 0);
  }

  /**
   * Packets the kernel dropped because the capture did not keep up (live mode), as dumpcap reports
   * them when the capture stops; 0 until then. Replays never drop.
   */
  get tsharkDropped(): number {
    return this.dropped;
  }

  /** Packets the capture received, as reported when it stopped (live mode); undefined before. */
  get tsharkReceived(): number | undefined {
    return this.received;
  }

  /** Milliseconds the source spent waiting for the consumer to ask for the next batch (not reading). */
  get pausedMs(): number {
    return this.paused;
  }

  /** Process ids of the running tshark (and dumpcap, live). */
  get processIds(): CaptureProcessIds {
    return { tshark: this.run?.tshark.pid, dumpcap: this.run?.dumpcap?.pid };
  }

  /**
   * Starts tshark and yields batches of at most `batchSize` records, a partial batch once the first
   * record in it has waited `maxWait`. Ends at the end of a replay (or `maxPackets`), when `signal`
   * aborts, or on `close()`; throws the errors of errors.ts when tshark or dumpcap fail.
   * One iteration at a time; iterating again after the end starts a new run.
   */
  async *batches(signal: AbortSignal): AsyncGenerator<PacketRecord[], void, undefined> {
    if (this.closed) throw new Error(`${this.name} is closed; create a new tshark source`);
    if (this.iterating) {
      throw new Error(`${this.name} is already being iterated; a tshark source feeds one consumer at a time`);
    }
    this.iterating = true;
    let run: CaptureRun | undefined;
    const onAbort = (): void => void run?.stop();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      run = await CaptureRun.start(this.options);
      this.run = run;
      if (signal.aborted || this.closed) return;
      yield* this.pump(run, signal);
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (run) {
        await run.stop();
        const statistics = run.statistics();
        this.dropped += statistics.dropped ?? 0;
        if (statistics.received !== undefined) this.received = (this.received ?? 0) + statistics.received;
      }
      this.bytes += this.reader?.bytesRead ?? 0;
      this.reader = undefined;
      this.run = undefined;
      this.iterating = false;
    }
  }

  private async *pump(run: CaptureRun, signal: AbortSignal): AsyncGenerator<PacketRecord[], void, undefined> {
    const { batchSize, maxWaitMs } = this.options;
    const keyOf = this.options.key ?? defaultPacketKey;
    const pacer = this.options.pacing === 'recorded' ? new Pacer(this.options.speed) : undefined;
    const reader = new LineReader(run.chunks, this.options.maxLineLength, (lineNumber, beginning) =>
      this.malformedLine(
        new MalformedPacketError(
          lineNumber,
          beginning,
          `longer than ${this.options.maxLineLength} characters`,
        ),
      ),
    );
    this.reader = reader;
    let batch: PacketRecord[] = [];
    let deadline = 0;
    let packetsSeen = false;
    for (;;) {
      if (signal.aborted || this.closed) return;
      const line = reader.nextLine();
      if (line === undefined) {
        if (reader.ended) {
          if (batch.length > 0) yield* this.handOver(batch);
          const failure = await run.outcome(packetsSeen);
          if (failure) throw failure;
          return;
        }
        const wait = batch.length > 0 ? Math.max(0, deadline - performance.now()) : undefined;
        const filled = await reader.fill(wait, signal);
        if (filled === 'aborted') return;
        if (filled === 'timeout') {
          yield* this.handOver(batch);
          batch = [];
        }
        continue;
      }
      let packet: Packet | null;
      try {
        packet = parseEkLine(line, reader.lineNumber);
      } catch (error) {
        if (!(error instanceof MalformedPacketError)) throw error;
        this.malformedLine(error);
        continue;
      }
      if (packet === null) continue;
      packetsSeen = true;
      if (pacer) {
        const delay = pacer.delayMs(packet.timestampMicros);
        if (delay > 0) {
          if (batch.length > 0) {
            yield* this.handOver(batch);
            batch = [];
          }
          if (!(await pause(delay, signal))) return;
        }
      }
      if (batch.length === 0) deadline = performance.now() + maxWaitMs;
      batch.push({ key: keyOf(packet), value: packet, timestamp: packet.timestamp });
      this.packets++;
      if (batch.length >= batchSize) {
        yield* this.handOver(batch);
        batch = [];
      }
    }
  }

  /** Yields one batch and books the time until the consumer comes back as paused. */
  private *handOver(batch: PacketRecord[]): Generator<PacketRecord[], void, undefined> {
    const handedAt = performance.now();
    yield batch;
    this.paused += performance.now() - handedAt;
  }

  private malformedLine(error: MalformedPacketError): void {
    this.malformed++;
    this.options.onMalformed?.(error);
  }

  /** Stops tshark (and dumpcap) and ends any iteration. Safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    await this.run?.stop();
  }
}

/**
 * A tshark source: `{ interface: 'eth0', captureFilter: 'udp port 53' }` captures live,
 * `{ file: 'capture.pcap', pacing: 'recorded' }` replays a capture. See TsharkSourceOptions.
 */
export function tsharkSource(options: TsharkSourceOptions): TsharkSource {
  return new TsharkSource(options);
}

/**
 * One line of tshark's EK output (`-T ek`, newline-delimited JSON) -> one Packet.
 *
 * EK alternates bulk-index lines (`{"index":{...}}`) with documents (`{"timestamp":...,"layers":{...}}`);
 * index and blank lines yield null. Both EK shapes are understood (full, and field-selected with
 * `-e`; see ek-fields.ts). Which occurrence of a repeated field is used, and why protocols after an
 * ICMP header are ignored, is documented on the Packet interface.
 */
import {
  asBoolean,
  asNumber,
  asString,
  type EkField,
  epochToMicros,
  F,
  flatValue,
  nestedValue,
  secondsToMillis,
} from './ek-fields.js';
import { MODEL_FIELD_COUNT, scanFlatEkFields } from './ek-flat-scanner.js';
import { MalformedPacketError } from './errors.js';
import { topLayerOfStack } from './layer-routing.js';
import { lazyLayers } from './lazy-layers.js';
import type { Packet } from './packet.js';

const SNIPPET_CHARS = 160;

const HAS_TCP = 1;
const HAS_UDP = 2;
const HAS_ICMP = 4;
const HAS_ICMPV6 = 8;
const HAS_ARP = 16;
const HAS_DNS = 32;
const HAS_HTTP = 64;
const HAS_TLS = 128;
/** Set when the first IP header is IPv4 / IPv6; the first transport header is TCP / UDP. */
const FIRST_IP_V4 = 256;
const FIRST_IP_V6 = 512;
const FIRST_TRANSPORT_TCP = 1024;
const FIRST_TRANSPORT_UDP = 2048;
const ANY_IP = FIRST_IP_V4 | FIRST_IP_V6;
const ANY_TRANSPORT = FIRST_TRANSPORT_TCP | FIRST_TRANSPORT_UDP;

/**
 * Presence bits of the layers the model reads, scanning the stack up to (and including) an ICMP
 * header; a number rather than an object so the hot path does not allocate.
 */
function scanStack(protocols: readonly string[]): number {
  let bits = 0;
  for (let i = 0; i < protocols.length; i++) {
    switch (protocols[i]) {
      case 'ip':
        if ((bits & ANY_IP) === 0) bits |= FIRST_IP_V4;
        break;
      case 'ipv6':
        if ((bits & ANY_IP) === 0) bits |= FIRST_IP_V6;
        break;
      case 'tcp':
        if ((bits & ANY_TRANSPORT) === 0) bits |= FIRST_TRANSPORT_TCP;
        bits |= HAS_TCP;
        break;
      case 'udp':
        if ((bits & ANY_TRANSPORT) === 0) bits |= FIRST_TRANSPORT_UDP;
        bits |= HAS_UDP;
        break;
      case 'arp':
        bits |= HAS_ARP;
        break;
      case 'dns':
        bits |= HAS_DNS;
        break;
      case 'http':
        bits |= HAS_HTTP;
        break;
      case 'tls':
      case 'ssl':
        bits |= HAS_TLS;
        break;
      case 'icmp':
        return bits | HAS_ICMP;
      case 'icmpv6':
        return bits | HAS_ICMPV6;
    }
  }
  return bits;
}

function snippetOf(line: string): string {
  return line.length > SNIPPET_CHARS ? `${line.slice(0, SNIPPET_CHARS)}…` : line;
}

/** The model fields of the line being parsed, by `EkField.slot`; reused, as parsing is synchronous. */
const values: unknown[] = new Array(MODEL_FIELD_COUNT).fill(undefined);
const MODEL_FIELDS: readonly EkField[] = Object.values(F);

/**
 * Parses one EK line. Returns null for index lines and blank lines; throws MalformedPacketError
 * (with `lineNumber` and a snippet of the line) when the line is not a complete EK packet.
 *
 * Field-selected documents go through the fast scanner (ek-flat-scanner.ts) and get their
 * `layers` parsed lazily; every other line, and every line the scanner declines, through JSON.parse.
 */
export function parseEkLine(line: string, lineNumber: number): Packet | null {
  if (line.length === 0 || line.startsWith('{"index"')) return null;
  values.fill(undefined);
  if (line.startsWith('{"timestamp":"')) {
    // The packet keeps its line (for the lazy layers) and slices of it (the field values). The
    // line itself may be a slice of the whole chunk the reader decoded (64 KiB): copy it so a
    // packet kept in a store or window holds on to its own 400 bytes only.
    const own = ownCopy(line);
    if (scanFlatEkFields(own, values as (string | undefined)[])) {
      return packetFromValues(lazyLayers(own), lineNumber, own);
    }
  }
  if (line.trim() === '') return null;
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (cause) {
    throw new MalformedPacketError(lineNumber, snippetOf(line), 'not JSON, possibly truncated', { cause });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new MalformedPacketError(lineNumber, snippetOf(line), 'not a JSON object');
  }
  const layers = (doc as { layers?: unknown }).layers;
  if (layers === null || typeof layers !== 'object' || Array.isArray(layers)) {
    if ('index' in doc) return null;
    throw new MalformedPacketError(lineNumber, snippetOf(line), 'no "layers" object');
  }
  // Full EK nests fields under a "frame" layer object; field-selected EK is flat.
  const record = layers as Record<string, unknown>;
  const read = typeof record.frame === 'object' ? nestedValue : flatValue;
  values.fill(undefined);
  for (const field of MODEL_FIELDS) values[field.slot] = read(record, field);
  return packetFromValues(record, lineNumber, line);
}

/**
 * `text` in a string of its own: the concatenation allocates a new flat string (V8 flattens it on
 * `slice`), which no longer refers to the larger string `text` may have been sliced from.
 */
function ownCopy(text: string): string {
  return ` ${text}`.slice(1);
}

/** The value of `field` in the line being parsed (a module function: no closure per packet). */
function fieldValue(field: EkField): unknown {
  return values[field.slot];
}

/** The Packet from the model fields in `values` (by slot) and the line's layers. */
function packetFromValues(
  layers: Readonly<Record<string, unknown>>,
  lineNumber: number,
  line: string,
): Packet {
  const timestampMicros = epochToMicros(fieldValue(F.timeEpoch));
  if (timestampMicros === undefined) {
    throw new MalformedPacketError(lineNumber, snippetOf(line), 'no valid frame.time_epoch');
  }
  const stack = asString(fieldValue(F.protocols));
  if (stack === undefined) {
    throw new MalformedPacketError(lineNumber, snippetOf(line), 'no frame.protocols');
  }
  const protocols = stack.split(':');
  const bits = scanStack(protocols);
  const ipVersion = (bits & FIRST_IP_V4) !== 0 ? 4 : (bits & FIRST_IP_V6) !== 0 ? 6 : undefined;
  // Ports come from the first transport header (the outer one in UDP tunnels such as VXLAN).
  const tcpPorts = (bits & FIRST_TRANSPORT_TCP) !== 0;
  const udpPorts = (bits & FIRST_TRANSPORT_UDP) !== 0;
  const tcp = (bits & HAS_TCP) !== 0;
  const icmpv6 = (bits & HAS_ICMPV6) !== 0;
  const icmp = icmpv6 || (bits & HAS_ICMP) !== 0;
  const arp = (bits & HAS_ARP) !== 0;
  const dns = (bits & HAS_DNS) !== 0;
  const http = (bits & HAS_HTTP) !== 0;
  const tls = (bits & HAS_TLS) !== 0;

  return {
    timestampMicros,
    timestamp: Math.floor(timestampMicros / 1000),
    frameNumber: asNumber(fieldValue(F.number)) ?? 0,
    length: asNumber(fieldValue(F.length)) ?? 0,
    protocols,
    topLayer: topLayerOfStack(protocols),
    srcMac: asString(fieldValue(F.ethSrc)) ?? asString(fieldValue(F.sllSrc)),
    dstMac: asString(fieldValue(F.ethDst)),
    ipVersion,
    srcIp:
      ipVersion === 4
        ? asString(fieldValue(F.ipSrc))
        : ipVersion === 6
          ? asString(fieldValue(F.ipv6Src))
          : undefined,
    dstIp:
      ipVersion === 4
        ? asString(fieldValue(F.ipDst))
        : ipVersion === 6
          ? asString(fieldValue(F.ipv6Dst))
          : undefined,
    srcPort: tcpPorts
      ? asNumber(fieldValue(F.tcpSrcPort))
      : udpPorts
        ? asNumber(fieldValue(F.udpSrcPort))
        : undefined,
    dstPort: tcpPorts
      ? asNumber(fieldValue(F.tcpDstPort))
      : udpPorts
        ? asNumber(fieldValue(F.udpDstPort))
        : undefined,
    tcpSyn: tcp ? asBoolean(fieldValue(F.tcpSyn)) : undefined,
    tcpAck: tcp ? asBoolean(fieldValue(F.tcpAck)) : undefined,
    tcpFin: tcp ? asBoolean(fieldValue(F.tcpFin)) : undefined,
    tcpRst: tcp ? asBoolean(fieldValue(F.tcpRst)) : undefined,
    tcpPsh: tcp ? asBoolean(fieldValue(F.tcpPsh)) : undefined,
    tcpAckRttMs: tcp ? secondsToMillis(fieldValue(F.tcpAckRtt)) : undefined,
    icmpType: icmp ? asNumber(fieldValue(icmpv6 ? F.icmpv6Type : F.icmpType)) : undefined,
    icmpCode: icmp ? asNumber(fieldValue(icmpv6 ? F.icmpv6Code : F.icmpCode)) : undefined,
    arpOperation: arp ? asNumber(fieldValue(F.arpOpcode)) : undefined,
    arpSenderIp: arp ? asString(fieldValue(F.arpSenderIp)) : undefined,
    arpTargetIp: arp ? asString(fieldValue(F.arpTargetIp)) : undefined,
    dnsQueryName: dns ? asString(fieldValue(F.dnsQueryName)) : undefined,
    dnsQueryType: dns ? asNumber(fieldValue(F.dnsQueryType)) : undefined,
    dnsRcode: dns ? asNumber(fieldValue(F.dnsRcode)) : undefined,
    dnsIsResponse: dns ? asBoolean(fieldValue(F.dnsResponse)) : undefined,
    dnsResponseTimeMs: dns ? secondsToMillis(fieldValue(F.dnsTime)) : undefined,
    httpHost: http ? asString(fieldValue(F.httpHost)) : undefined,
    httpMethod: http ? asString(fieldValue(F.httpMethod)) : undefined,
    httpStatus: http ? asNumber(fieldValue(F.httpStatus)) : undefined,
    httpResponseTimeMs: http ? secondsToMillis(fieldValue(F.httpTime)) : undefined,
    tlsServerName: tls ? asString(fieldValue(F.tlsServerName)) : undefined,
    layers,
  };
}

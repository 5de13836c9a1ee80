/**
 * The tshark fields the Packet model reads, and how to find them in both EK shapes:
 *
 * - full EK (`-T ek`): nested per protocol, key = layer + '_' + field with dots as underscores:
 *   `tcp.analysis.ack_rtt` -> `layers.tcp.tcp_tcp_analysis_ack_rtt`; a protocol present twice
 *   (IP-in-IP) becomes an array of layer objects.
 * - field-selected EK (`-T ek -e FIELD ...`): flat, key = field with dots as underscores, value
 *   always an array: `layers.tcp_analysis_ack_rtt = ["0.001500000"]`.
 *
 * Either way a repeated field is an array; the model takes its first element.
 */

/** Where one tshark field lives in EK output. */
export interface EkField {
  /** The tshark field name, as passed to `-e`. */
  readonly name: string;
  /** Protocol layer that holds it in full EK. */
  readonly layer: string;
  /** Key inside the layer object in full EK. */
  readonly nestedKey: string;
  /** Key in the flat `layers` object of field-selected EK. */
  readonly flatKey: string;
  /** Index of the field among the model's fields (its place in `MODEL_FIELD_NAMES`). */
  readonly slot: number;
}

let nextSlot = 0;

function ekField(name: string): EkField {
  const layer = name.slice(0, name.indexOf('.'));
  const underscored = name.replaceAll('.', '_');
  return { name, layer, nestedKey: `${layer}_${underscored}`, flatKey: underscored, slot: nextSlot++ };
}

/** Every field the parser reads, by role. */
export const F = {
  timeEpoch: ekField('frame.time_epoch'),
  number: ekField('frame.number'),
  length: ekField('frame.len'),
  protocols: ekField('frame.protocols'),
  ethSrc: ekField('eth.src'),
  ethDst: ekField('eth.dst'),
  sllSrc: ekField('sll.src.eth'),
  ipSrc: ekField('ip.src'),
  ipDst: ekField('ip.dst'),
  ipv6Src: ekField('ipv6.src'),
  ipv6Dst: ekField('ipv6.dst'),
  tcpSrcPort: ekField('tcp.srcport'),
  tcpDstPort: ekField('tcp.dstport'),
  udpSrcPort: ekField('udp.srcport'),
  udpDstPort: ekField('udp.dstport'),
  tcpSyn: ekField('tcp.flags.syn'),
  tcpAck: ekField('tcp.flags.ack'),
  tcpFin: ekField('tcp.flags.fin'),
  tcpRst: ekField('tcp.flags.reset'),
  tcpPsh: ekField('tcp.flags.push'),
  tcpAckRtt: ekField('tcp.analysis.ack_rtt'),
  icmpType: ekField('icmp.type'),
  icmpCode: ekField('icmp.code'),
  icmpv6Type: ekField('icmpv6.type'),
  icmpv6Code: ekField('icmpv6.code'),
  arpOpcode: ekField('arp.opcode'),
  arpSenderIp: ekField('arp.src.proto_ipv4'),
  arpTargetIp: ekField('arp.dst.proto_ipv4'),
  dnsQueryName: ekField('dns.qry.name'),
  dnsQueryType: ekField('dns.qry.type'),
  dnsRcode: ekField('dns.flags.rcode'),
  dnsResponse: ekField('dns.flags.response'),
  dnsTime: ekField('dns.time'),
  httpHost: ekField('http.host'),
  httpMethod: ekField('http.request.method'),
  httpStatus: ekField('http.response.code'),
  httpTime: ekField('http.time'),
  tlsServerName: ekField('tls.handshake.extensions_server_name'),
} as const;

/** The field names to pass to tshark as `-e` arguments so the model is complete. */
export const MODEL_FIELD_NAMES: readonly string[] = Object.values(F).map((f) => f.name);

/** First value of `field` in full (nested) EK layers, or undefined. */
export function nestedValue(layers: Record<string, unknown>, field: EkField): unknown {
  let layer = layers[field.layer];
  if (layer === undefined) return undefined;
  if (Array.isArray(layer)) layer = layer[0];
  if (layer === null || typeof layer !== 'object') return undefined;
  const value = (layer as Record<string, unknown>)[field.nestedKey];
  return Array.isArray(value) ? value[0] : value;
}

/** First value of `field` in field-selected (flat) EK layers, or undefined. */
export function flatValue(layers: Record<string, unknown>, field: EkField): unknown {
  const value = layers[field.flatKey];
  return Array.isArray(value) ? value[0] : value;
}

/** A string field value, or undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A numeric field value (EK writes numbers as decimal or 0x-hex strings), or undefined. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** A boolean field value: full EK writes JSON booleans, field-selected EK writes "1"/"0". */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === '1' || value === 'True' || value === 'true') return true;
  if (value === '0' || value === 'False' || value === 'false') return false;
  return undefined;
}

/**
 * Reads a decimal "seconds.fraction" string as whole seconds and nanoseconds (the fraction cut to
 * nine digits) without going through a float, so "1700000000.123456000" keeps every microsecond.
 * Returns false if malformed; the result is left in `decimal` (no allocation on the hot path).
 */
const decimal = { seconds: 0, nanos: 0 };
function readDecimalSeconds(value: string): boolean {
  const dot = value.indexOf('.');
  const wholeEnd = dot === -1 ? value.length : dot;
  if (wholeEnd === 0) return false;
  let seconds = 0;
  for (let i = 0; i < wholeEnd; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    seconds = seconds * 10 + digit;
  }
  let nanos = 0;
  let scale = 100_000_000;
  // Digits past the ninth are below a nanosecond: neither read nor checked.
  const fractionEnd = dot === -1 ? dot : Math.min(value.length, dot + 10);
  for (let i = dot + 1; i < fractionEnd; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    nanos += digit * scale;
    scale /= 10;
  }
  decimal.seconds = seconds;
  decimal.nanos = nanos;
  return true;
}

/** `frame.time_epoch` ("1700000000.123456000") as integer microseconds since the epoch. */
export function epochToMicros(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (!readDecimalSeconds(value)) return undefined;
  return decimal.seconds * 1_000_000 + Math.floor(decimal.nanos / 1000);
}

/** A relative time in seconds ("0.003500000") as milliseconds (3.5), exact to the microsecond. */
export function secondsToMillis(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (!readDecimalSeconds(value)) return undefined;
  return decimal.seconds * 1000 + Math.floor(decimal.nanos / 1000) / 1000;
}

/**
 * tshark source and packet model: capture live or replay pcaps as `StreamRecord<string, Packet>`,
 * and route packets by protocol layer.
 */
export { dumpcapArgs, tsharkArgs } from './capture-command.js';
export { MODEL_FIELD_NAMES } from './ek-fields.js';
export { parseEkLine } from './ek-parser.js';
export {
  CapturePermissionError,
  type CaptureProgram,
  type FilterKind,
  InvalidFilterError,
  MalformedPacketError,
  PcapFileError,
  type PcapProblem,
  TsharkExitedError,
  TsharkNotFoundError,
  UnknownInterfaceError,
} from './errors.js';
export {
  type CompiledLayerRouting,
  compileLayerRouting,
  defaultLayerPriority,
  defaultLayerProtocols,
  defaultPacketTopics,
  type LayerRouting,
  layerOf,
  type TopLayerOptions,
  topLayer,
} from './layer-routing.js';
export type {
  LiveCaptureOptions,
  ReplayOptions,
  TsharkCommonOptions,
  TsharkSourceOptions,
} from './options.js';
export { type DefaultPacketLayer, defaultPacketKey, type Packet } from './packet.js';
export { type CaptureStatistics, parseCaptureStatistics } from './stderr-diagnosis.js';
export { type CaptureProcessIds, type PacketRecord, TsharkSource, tsharkSource } from './tshark-source.js';

/** Shared helpers for benches: import what a bench needs from here. */
export { printJsonLine } from './json-line.js';
export { BENCH_KAFKA_NAME, withBenchKafka } from './kafka.js';
export { type Measurement, measure } from './measure.js';
export { peakRssMb } from './memory.js';
export { formatNumber, printTable, renderTable, type TableRow } from './table.js';

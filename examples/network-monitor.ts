/**
 * The flagship: a real-time network monitor. tshark captures (or replays) packets, a tributary
 * topology routes them to per-protocol topics and computes per-source statistics in hopping
 * windows, detectors raise alerts, and results land in DuckDB (embedded) or ADX (production).
 *
 *   npm run demo                                       # bundled capture, no broker, live view
 *   npx tsx examples/network-monitor.ts --help
 *
 * Its parts are in examples/network-monitor/: app/ (this CLI, sinks, metrics, views), monitor/
 * (statistics, detectors, alert gate), traffic/ (the labelled traffic generator).
 */
import { main } from './network-monitor/app/main.js';

process.exitCode = await main(process.argv.slice(2));

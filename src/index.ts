/**
 * tributary: Kafka Streams-style stream processing for TypeScript.
 * This module is the public API and nothing else.
 * @packageDocumentation
 */

/** The library version, as published to npm. */
export const VERSION = '0.1.0';

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder of these scripts (holds pom.xml and log4j2.properties). */
export const scriptDir = dirname(fileURLToPath(import.meta.url));

/** Repository root: everything the broker writes lives under it, in the git-ignored `.kafka/`. */
export const repoRoot = resolve(scriptDir, '..', '..');

/** The Kafka release pinned in pom.xml, read back so it is named in one place only. */
export function pinnedKafkaVersion(): string {
  const pom = readFileSync(join(scriptDir, 'pom.xml'), 'utf8');
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom);
  if (!match?.[1]) throw new Error(`scripts/kafka/pom.xml has no <kafka.version> property`);
  return match[1];
}

/**
 * Environment variable that moves the jar cache elsewhere (for example a cache shared between checkouts,
 * or an empty folder in tests). Default: `.kafka/cache` in the repository.
 */
export const CACHE_ENV = 'TRIBUTARY_KAFKA_CACHE';

/** Where fetched jars are cached, one folder per Kafka version, under $TRIBUTARY_KAFKA_CACHE or `.kafka/cache`. */
export function jarCacheDir(version: string): string {
  const root = process.env[CACHE_ENV] || join(repoRoot, '.kafka', 'cache');
  return join(resolve(root), `kafka_2.13-${version}`);
}

/** Default run folder (data, logs, pids, bootstrap file) of a named broker instance. */
export function runDir(name: string): string {
  return join(repoRoot, '.kafka', 'run', name);
}

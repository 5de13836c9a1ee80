import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jarCacheDir, pinnedKafkaVersion, scriptDir } from './paths.js';

const COMPLETE_MARKER = '.complete';

/**
 * Makes sure the pinned Kafka broker jars are in the local cache and returns their folder.
 * The first call runs Maven against scripts/kafka/pom.xml (Maven Central); later calls
 * find the completion marker and fetch nothing.
 */
export function ensureKafkaJars(log: (line: string) => void = console.log): string {
  const version = pinnedKafkaVersion();
  const dir = jarCacheDir(version);
  if (existsSync(join(dir, COMPLETE_MARKER))) return dir;

  log(`Fetching Apache Kafka ${version} from Maven Central into ${dir} ...`);
  const started = Date.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const mvn = process.env.MVN ?? 'mvn';
  const result = spawnSync(
    mvn,
    [
      '-q',
      '-B',
      '-f',
      join(scriptDir, 'pom.xml'),
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${dir}`,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.error) {
    rmSync(dir, { recursive: true, force: true });
    const where = process.env.MVN ? `MVN is set to "${mvn}", which could not be run` : '`mvn` is not on PATH';
    throw new Error(
      `Maven was not found (${where}: ${result.error.message}). Maven fetches the test broker (Kafka ${version}) ` +
        `from Maven Central once: install it (Debian/Ubuntu: apt-get install -y maven) or set MVN to its path.`,
    );
  }
  if (result.status !== 0) {
    throw new Error(
      `Maven could not fetch Kafka ${version} from Maven Central into ${dir} (exit ${result.status}). ` +
        `Check that https://repo.maven.apache.org is reachable (or your ~/.m2/settings.xml mirror). Maven said:\n` +
        (result.stdout + result.stderr).slice(-4000),
    );
  }
  const jars = readdirSync(dir).filter((f) => f.endsWith('.jar'));
  if (!jars.some((f) => f.startsWith(`kafka_2.13-${version}`))) {
    throw new Error(`Maven finished but ${dir} holds no kafka_2.13-${version}.jar`);
  }
  writeFileSync(join(dir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
  log(`Fetched ${jars.length} jars in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}

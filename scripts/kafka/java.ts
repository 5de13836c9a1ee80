import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The java executable: $JAVA_HOME/bin/java when JAVA_HOME is set, else `java` on PATH. */
export function javaExecutable(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/**
 * Checks that Java 17 or newer is installed (Kafka 4 brokers need 17) and returns its major version.
 * Throws an error that says how to install it when it is missing or too old.
 */
export function requireJava(): number {
  const java = javaExecutable();
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (result.error) {
    const where = process.env.JAVA_HOME
      ? `JAVA_HOME is set to "${process.env.JAVA_HOME}", but ${java} could not be run`
      : '`java` is not on PATH and JAVA_HOME is not set';
    throw new Error(
      `Java was not found (${where}: ${result.error.message}). The test Kafka broker needs Java 17 or newer: ` +
        `install it (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless), or point JAVA_HOME at a JDK 17+.`,
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : Number.NaN;
  if (!(major >= 17)) {
    throw new Error(
      `Java 17 or newer is needed for the Kafka broker, but ${java} reports: ${result.stderr.split('\n')[0]}. ` +
        `Install a newer JDK or point JAVA_HOME at one.`,
    );
  }
  return major;
}

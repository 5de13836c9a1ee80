import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { javaExecutable } from './java.js';

/**
 * Formats a node's KRaft storage (`kafka-storage format`) and writes the tool's output to `logFile`.
 * Rejects with that output when the tool fails (it also validates server.properties).
 * `extraArguments` go to the tool as they are (e.g. `--add-scram` users); this function does not write them to `logFile`.
 */
export function formatStorage(
  jars: string,
  propsFile: string,
  clusterId: string,
  logFile: string,
  extraArguments: readonly string[] = [],
): Promise<void> {
  // A short-lived tool: a small heap and the quick JIT tier start it fastest.
  const args = ['-Xmx128m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', `${jars}/*`];
  args.push('kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propsFile, ...extraArguments);
  return new Promise((resolve, reject) => {
    const child = spawn(javaExecutable(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', (error) =>
      reject(new Error(`Could not run ${javaExecutable()} to format ${propsFile}: ${error.message}`)),
    );
    child.on('close', (code) => {
      writeFileSync(logFile, output);
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `Formatting KRaft storage for ${propsFile} failed (exit ${code}). End of ${logFile}:\n` +
              output.trimEnd().split('\n').slice(-40).join('\n'),
          ),
        );
    });
  });
}

/**
 * A quick look at the brokers before anything starts: the Kafka client would otherwise retry for
 * about a minute before saying that nothing answers. One TCP connection attempt per broker.
 */
import { connect } from 'node:net';

/** Why a broker did not answer, or undefined when it accepted a connection. */
function probe(broker: string, timeoutMs: number): Promise<string | undefined> {
  const at = broker.lastIndexOf(':');
  const host = broker.slice(0, at);
  const port = Number(broker.slice(at + 1));
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (problem: string | undefined) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => done(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

/** Resolves when at least one broker accepts a connection; otherwise throws saying what to check. */
export async function assertSomeBrokerReachable(brokers: readonly string[], timeoutMs = 3000): Promise<void> {
  const problems = await Promise.all(brokers.map((b) => probe(b, timeoutMs)));
  if (problems.some((p) => p === undefined)) return;
  const list = brokers.map((b, i) => `${b} (${problems[i]})`).join(', ');
  throw new Error(
    `Cannot reach any Kafka broker: ${list}. Check --brokers (HOST:PORT of a listener), that the brokers run, ` +
      'and that no firewall is in the way. To run without Kafka, drop --brokers.',
  );
}

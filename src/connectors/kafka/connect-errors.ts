import { TributaryError } from '../../runtime/errors.js';
import type { KafkaConnection } from '../../runtime/kafka/kafka-options.js';

/**
 * A connection to the cluster that failed because the brokers refused the SASL credentials. Names the
 * brokers, user and mechanism (never the password) and what to check.
 */
export class KafkaAuthenticationError extends TributaryError {
  override readonly name = 'KafkaAuthenticationError';
}

/** The error to show for a failed connect: authentication failures explained, anything else as it is. */
export function explainConnectError(error: unknown, connection: KafkaConnection): unknown {
  if (!(error instanceof Error) || !connection.sasl) return error;
  // kafkajs names its SASL failures KafkaJSSASLAuthenticationError (sometimes wrapped in a retry error).
  const sasl = error.name.includes('SASLAuthentication') ? error : saslCause(error);
  if (!sasl) return error;
  const { username, mechanism } = connection.sasl;
  return new KafkaAuthenticationError(
    `Kafka at ${connection.brokers.join(',')} refused user "${username}" (${mechanism}): ${sasl.message}. ` +
      'Check kafka.sasl (username, password, mechanism) and that the brokers know this user for that mechanism.',
    { cause: sasl },
  );
}

function saslCause(error: Error): Error | undefined {
  for (let e: unknown = error.cause; e instanceof Error; e = e.cause)
    if (e.name.includes('SASLAuthentication')) return e;
  return undefined;
}

/** Makes `port.connect()` reject with {@link explainConnectError}'s error. Returns the same port. */
export function withClearConnectErrors<T extends { connect(): Promise<void> }>(
  port: T,
  connection: KafkaConnection,
): T {
  const connect = port.connect.bind(port);
  port.connect = () =>
    connect().catch((error: unknown) => {
      throw explainConnectError(error, connection);
    });
  return port;
}

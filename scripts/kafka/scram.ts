/**
 * An extra SASL_PLAINTEXT listener with SCRAM-SHA-256 and SCRAM-SHA-512 on 127.0.0.1, for tests of
 * authenticated clients. KRaft keeps SCRAM credentials in the cluster metadata, so the users are
 * written at format time (`kafka-storage format --add-scram`), before any node starts.
 * Brokers keep talking to each other over the PLAINTEXT listener.
 */
import type { BrokerProperties } from './config.js';

/** A SCRAM user created when the storage is formatted, valid for both SHA-256 and SHA-512. */
export interface ScramUser {
  readonly username: string;
  readonly password: string;
}

/** The `scram` option of startKafka: the users of the extra SASL listener. */
export interface ScramListenerOptions {
  readonly users: readonly ScramUser[];
}

/** Name of the extra listener in server.properties. */
export const SCRAM_LISTENER = 'SASL_SCRAM';

const MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

// The storage tool parses `[name=...,password=...]` itself: commas, brackets, quotes and "=" would break it.
const SAFE = /^[A-Za-z0-9._~@+-]+$/;

/** Throws a clear error for users the storage tool could not take. */
export function validateScramUsers(options: ScramListenerOptions): void {
  if (options.users.length === 0) throw new Error('scram.users is empty: give at least one user.');
  for (const user of options.users) {
    if (!SAFE.test(user.username)) {
      throw new Error(
        `SCRAM user name ${JSON.stringify(user.username)} cannot be given to kafka-storage: use letters, ` +
          'digits and . _ ~ @ + - only.',
      );
    }
    // The password itself is never echoed: only what is wrong with it.
    if (!SAFE.test(user.password)) {
      throw new Error(
        `The SCRAM password of user ${user.username} cannot be given to kafka-storage: use letters, digits ` +
          'and . _ ~ @ + - only (no spaces, commas, brackets, quotes or "=").',
      );
    }
  }
}

/** Arguments for `kafka-storage format` that create every user for both mechanisms. */
export function scramFormatArguments(options: ScramListenerOptions): string[] {
  return options.users.flatMap((user) =>
    MECHANISMS.flatMap((m) => ['--add-scram', `${m}=[name=${user.username},password=${user.password}]`]),
  );
}

/**
 * Broker settings of the SCRAM listener on `port`, merged into a node's PLAINTEXT/CONTROLLER settings:
 * the listener itself, its security protocol, and the login module of each mechanism.
 */
export function scramListenerProperties(base: BrokerProperties, port: number): BrokerProperties {
  const prefix = `listener.name.${SCRAM_LISTENER.toLowerCase()}`;
  const loginModule = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  return {
    listeners: `${base.listeners},${SCRAM_LISTENER}://127.0.0.1:${port}`,
    'advertised.listeners': `${base['advertised.listeners']},${SCRAM_LISTENER}://127.0.0.1:${port}`,
    'listener.security.protocol.map': `${base['listener.security.protocol.map']},${SCRAM_LISTENER}:SASL_PLAINTEXT`,
    [`${prefix}.sasl.enabled.mechanisms`]: MECHANISMS.join(','),
    [`${prefix}.scram-sha-256.sasl.jaas.config`]: loginModule,
    [`${prefix}.scram-sha-512.sasl.jaas.config`]: loginModule,
  };
}

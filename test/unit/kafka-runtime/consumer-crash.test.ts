/**
 * ConsumerCrashes: which crashes of the kafkajs consumer restart it (and after how long) and which fail
 * the app. The errors are kafkajs' own error classes, built as kafkajs builds them.
 */
import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ConsumerCrashes, explainConsumerCrash } from '../../../src/connectors/kafka/consumer-crash.js';

/** A broker's error answer, as kafkajs' protocol layer raises it. */
function brokerError(type: string, message: string, retriable: boolean): KafkaJSProtocolError {
  return new KafkaJSProtocolError({ type, code: 0, retriable, message } as unknown as Error);
}

/** What kafkajs' retrier makes of an error it gives up on (bail). */
function bailed(error: Error): KafkaJSNonRetriableError {
  // kafkajs passes { cause } as a second argument its typings leave out.
  return Object.assign(new KafkaJSNonRetriableError(error), { cause: error });
}

describe('ConsumerCrashes', () => {
  it('leaves a crash kafkajs restarts from to kafkajs', () => {
    const crashes = new ConsumerCrashes('g');
    const exhausted = new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection refused'), {
      retryCount: 8,
      retryTime: 3000,
    });
    expect(crashes.decide(exhausted, true)).toEqual({ action: 'wait' });
  });

  it('restarts a crash whose cause is a broker away, with doubling pauses until the consumer joins again', () => {
    const crashes = new ConsumerCrashes('g');
    const away = bailed(new KafkaJSConnectionError('Connection refused'));
    const pauses = Array.from({ length: 7 }, () => crashes.decide(away, false));
    expect(pauses.map((d) => (d.action === 'restart' ? d.inMs : d.action))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
    crashes.recovered();
    expect(crashes.decide(away, false)).toEqual({ action: 'restart', inMs: 1000 });
    const coordinatorAway = bailed(brokerError('NOT_COORDINATOR_FOR_GROUP', 'Not coordinator', true));
    expect(crashes.decide(coordinatorAway, false).action).toBe('restart');
  });

  it('fails the app on any other crash, with the group, the broker error and what to change', () => {
    const crashes = new ConsumerCrashes('flows-app');
    const refused = brokerError(
      'INVALID_SESSION_TIMEOUT',
      'The session timeout is not within the range allowed by the broker',
      false,
    );
    const crash = bailed(refused);
    const decision = crashes.decide(crash, false);
    expect(decision.action).toBe('fail');
    const error = (decision as { error: Error }).error;
    expect(error.message).toBe(
      'The Kafka consumer of group "flows-app" crashed: The session timeout is not within the range ' +
        "allowed by the broker (INVALID_SESSION_TIMEOUT). kafka.sessionTimeoutMs must lie within the brokers' " +
        'group.min.session.timeout.ms and group.max.session.timeout.ms (6 s and 30 min unless the brokers say otherwise).',
    );
    expect(error.cause).toBe(crash);
    const plain = explainConsumerCrash(new Error('assignor blew up'), 'g');
    expect(plain.message).toBe(
      'The Kafka consumer of group "g" crashed: assignor blew up. The consumer stopped for good; fix the cause, ' +
        'then start the app again.',
    );
    expect(plain.cause).toBeInstanceOf(Error);
  });
});

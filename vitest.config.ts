import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores, one shared broker: files run one at a time so timings stay sane.
    fileParallelism: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Type tests (expectTypeOf) in *.test-d.ts are checked by tsc, not run.
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Starts one real Kafka broker for the run (unless KAFKA_BROKERS names one) and stops it after.
          globalSetup: ['test/setup/kafka-global-setup.ts'],
        },
      },
    ],
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts one real Kafka broker for the whole run (unless KAFKA_BROKERS names one) and stops it after.
    globalSetup: ['test/setup/kafka-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: integration files share one broker, so running them one at a time keeps timings sane.
    fileParallelism: false,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
  },
});

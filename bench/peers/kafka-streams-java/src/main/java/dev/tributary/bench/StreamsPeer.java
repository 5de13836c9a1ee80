package dev.tributary.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The Kafka Streams side of bench/kafka.ts: filter -> hopping-window count by key -> output topic.
 *
 * <p>Input: string keys (the host), JSON values {"ts": event time ms, "host", "proto", "bytes", "pad"}.
 * Records with proto "arp" are dropped; the rest are counted per key in 5-minute windows advancing by 1
 * minute (grace 30 s) over the event time in "ts". Each count update goes to the output topic as key
 * "host@windowStartMs", value the count in decimal (both UTF-8 strings).
 *
 * <p>Protocol with the bench (stdout lines): "STATE name" on every state change, "FIRST epochMs" when the
 * first input record is processed. The app runs until its stdin ends (or reads "stop"), then closes
 * (committing what it processed) and prints "CLOSED processed=n".
 */
public final class StreamsPeer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong processed = new AtomicLong();

  private StreamsPeer() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Map<String, String> options = parseArgs(args);
    String input = required(options, "input");
    String output = required(options, "output");

    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, required(options, "application-id"));
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, required(options, "brokers"));
    config.put(StreamsConfig.STATE_DIR_CONFIG, required(options, "state-dir"));
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, options.getOrDefault("commit-interval-ms", "1000"));
    config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, options.getOrDefault("cache-bytes", "0"));
    config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, options.getOrDefault("threads", "1"));
    config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

    String store = options.getOrDefault("store", "rocksdb");
    boolean changelog = !options.getOrDefault("changelog", "on").equals("off");
    KafkaStreams streams = new KafkaStreams(topology(input, output, store, changelog), config);
    streams.setStateListener((next, previous) -> System.out.println("STATE " + next));
    streams.setUncaughtExceptionHandler(
        error -> {
          System.err.println("Kafka Streams peer failed: " + error);
          error.printStackTrace();
          System.exit(1);
          return null;
        });
    streams.start();

    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
      if (line.trim().equals("stop")) break;
    }
    streams.close(Duration.ofSeconds(60));
    System.out.println("CLOSED processed=" + processed.get());
    System.out.flush();
    System.exit(0);
  }

  /**
   * The bench topology; event time comes from the "ts" field of the value, parsed once by the serde.
   * store: "rocksdb" (Kafka Streams' default) or "memory"; changelog: whether the store is logged.
   */
  static Topology topology(String input, String output, String store, boolean changelog) {
    Duration size = Duration.ofMinutes(5);
    Duration grace = Duration.ofSeconds(30);
    Materialized<String, Long, WindowStore<Bytes, byte[]>> counts =
        store.equals("memory")
            ? Materialized.as(Stores.inMemoryWindowStore("bench-counts", size.plus(grace), size, false))
            : Materialized.as("bench-counts");
    if (!changelog) counts = counts.withLoggingDisabled();
    Serde<JsonNode> json = Serdes.serdeFrom(new JsonSerializer(), new JsonDeserializer());
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(input, Consumed.with(Serdes.String(), json).withTimestampExtractor(new EventTime()))
        .peek(
            (key, value) -> {
              if (processed.getAndIncrement() == 0) {
                System.out.println("FIRST " + System.currentTimeMillis());
              }
            })
        .filter((key, value) -> value != null && !"arp".equals(value.path("proto").asText()))
        .groupByKey()
        .windowedBy(
            TimeWindows.ofSizeAndGrace(size, grace).advanceBy(Duration.ofMinutes(1)))
        .count(counts)
        .toStream()
        .map((window, count) -> KeyValue.pair(window.key() + "@" + window.window().start(), Long.toString(count)))
        .to(output, Produced.with(Serdes.String(), Serdes.String()));
    return builder.build();
  }

  /** Event time: the value's "ts" field; the Kafka timestamp when the value has none. */
  static final class EventTime implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
      if (record.value() instanceof JsonNode node && node.path("ts").isNumber()) {
        return node.path("ts").asLong();
      }
      return record.timestamp();
    }
  }

  static final class JsonDeserializer implements Deserializer<JsonNode> {
    @Override
    public JsonNode deserialize(String topic, byte[] data) {
      if (data == null) return null;
      try {
        return JSON.readTree(data);
      } catch (IOException e) {
        throw new SerializationException("Value on " + topic + " is not JSON: " + e.getMessage(), e);
      }
    }
  }

  static final class JsonSerializer implements Serializer<JsonNode> {
    @Override
    public byte[] serialize(String topic, JsonNode data) {
      try {
        return data == null ? null : JSON.writeValueAsBytes(data);
      } catch (IOException e) {
        throw new SerializationException("Cannot write JSON for " + topic + ": " + e.getMessage(), e);
      }
    }
  }

  /** Parses "--name value" pairs. */
  private static Map<String, String> parseArgs(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "Expected --name value pairs, got \"" + args[i] + "\" at position " + i
                + ". Options: --brokers --input --output --application-id --state-dir"
                + " [--commit-interval-ms 1000] [--cache-bytes 0] [--threads 1] [--store rocksdb|memory]"
                + " [--changelog on|off]");
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("Missing required option --" + name + " (see the class comment).");
    }
    return value;
  }
}

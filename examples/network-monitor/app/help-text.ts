/** The text `--help` prints. */
export const HELP_TEXT = `tributary network monitor: packets -> per-protocol topics -> per-source windows -> alerts

Usage:
  npm run demo                                   bundled capture, embedded, live view
  npx tsx examples/network-monitor.ts --pcap FILE [options]
  npx tsx examples/network-monitor.ts --interface IFACE [options]
  npx tsx examples/network-monitor.ts --brokers HOST:PORT[,...] --role capture|process|all [options]

Input (one of them, unless --role process or --demo):
  --pcap FILE              replay a pcap/pcapng file
  --interface IFACE        capture live (tshark -D lists interfaces; needs capture rights)
  --demo                   replay the bundled capture into .netmon/demo.duckdb

Where it runs:
  --brokers a:9092,b:9092  run on Kafka (default: embedded, no broker)
  --role ROLE              with --brokers: capture (tshark -> network-packets only),
                           process (a group member: routing + monitoring), all (both; default)
  --exactly-once           with --brokers: Kafka transactions, so a crash or rebalance never
                           writes a packet or an alert twice (default: at-least-once)
  --partitions N           partitions of network-packets when the app creates it (default 1)
  --app-id ID              consumer group / application id (default netmon)
  --topic-prefix P         prefix of every topic name (several monitors on one cluster)
  --state-dir DIR          state folder (default .netmon/state)

Sinks:
  --duckdb FILE            windowed stats + alerts to DuckDB (embedded default: .netmon/netmon.duckdb)
  --adx-cluster URL        windowed stats + alerts to Azure Data Explorer (with --adx-database);
  --adx-database DB        auth from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, else managed identity
  --webhook URL            POST alerts as Alertmanager API v2 JSON (e.g. http://am:9093/api/v2/alerts)
  (alerts always go to the "alerts" topic and to the console)

Metrics:
  --metrics-port N         Prometheus endpoint on 127.0.0.1:N/metrics (0 = any free port)
  --metrics-host HOST      bind address of the endpoint (default 127.0.0.1)

Windows and time:
  --window 5m              window size (default 5m)
  --advance 1m             hop (default 1m)
  --grace 30s              late records accepted for this long after a window ends (default 30s)
  --duration 10m           stop after this long (wall clock; default: end of the pcap, or never live)

Output:
  --no-tty                 plain lines instead of the live view; ends with one JSON summary line
  -h, --help               this text

Exit status: 0 done, 1 the run failed, 2 bad flags.
`;

#!/usr/bin/env bash
# Benchmarks on the native stack; every figure is printed beside its baseline measured in the same run.
#
#   ./bench.sh relay [--events N] [--json FILE]
#       relay drain: a backlog of N events (100,000) published by one relay, two relays and Debezium, beside a raw
#       Kafka producer sending the same records from memory and a raw SQL claim-and-mark loop. Writes
#       docs/benchmarks.md. Starts PostgreSQL, Kafka and Kafka Connect if they are not running.
#
#   ./bench.sh latency [--seconds 60] [--rates 200,1000]
#       end-to-end latency, order committed → applied by order-consumer, per pattern: an open-loop client creates
#       orders at each rate for that long; prints achieved rate and p50/p95/p99/max. Needs the whole stack
#       (./start_all_services.sh).
#
# Not yet here (see the issue): the write path, keep-up under maximum load, --quick, the chart.
set -euo pipefail
source "$(dirname "$0")/scripts/common.sh"
require_java
BENCH_JAR=$ROOT/benchmarks/target/benchmarks.jar
[ -f "$BENCH_JAR" ] || fail "the benchmarks are not built; run mvn -DskipTests package"

command=${1:-}
[ -n "$command" ] || { sed -n '2,14p' "$0"; exit 2; }
shift
events=100000
json=""
seconds=60
rates="200,1000"
while [ $# -gt 0 ]; do
  case "$1" in
    --events) events=$2; shift 2 ;;
    --json) json=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --rates) rates=$2; shift 2 ;;
    *) fail "unknown option $1 (try --help)" ;;
  esac
done
case "$command" in
  relay)
    echo "making sure PostgreSQL, Kafka and Kafka Connect run (logs in $RUN_DIR/logs)"
    launcher start infra | sed 's/^/  /'
    exec java -Ddualwrite.home="$ROOT" -cp "$BENCH_JAR:$ROOT/benchmarks/target/lib/*" dev.dualwrite.bench.RelayDrainBench \
      "$events" "${json:-$RUN_DIR/benchmarks.json}" "$ROOT/docs/benchmarks.md" ;;
  latency)
    exec java -Ddualwrite.home="$ROOT" -cp "$BENCH_JAR:$ROOT/benchmarks/target/lib/*" dev.dualwrite.bench.LatencyBench \
      "$seconds" ${rates//,/ } ;;
  -h|--help) sed -n '2,14p' "$0" ;;
  *) fail "unknown command $command (try --help)" ;;
esac

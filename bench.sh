#!/usr/bin/env bash
# Benchmarks on the native stack; every figure is printed beside its baseline measured in the same invocation.
#
#   ./bench.sh [--quick] [--peers] [--json FILE] [--report FILE] [--only write,relay,latency,keepup,cpu,tracing] [--cpu-baseline FILE]
#
#   write    orders/s at concurrency 1, 8 and 32 through each service, as a ratio to a plain order insert (the same
#            service code writing no event, started on port 8087)
#   relay    a backlog of 100,000 events drained by one relay, two relays and Debezium, beside a raw Kafka producer and
#            a raw SQL claim-and-mark loop; and where one relay's time goes
#   latency  commit → applied by order-consumer, p50/p95/p99/max at 200 and 1,000 orders/s for 60 s per pattern,
#            the naive dual write as the baseline
#   keepup   32 clients at full speed for 30 s per pattern: is the backlog bounded, how long until it drains
#   cpu      CPU milliseconds per order of every process on each writer's path at 100 orders/s, from /proc, beside
#            the plain insert's; with --cpu-baseline FILE (an earlier run's JSON, e.g. of older code) beside that too
#   tracing  the outbox's path restarted sampling every request (1.0) and none (0): its write path (c=32, pipeline
#            running) and CPU per order at each
#   --peers  namastack-outbox and Spring Modulith (docs/peers.md), two instances each, beside ours in every section
#            but tracing; report docs/peers-benchmarks.md, .svg, .json (unless --report / --json). Their publishing
#            runs inside their services: "pipeline paused" does not pause it. Their drain: the same backlog shape
#            (1, 3, 10 events per order) in each library's own table, drained by its two instances, beside two relays
#
# Writes docs/benchmarks.md, docs/benchmarks.svg and docs/benchmarks.json (or --report / --json). A full run takes
# about 55 minutes, --only cpu about 18 (the JVMs are warmed until their CPU per order is steady first); --quick runs
# all six, shortened. Starts what is not running (./start_all_services.sh first saves time), plus the naive service
# (8086) and the plain-insert baseline (8087), without the lab profile; ./stop_all_services.sh stops them too.
# What it starts samples no trace (TRACING_SAMPLING_PROBABILITY=0 unless set): the tracing section measures 1.0
# against 0 on its own; the report's environment says what each running application samples.
set -euo pipefail
source "$(dirname "$0")/scripts/common.sh"
require_java
BENCH_JAR=$ROOT/benchmarks/target/benchmarks.jar
[ -f "$BENCH_JAR" ] || fail "the benchmarks are not built; run ./start_all_services.sh --build or mvn -DskipTests package"
case "${1:-}" in
  -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
esac
echo "benchmarks; logs of the stack in $RUN_DIR/logs"
# never the lab profile: its failpoint endpoints would stay live on the standing stack
unset SPRING_PROFILES_ACTIVE
export TRACING_SAMPLING_PROBABILITY=${TRACING_SAMPLING_PROBABILITY:-0}
exec java -Ddualwrite.home="$ROOT" -cp "$BENCH_JAR:$ROOT/benchmarks/target/lib/*" \
  dev.dualwrite.bench.Benchmarks "$@"
